import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlobStore } from '@storyreel/shared';
import type { RenderManifestInput } from '../src/manifest.js';
import { KARAOKE_ASS, makeSpeech, makeStill, makeTone } from './testMedia.js';

export const PROJECT = 'gs://storyreel-media/users/alice/projects/p1';

/**
 * A three-scene story in alice's project: stills of three shapes, one spoken
 * line per scene (espeak-ng), a music bed and karaoke captions, uploaded to
 * the blob store. 2 + 1.6 + 1.6 s with two 0.4 s fades: a 6 s movie.
 */
export async function uploadStory(blobs: BlobStore) {
  const dir = await mkdtemp(join(tmpdir(), 'render-fixture-'));
  try {
    const files = await Promise.all([
      makeStill(join(dir, 'wide.png'), 960, 540),
      makeStill(join(dir, 'tall.png'), 360, 720, 'testsrc'),
      makeStill(join(dir, 'square.png'), 500, 500, 'mandelbrot'),
      makeSpeech(join(dir, 'n0.wav'), 'Once upon a time.'),
      makeSpeech(join(dir, 'n1.wav'), 'A fox appeared.'),
      makeSpeech(join(dir, 'n2.wav'), 'The end.'),
      makeTone(join(dir, 'music.wav'), 2.5, 220),
      writeFile(join(dir, 'captions.ass'), KARAOKE_ASS).then(() => join(dir, 'captions.ass')),
    ]);
    const names = [
      'images/wide.png',
      'images/tall.png',
      'images/square.png',
      'voice/n0.wav',
      'voice/n1.wav',
      'voice/n2.wav',
      'music/bed.wav',
      'captions/story.ass',
    ];
    await Promise.all(names.map((name, i) => blobs.putFile(`${PROJECT}/${name}`, files[i] as string)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function storyManifest(overrides: Partial<RenderManifestInput> = {}): RenderManifestInput {
  return {
    version: 1,
    quality: 'draft',
    outputPrefix: `${PROJECT}/renders`,
    scenes: [
      {
        imagePath: `${PROJECT}/images/wide.png`,
        durationSeconds: 2,
        motion: 'zoom-in',
        transition: { type: 'fade', durationSeconds: 0.4 },
      },
      {
        imagePath: `${PROJECT}/images/tall.png`,
        durationSeconds: 1.6,
        motion: 'pan-right',
        fit: 'blur',
        transition: { type: 'slide', durationSeconds: 0.4 },
      },
      { imagePath: `${PROJECT}/images/square.png`, durationSeconds: 1.6, motion: 'zoom-out' },
    ],
    narration: { kind: 'per-scene', paths: [0, 1, 2].map((i) => `${PROJECT}/voice/n${i}.wav`) },
    music: { path: `${PROJECT}/music/bed.wav`, volume: 0.3 },
    captions: { assPath: `${PROJECT}/captions/story.ass` },
    ...overrides,
  };
}
