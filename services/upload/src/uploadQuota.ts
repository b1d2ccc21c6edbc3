import { type DocStore, rateLimited, type UserCaller, utcDay } from '@storyreel/shared';
import type { UploadQuotas } from './uploadLimits.js';

/** One document per user: bytes kept, and what today's uploads have used. */
export const UPLOAD_USAGE = 'upload_usage';

interface UsageDoc {
  uid: string;
  storedBytes: number;
  day: string;
  dayUploads: number;
  dayBytes: number;
}

export interface UploadUsage {
  plan: UserCaller['plan'];
  storage: { usedBytes: number; limitBytes: number };
  today: { uploads: number; uploadLimit: number; bytes: number; byteLimit: number; resetsAt: string };
}

const DAY_MS = 86_400_000;
/** Waiting frees no storage; the hint says when to look again after deleting some. */
const STORAGE_RETRY_SECONDS = 3600;

const nextUtcMidnight = (at: Date) => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS + DAY_MS);

function today(doc: UsageDoc | undefined, uid: string, at: Date): UsageDoc {
  const day = utcDay(at);
  if (!doc) return { uid, storedBytes: 0, day, dayUploads: 0, dayBytes: 0 };
  return doc.day === day ? doc : { ...doc, day, dayUploads: 0, dayBytes: 0 };
}

export async function uploadUsage(
  docs: DocStore,
  quotas: UploadQuotas,
  caller: UserCaller,
  at = new Date(),
): Promise<UploadUsage> {
  const usage = today((await docs.get<UsageDoc>(UPLOAD_USAGE, caller.uid))?.data, caller.uid, at);
  const quota = quotas[caller.plan];
  return {
    plan: caller.plan,
    storage: { usedBytes: usage.storedBytes, limitBytes: quota.storageBytes },
    today: {
      uploads: usage.dayUploads,
      uploadLimit: quota.dailyUploads,
      bytes: usage.dayBytes,
      byteLimit: quota.dailyBytes,
      resetsAt: nextUtcMidnight(at).toISOString(),
    },
  };
}

/**
 * Refuses (429 + Retry-After) an upload of `incomingBytes` that today's
 * allowance or the user's storage has no room for. It charges nothing:
 * `chargeUpload` does, once the upload is stored.
 */
export async function checkUploadQuota(
  docs: DocStore,
  quotas: UploadQuotas,
  caller: UserCaller,
  incoming: { receivedBytes: number; storedBytes: number },
  at = new Date(),
): Promise<void> {
  const usage = await uploadUsage(docs, quotas, caller, at);
  const { today: day, storage } = usage;
  const untilMidnight = Math.max(1, Math.ceil((Date.parse(day.resetsAt) - at.getTime()) / 1000));
  if (day.uploads + 1 > day.uploadLimit || day.bytes + incoming.receivedBytes > day.byteLimit) {
    throw rateLimited(
      `your ${usage.plan} plan allows ${day.uploadLimit} uploads and ${formatBytes(day.byteLimit)} a day; more at ${day.resetsAt}`,
      untilMidnight,
      { ...day },
    );
  }
  if (storage.usedBytes + incoming.storedBytes > storage.limitBytes) {
    throw rateLimited(
      `your uploads use ${formatBytes(storage.usedBytes)} of the ${formatBytes(storage.limitBytes)} your ${usage.plan} plan keeps; delete some to make room`,
      STORAGE_RETRY_SECONDS,
      { ...storage, neededBytes: incoming.storedBytes },
    );
  }
}

/** Counts a finished upload: today's allowance always, storage only for newly stored bytes. */
export async function chargeUpload(
  docs: DocStore,
  uid: string,
  charge: { receivedBytes: number; storedBytes: number },
  at = new Date(),
): Promise<void> {
  await docs.transaction(async (tx) => {
    const usage = today((await tx.get<UsageDoc>(UPLOAD_USAGE, uid))?.data, uid, at);
    tx.set<UsageDoc>(UPLOAD_USAGE, uid, {
      ...usage,
      storedBytes: usage.storedBytes + charge.storedBytes,
      dayUploads: usage.dayUploads + 1,
      dayBytes: usage.dayBytes + charge.receivedBytes,
    });
  });
}

export async function releaseStorage(docs: DocStore, uid: string, bytes: number, at = new Date()): Promise<void> {
  await docs.transaction(async (tx) => {
    const usage = today((await tx.get<UsageDoc>(UPLOAD_USAGE, uid))?.data, uid, at);
    tx.set<UsageDoc>(UPLOAD_USAGE, uid, { ...usage, storedBytes: Math.max(0, usage.storedBytes - bytes) });
  });
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}
