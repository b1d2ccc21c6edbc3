import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { probeAudio, rmsDb } from '@storyreel/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../src/composer.js';
import { LOUDNESS } from '../src/mastering.js';
import { findMood } from '../src/moods.js';
import { withRenderedSoundtrack } from '../src/soundtrack.js';

const tools = {
  ffmpegPath: 'ffmpeg',
  soundfontPath: process.env.SOUNDFONT_PATH ?? '/usr/share/sounds/sf3/MuseScore_General_Lite.sf3',
};

describe('a real 10-second render (spessasynth + ffmpeg)', () => {
  const durationSeconds = 10;
  let scratch: string;
  let wav: string;
  let workDir: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'music-render-test-'));
    wav = join(scratch, 'upbeat.wav');
    const mood = findMood('upbeat');
    if (!mood) throw new Error('upbeat mood missing');
    await withRenderedSoundtrack(compose({ mood, durationSeconds, seed: 4 }), 'wav', tools, async (file) => {
      workDir = dirname(file);
      await copyFile(file, wav);
    });
  }, 60_000);

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('is 48 kHz stereo PCM, exactly as long as asked', async () => {
    const facts = await probeAudio(wav);
    expect(facts.codec).toBe('pcm_s16le');
    expect(facts.sampleRate).toBe(48_000);
    expect(facts.channels).toBe(2);
    expect(Math.abs(facts.durationSeconds - durationSeconds)).toBeLessThan(0.1);
  });

  it('is loudness-normalised near the target, not silent and not clipped', async () => {
    const facts = await probeAudio(wav);
    expect(Math.abs(facts.integratedLufs - LOUDNESS.integrated)).toBeLessThan(1);
    expect(facts.samplePeakDb).toBeGreaterThan(-20);
    expect(facts.samplePeakDb).toBeLessThan(-1);
  });

  it('sounds all the way through and fades out at the end instead of stopping', async () => {
    const start = await rmsDb(wav, 0.2, 1);
    const middle = await rmsDb(wav, durationSeconds / 2 - 0.5, 1);
    const tail = await rmsDb(wav, durationSeconds - 0.3, 0.3);
    expect(start).toBeGreaterThan(-35);
    expect(middle).toBeGreaterThan(-35);
    expect(tail).toBeLessThan(middle - 12);
  });

  it('cleans its temp folder', () => {
    expect(workDir).toContain('storyreel-music-');
    expect(existsSync(workDir)).toBe(false);
  });
});

describe('a render that cannot start', () => {
  it('reports the missing soundfont and still removes its temp folder', async () => {
    const mood = findMood('calm');
    if (!mood) throw new Error('calm mood missing');
    // A private TMPDIR: renders in other test files must not be mistaken for leftovers.
    const privateTmp = await mkdtemp(join(tmpdir(), 'music-leftover-test-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    try {
      const broken = { ...tools, soundfontPath: '/nonexistent/gm.sf3' };
      await expect(
        withRenderedSoundtrack(compose({ mood, durationSeconds: 5, seed: 1 }), 'mp3', broken, () => Promise.resolve()),
      ).rejects.toThrow(/ENOENT.*gm\.sf3/);
      expect(await readdir(privateTmp)).toEqual([]);
    } finally {
      process.env.TMPDIR = saved;
      await rm(privateTmp, { recursive: true, force: true });
    }
  });
});
