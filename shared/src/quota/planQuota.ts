import type { Plan, UserCaller } from '../auth/caller.js';
import { COLLECTIONS, type DocStore } from '../docs/port.js';
import { rateLimited } from '../errors.js';
import { PROVIDERS, type Provider } from '../providers/providerKeys.js';

/** Renders a user may make per UTC day with the platform's provider keys. */
export const PLAN_LIMITS: Readonly<Record<Plan, number>> = { free: 10, pro: 100, enterprise: 1000 };

const DAY_MS = 86_400_000;
/** Kept a month for support questions, then a Firestore TTL policy may drop it. */
const KEEP_MS = 31 * DAY_MS;

interface QuotaDoc {
  uid: string;
  day: string;
  used: number;
  byoKeyUsage: number;
  /** Provider calls made with the user's own keys today, by provider (units as the caller counted them). */
  byoCalls?: Partial<Record<Provider, number>>;
  expiresAt: string;
}

export interface QuotaStatus {
  plan: Plan;
  limit: number;
  used: number;
  remaining: number;
  resetsAt: string;
  /** Renders made with the user's own provider keys today: recorded, never charged. */
  byoKeyUsage: number;
  /** Provider calls made with the user's own keys today, per provider: never charged to the plan. */
  byoCalls: Record<Provider, number>;
}

export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

const nextUtcMidnight = (at: Date) => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS + DAY_MS);

const quotaId = (uid: string, at: Date) => `${uid}_${utcDay(at)}`;

export async function quotaStatus(docs: DocStore, caller: UserCaller, at = new Date()): Promise<QuotaStatus> {
  const doc = await docs.get<QuotaDoc>(COLLECTIONS.quotas, quotaId(caller.uid, at));
  const limit = PLAN_LIMITS[caller.plan];
  const used = doc?.data.used ?? 0;
  return {
    plan: caller.plan,
    limit,
    used,
    remaining: Math.max(0, limit - used),
    resetsAt: nextUtcMidnight(at).toISOString(),
    byoKeyUsage: doc?.data.byoKeyUsage ?? 0,
    byoCalls: Object.fromEntries(PROVIDERS.map((p) => [p, doc?.data.byoCalls?.[p] ?? 0])) as Record<Provider, number>,
  };
}

/**
 * Refuses work the user's plan has no room for today (429, Retry-After =
 * seconds to UTC midnight). It does not charge: call `chargeQuota` once the
 * work succeeded. Skip it for work done with the user's own provider keys.
 */
export async function checkQuota(docs: DocStore, caller: UserCaller, at = new Date()): Promise<QuotaStatus> {
  const status = await quotaStatus(docs, caller, at);
  if (status.remaining > 0) return status;
  const retryAfter = Math.ceil((Date.parse(status.resetsAt) - at.getTime()) / 1000);
  throw rateLimited(
    `your ${status.plan} plan allows ${status.limit} renders a day and you have used them; more at ${status.resetsAt}`,
    retryAfter,
    { plan: status.plan, limit: status.limit, used: status.used, resetsAt: status.resetsAt },
  );
}

const emptyDay = (uid: string, at: Date): QuotaDoc => ({
  uid,
  day: utcDay(at),
  used: 0,
  byoKeyUsage: 0,
  expiresAt: new Date(at.getTime() + KEEP_MS).toISOString(),
});

/** Counts provider calls made with the user's own key (shown by GET /v1/quota); the plan is not charged. */
export async function recordByoCalls(
  docs: DocStore,
  uid: string,
  provider: Provider,
  units: number,
  at = new Date(),
): Promise<void> {
  const id = quotaId(uid, at);
  await docs.transaction(async (tx) => {
    const current = (await tx.get<QuotaDoc>(COLLECTIONS.quotas, id))?.data ?? emptyDay(uid, at);
    const byoCalls = { ...current.byoCalls, [provider]: (current.byoCalls?.[provider] ?? 0) + units };
    tx.set<QuotaDoc>(COLLECTIONS.quotas, id, { ...current, byoCalls });
  });
}

/** Counts one finished piece of work; a failed render is never charged because this is never called for it. */
export async function chargeQuota(
  docs: DocStore,
  uid: string,
  options: { usedOwnKey?: boolean; at?: Date } = {},
): Promise<void> {
  const at = options.at ?? new Date();
  const id = quotaId(uid, at);
  await docs.transaction(async (tx) => {
    const current = (await tx.get<QuotaDoc>(COLLECTIONS.quotas, id))?.data ?? emptyDay(uid, at);
    tx.set<QuotaDoc>(COLLECTIONS.quotas, id, {
      ...current,
      ...(options.usedOwnKey ? { byoKeyUsage: current.byoKeyUsage + 1 } : { used: current.used + 1 }),
    });
  });
}
