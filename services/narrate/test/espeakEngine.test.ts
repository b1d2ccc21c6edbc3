import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { espeakEngine } from '../src/adapters/espeakEngine.js';
import { findVoice } from '../src/voices.js';

const dir = mkdtempSync(join(tmpdir(), 'narrate-espeak-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ffprobe(wav: Buffer) {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.wav`);
  writeFileSync(file, wav);
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as {
    streams: { codec_name: string; sample_rate: string; channels: number }[];
    format: { format_name: string; duration: string };
  };
}

describe('espeak engine', () => {
  const engine = espeakEngine();
  const voice = findVoice('en-us-1')!;

  it('speaks two sentences into a valid WAV with one timing per word, in order, inside the audio', async () => {
    const text = 'The little fox ran home. It was very late';
    const speech = await engine.synthesize(text, voice, 1);

    const probe = ffprobe(speech.wav);
    expect(probe.format.format_name).toBe('wav');
    expect(probe.streams[0]).toMatchObject({ codec_name: 'pcm_s16le', channels: 1 });
    expect(Number(probe.format.duration)).toBeCloseTo(speech.durationSeconds, 2);
    expect(speech.durationSeconds).toBeGreaterThan(1.5);

    const words = speech.words ?? [];
    expect(words.map((w) => w.text)).toEqual(['The', 'little', 'fox', 'ran', 'home', 'It', 'was', 'very', 'late']);
    for (const [i, w] of words.entries()) {
      expect(w.end).toBeGreaterThan(w.start);
      expect(w.end).toBeLessThanOrEqual(speech.durationSeconds + 1e-6);
      if (i > 0) expect(w.start).toBeGreaterThanOrEqual(words[i - 1]!.end - 1e-6);
    }
    // The sentence break is audible: a pause between "home" and "It".
    expect(words[5]!.start - words[4]!.end).toBeGreaterThan(0.3);
  });

  it('speaks faster at a higher speed', async () => {
    const text = 'Speed changes how long this sentence takes to say.';
    const slow = await engine.synthesize(text, voice, 0.75);
    const fast = await engine.synthesize(text, voice, 1.5);
    expect(fast.durationSeconds).toBeLessThan(slow.durationSeconds * 0.75);
  });

  it('names its engine and pinned versions (they key stored audio)', () => {
    expect(engine.name).toBe('espeak');
    expect(engine.version).toMatch(/^echogarden@3\.4\.0\+espeak-ng-emscripten@\d+\.\d+\.\d+$/);
  });
});
