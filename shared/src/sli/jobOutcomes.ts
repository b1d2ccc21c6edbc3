import { COLLECTIONS, type DocStore } from '../docs/port.js';

export type JobKind = 'render' | 'share_page';

/**
 * Upper bounds (seconds) of the duration buckets; a last, open bucket holds
 * the rest. Fixed, so days can be summed bucket by bucket.
 */
export const OUTCOME_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 180, 300, 600, 900, 1800] as const;

interface Rollup {
  kind: JobKind;
  day: string;
  total: number;
  ok: number;
  durationSumSeconds: number;
  /** counts[i] = outcomes with duration <= OUTCOME_BUCKETS[i] (and above the previous bound); last = over all bounds. */
  counts: number[];
}

const DAY_MS = 86_400_000;
const utcDay = (at: Date) => at.toISOString().slice(0, 10);
const rollupId = (kind: JobKind, day: string) => `${kind}_${day}`;

export function bucketIndex(seconds: number): number {
  const i = OUTCOME_BUCKETS.findIndex((bound) => seconds <= bound);
  return i === -1 ? OUTCOME_BUCKETS.length : i;
}

/** Adds one finished job (or served share page) to its kind's rollup for the UTC day. */
export async function recordJobOutcome(
  docs: DocStore,
  outcome: { kind: JobKind; ok: boolean; durationMs: number; at?: Date },
): Promise<void> {
  const day = utcDay(outcome.at ?? new Date());
  const id = rollupId(outcome.kind, day);
  const seconds = Math.max(0, outcome.durationMs) / 1000;
  await docs.transaction(async (tx) => {
    const doc = await tx.get<Rollup>(COLLECTIONS.sliRollups, id);
    const rollup: Rollup = doc?.data ?? {
      kind: outcome.kind,
      day,
      total: 0,
      ok: 0,
      durationSumSeconds: 0,
      counts: new Array(OUTCOME_BUCKETS.length + 1).fill(0),
    };
    const counts = [...rollup.counts];
    const i = bucketIndex(seconds);
    counts[i] = (counts[i] ?? 0) + 1;
    tx.set<Rollup>(COLLECTIONS.sliRollups, id, {
      ...rollup,
      total: rollup.total + 1,
      ok: rollup.ok + (outcome.ok ? 1 : 0),
      durationSumSeconds: rollup.durationSumSeconds + seconds,
      counts,
    });
  });
}

/**
 * The q-quantile from bucket counts, interpolated linearly inside its bucket
 * (as Prometheus' histogram_quantile does); the open bucket reports its lower bound.
 */
export function quantileFromBuckets(counts: readonly number[], q: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const inBucket = counts[i] ?? 0;
    if (below + inBucket >= rank && inBucket > 0) {
      const lower = i === 0 ? 0 : (OUTCOME_BUCKETS[i - 1] as number);
      const upper = OUTCOME_BUCKETS[i];
      if (upper === undefined) return lower;
      return lower + (upper - lower) * ((rank - below) / inBucket);
    }
    below += inBucket;
  }
  // Unreachable for q <= 1: the last non-empty bucket always reaches the rank.
  return null;
}

export interface KindSummary {
  total: number;
  ok: number;
  failed: number;
  /** ok / total, or null when nothing happened in the period. */
  successRate: number | null;
  p95Seconds: number | null;
  meanSeconds: number | null;
}

export interface SliSummary {
  days: number;
  from: string;
  to: string;
  renderSuccessRate: number | null;
  renderP95Seconds: number | null;
  sharePageAvailability: number | null;
  sharePageP95Seconds: number | null;
  render: KindSummary;
  sharePage: KindSummary;
}

async function summarise(docs: DocStore, kind: JobKind, days: readonly string[]): Promise<KindSummary> {
  const rollups = await Promise.all(days.map((day) => docs.get<Rollup>(COLLECTIONS.sliRollups, rollupId(kind, day))));
  const counts = new Array<number>(OUTCOME_BUCKETS.length + 1).fill(0);
  let total = 0;
  let ok = 0;
  let sum = 0;
  for (const doc of rollups) {
    if (!doc) continue;
    total += doc.data.total;
    ok += doc.data.ok;
    sum += doc.data.durationSumSeconds;
    doc.data.counts.forEach((c, i) => {
      counts[i] = (counts[i] ?? 0) + c;
    });
  }
  return {
    total,
    ok,
    failed: total - ok,
    successRate: total ? ok / total : null,
    p95Seconds: quantileFromBuckets(counts, 0.95),
    meanSeconds: total ? sum / total : null,
  };
}

/** The service level over the last `days` UTC days, today included. */
export async function sliSummary(docs: DocStore, days: number, at = new Date()): Promise<SliSummary> {
  const span = Math.max(1, Math.min(90, Math.floor(days)));
  const today = Math.floor(at.getTime() / DAY_MS) * DAY_MS;
  const dayList = Array.from({ length: span }, (_, i) => utcDay(new Date(today - i * DAY_MS)));
  const [render, sharePage] = await Promise.all([
    summarise(docs, 'render', dayList),
    summarise(docs, 'share_page', dayList),
  ]);
  return {
    days: span,
    from: dayList[dayList.length - 1] as string,
    to: dayList[0] as string,
    renderSuccessRate: render.successRate,
    renderP95Seconds: render.p95Seconds,
    sharePageAvailability: sharePage.successRate,
    sharePageP95Seconds: sharePage.p95Seconds,
    render,
    sharePage,
  };
}
