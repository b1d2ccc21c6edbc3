import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteDocStore } from '../../src/docs/sqliteDocStore.js';
import { type ProgressKind, readProgress, trackProgress } from '../../src/progress/progressRecord.js';

const docs = openSqliteDocStore({ path: ':memory:' });
afterAll(() => docs.close());

const compose = { kind: 'service' as const, service: 'compose' };
const alice = { kind: 'user' as const, uid: 'alice', plan: 'free' as const };
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
const log = { warn: () => undefined };
const render: ProgressKind<'checking' | 'rendering'> = {
  service: 'render',
  firstStage: 'checking',
  internalFailure: 'render failed',
};
const polish = { service: 'polish', firstStage: 'polishing', internalFailure: 'polish failed' } as const;

describe('progress records', () => {
  it('keeps the work of two services under one job id apart', async () => {
    // Compose names both its render and its polish after the movie job.
    await trackProgress(docs, render, compose, 'job-1', log).succeeded({ from: 'render' });
    const polishing = trackProgress(docs, polish, compose, 'job-1', log);
    await polishing.failed(new Error('secret internals'));
    expect(await readProgress(docs, render, compose, 'job-1')).toMatchObject({
      status: 'succeeded',
      result: { from: 'render' },
    });
    expect(await readProgress(docs, polish, compose, 'job-1')).toMatchObject({
      status: 'failed',
      stage: 'polishing',
      error: { code: 'internal', message: 'polish failed' },
    });
  });

  it('shows each stage as it starts, and thins out progress within a stage', async () => {
    const job = trackProgress(docs, render, alice, 'j1', log);
    await settle();
    expect(await readProgress(docs, render, alice, 'j1')).toMatchObject({
      status: 'running',
      stage: 'checking',
      percent: 0,
    });
    job.progress({ stage: 'rendering', percent: 5 });
    job.progress({ stage: 'rendering', percent: 30 });
    await settle();
    // The stage change was written at once; 30 % less than a second later was not.
    expect(await readProgress(docs, render, alice, 'j1')).toMatchObject({ stage: 'rendering', percent: 5 });
    await job.failed(new Error('disk on fire'));
    expect(await readProgress(docs, render, alice, 'j1')).toMatchObject({
      status: 'failed',
      percent: 30,
      error: { code: 'internal', message: 'render failed' },
    });
  });

  it('keeps two callers with the same job id apart', async () => {
    await trackProgress(docs, render, compose, 'shared-id', log).succeeded({ videoPath: 'gs://storyreel-media/x.mp4' });
    expect(await readProgress(docs, render, compose, 'shared-id')).toMatchObject({ status: 'succeeded', percent: 100 });
    expect(await readProgress(docs, render, alice, 'shared-id')).toBeNull();
  });
});
