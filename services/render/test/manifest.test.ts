import { describe, expect, it } from 'vitest';
import { ENCODER_SETTINGS } from '../src/encoderSettings.js';
import { RenderManifest } from '../src/manifest.js';
import { outputSize } from '../src/outputSize.js';

const base = {
  version: 1,
  outputPrefix: 'gs://storyreel-media/users/alice/projects/p1/renders',
  scenes: [
    { imagePath: 'gs://storyreel-media/users/alice/projects/p1/images/0.png', durationSeconds: 3 },
    { imagePath: 'gs://storyreel-media/users/alice/projects/p1/images/1.png', durationSeconds: 2 },
  ],
};

function issues(value: unknown) {
  const result = RenderManifest.safeParse(value);
  expect(result.success).toBe(false);
  return result.error?.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) ?? [];
}

describe('render manifest', () => {
  it('fills the defaults of a minimal manifest', () => {
    const m = RenderManifest.parse(base);
    expect(m).toMatchObject({
      aspect: '16:9',
      resolution: '720p',
      fps: 30,
      quality: 'standard',
      loudness: { integratedLufs: -14, truePeakDb: -1.5 },
      outputs: { poster: true, gif: false, hls: false, thumbnails: false },
    });
    expect(m.scenes[0]).toMatchObject({
      motion: 'zoom-in',
      fit: 'cover',
      transition: { type: 'fade', durationSeconds: 0.5 },
    });
  });

  it('needs version 1 and names every bad field', () => {
    const found = issues({
      ...base,
      version: 2,
      aspect: '4:3',
      scenes: [{ imagePath: 'https://example.com/a.png', durationSeconds: 0, motion: 'spin' }],
    });
    const paths = found.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'version',
        'aspect',
        'scenes.0.imagePath',
        'scenes.0.durationSeconds',
        'scenes.0.motion',
      ]),
    );
  });

  it('refuses unknown keys instead of ignoring a typo', () => {
    expect(issues({ ...base, resolutoin: '1080p' })[0]?.message).toMatch(/resolutoin/);
  });

  it('wants one narration entry per scene', () => {
    const found = issues({ ...base, narration: { kind: 'per-scene', paths: ['gs://storyreel-media/n/0.wav'] } });
    expect(found).toEqual([{ path: 'narration.paths', message: 'one entry per scene: expected 2, got 1' }]);
  });

  it('wants increasing offsets into a combined track', () => {
    const found = issues({
      ...base,
      narration: { kind: 'track', path: 'gs://storyreel-media/n/all.wav', sceneOffsetsSeconds: [2, 1] },
    });
    expect(found.map((f) => f.path)).toEqual(['narration.sceneOffsetsSeconds.1']);
  });

  it('accepts a combined track with narration-track captions, and refuses those captions without one', () => {
    const narration = { kind: 'track', path: 'gs://storyreel-media/n/all.wav', sceneOffsetsSeconds: [0, 2.8] };
    const captions = { assPath: 'gs://storyreel-media/c/all.ass', timeline: 'narration-track' };
    expect(RenderManifest.parse({ ...base, narration, captions }).captions?.timeline).toBe('narration-track');
    expect(issues({ ...base, captions }).map((f) => f.path)).toEqual(['captions.timeline']);
  });

  it('bounds music volume to 0..1 and the output prefix to a gs:// folder', () => {
    const found = issues({
      ...base,
      outputPrefix: 'gs://storyreel-media/users/alice/',
      music: { path: 'gs://storyreel-media/m.wav', volume: 1.5 },
    });
    expect(found.map((f) => f.path).sort()).toEqual(['music.volume', 'outputPrefix']);
  });

  it('refuses a movie longer than 15 minutes', () => {
    const scenes = Array.from({ length: 10 }, () => ({
      imagePath: 'gs://storyreel-media/a.png',
      durationSeconds: 100,
    }));
    expect(issues({ ...base, scenes })[0]?.message).toMatch(/at most 900 s/);
  });
});

describe('output size presets', () => {
  it.each([
    ['16:9', '720p', 1280, 720],
    ['9:16', '720p', 720, 1280],
    ['1:1', '720p', 720, 720],
    ['16:9', '1080p', 1920, 1080],
    ['9:16', '1080p', 1080, 1920],
    ['1:1', '1080p', 1080, 1080],
  ] as const)('%s %s is %ix%i', (aspect, resolution, width, height) => {
    expect(outputSize(aspect, resolution)).toEqual({ width, height });
  });
});

describe('quality presets', () => {
  it('trade speed for size from draft to high, never below the High profile', () => {
    expect(ENCODER_SETTINGS).toEqual({
      draft: { preset: 'superfast', crf: 28 },
      standard: { preset: 'veryfast', crf: 23 },
      high: { preset: 'medium', crf: 20 },
    });
  });
});
