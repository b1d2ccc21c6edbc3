import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteDocStore } from '../../src/docs/sqliteDocStore.js';
import { readProgress, trackProgress } from '../../src/progress/progressRecord.js';

const docs = openSqliteDocStore({ path: ':memory:' });
afterAll(() => docs.close());

const compose = { kind: 'service' as const, service: 'compose' };
const log = { warn: () => undefined };
const render = { service: 'render', firstStage: 'rendering', internalFailure: 'render failed' } as const;
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
});
