import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestService, type TestService } from '@storyreel/shared/testing';
import { afterAll, beforeAll } from 'vitest';
import { RenderManifest } from '../src/manifest.js';
import { renderRoutes } from '../src/routes.js';
import { storyManifest, uploadStory } from './renderFixture.js';

export interface RenderTestBed {
  svc: TestService;
  /** A scratch folder for downloads. */
  work: string;
  /** Where renders make their temp folders, so a test can see they are cleaned. */
  tempRoot: string;
  /** Copies a stored object into `work`. */
  download(gsPath: string, name: string): Promise<string>;
}

/** A render service with the fixture story uploaded, and scratch folders removed after the file's tests. */
export function renderTestBed(label: string): RenderTestBed {
  const bed = {
    async download(gsPath: string, name: string) {
      const file = join(bed.work, name);
      await bed.svc.ctx.blobs.getToFile(gsPath, file);
      return file;
    },
  } as RenderTestBed;
  beforeAll(async () => {
    bed.svc = await createTestService({ name: 'render', routes: renderRoutes });
    await uploadStory(bed.svc.ctx.blobs);
    bed.work = await mkdtemp(join(tmpdir(), `${label}-test-`));
    bed.tempRoot = await mkdtemp(join(tmpdir(), `${label}-temp-`));
  });
  afterAll(async () => {
    await bed.svc?.close();
    await rm(bed.work, { recursive: true, force: true });
    await rm(bed.tempRoot, { recursive: true, force: true });
  });
  return bed;
}

/** The fixture story cut to two 1 s scenes without narration: the cheapest real render. */
export function tinyManifest(overrides: Record<string, unknown> = {}) {
  const story = storyManifest();
  return RenderManifest.parse({
    ...story,
    outputPrefix: `${story.outputPrefix}/tiny`,
    scenes: story.scenes.slice(0, 2).map((s) => ({ ...s, durationSeconds: 1 })),
    narration: undefined,
    ...overrides,
  });
}
