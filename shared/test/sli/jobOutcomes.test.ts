import { OUTCOME_BUCKETS, quantileFromBuckets, recordJobOutcome, sliSummary } from '@storyreel/shared';
import { createTestService, type TestService } from '@storyreel/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('job outcome rollups', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await createTestService({ name: 'compose', routes: () => [] });
  });
  afterAll(() => svc.close());

  it('rolls renders and share pages up per UTC day into success rate, p95 and availability', async () => {
    const docs = svc.ctx.docs;
    const today = new Date('2032-03-10T12:00:00Z');
    const yesterday = new Date('2032-03-09T23:30:00Z');
    // 19 renders of 30-60 s that worked, 1 that failed after 500 s.
    await Promise.all(
      Array.from({ length: 19 }, (_, i) =>
        recordJobOutcome(docs, { kind: 'render', ok: true, durationMs: 31_000 + i * 1000, at: today }),
      ),
    );
    await recordJobOutcome(docs, { kind: 'render', ok: false, durationMs: 500_000, at: yesterday });
    for (let i = 0; i < 9; i++)
      await recordJobOutcome(docs, { kind: 'share_page', ok: true, durationMs: 80, at: today });
    await recordJobOutcome(docs, { kind: 'share_page', ok: false, durationMs: 2000, at: today });

    const summary = await sliSummary(docs, 7, today);
    expect(summary).toMatchObject({ days: 7, from: '2032-03-04', to: '2032-03-10' });
    expect(summary.render).toMatchObject({ total: 20, ok: 19, failed: 1 });
    expect(summary.renderSuccessRate).toBeCloseTo(0.95);
    // rank 19 of 20 is the last of the 30-60 s bucket: its upper bound.
    expect(summary.renderP95Seconds).toBeCloseTo(60);
    expect(summary.sharePageAvailability).toBeCloseTo(0.9);

    const todayOnly = await sliSummary(docs, 1, today);
    expect(todayOnly.render).toMatchObject({ total: 19, failed: 0 });
    expect(todayOnly.renderSuccessRate).toBe(1);

    const stored = await docs.get<{ total: number; counts: number[] }>('sli_rollups', 'render_2032-03-10');
    expect(stored?.data.total).toBe(19);
    expect(stored?.data.counts.reduce((a, b) => a + b, 0)).toBe(19);
  });

  it('reports null, not zero, for a period without jobs', async () => {
    const summary = await sliSummary(svc.ctx.docs, 3, new Date('2040-01-01T00:00:00Z'));
    expect(summary.renderSuccessRate).toBeNull();
    expect(summary.renderP95Seconds).toBeNull();
    expect(summary.sharePageAvailability).toBeNull();
  });

  it('interpolates quantiles inside a bucket and caps the open bucket at the last bound', () => {
    const counts = new Array(OUTCOME_BUCKETS.length + 1).fill(0);
    const i10 = OUTCOME_BUCKETS.indexOf(10);
    counts[i10] = 10; // ten outcomes in (5, 10] s
    expect(quantileFromBuckets(counts, 0.5)).toBeCloseTo(7.5);
    const open = new Array(OUTCOME_BUCKETS.length + 1).fill(0);
    open[OUTCOME_BUCKETS.length] = 3;
    expect(quantileFromBuckets(open, 0.95)).toBe(OUTCOME_BUCKETS[OUTCOME_BUCKETS.length - 1]);
  });
});
