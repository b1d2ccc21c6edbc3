import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Echogarden from 'echogarden';
import { afterAll, describe, expect, it } from 'vitest';
import { dtwAligner } from '../src/adapters/dtwAligner.js';

const dir = mkdtempSync(join(tmpdir(), 'align-dtw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TEXT = 'The quick brown fox jumps over the lazy dog. Then it runs far away into the forest.';
const LEAD_IN = 0.7;

/** Speech whose word times are known: eSpeak's own timeline, shifted by a lead-in of silence. */
async function knownSpeech() {
  Echogarden.setGlobalOption('logLevel', 'warning');
  const result = await Echogarden.synthesize(TEXT, {
    engine: 'espeak',
    voice: 'gmw/en-US',
    outputAudioFormat: { codec: 'wav' },
  });
  const starts: number[] = [];
  const walk = (entries: typeof result.timeline) => {
    for (const e of entries) {
      if (e.type === 'word') starts.push(e.startTime + LEAD_IN);
      else if (e.timeline) walk(e.timeline);
    }
  };
  walk(result.timeline);
  const raw = join(dir, 'speech.wav');
  const padded = join(dir, 'padded.wav');
  writeFileSync(raw, result.audio as Uint8Array);
  // Another sample rate and a silent lead-in, so the aligner must find the speech, not echo the reference.
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', raw, '-af', `adelay=${LEAD_IN * 1000}`, '-ar', '48000', padded]);
  return { wav: readFileSync(padded), starts };
}

describe('dtw aligner', () => {
  it('recovers word starts of known speech within 150 ms', async () => {
    const { wav, starts } = await knownSpeech();
    const words = await dtwAligner().align(wav, TEXT, 'en');
    expect(words.map((w) => w.text)).toEqual(TEXT.replace(/[.,]/g, '').split(' '));
    expect(words).toHaveLength(starts.length);
    for (const [i, word] of words.entries()) {
      expect(Math.abs(word.start - (starts[i] as number)), `${word.text} at ${word.start}`).toBeLessThan(0.15);
      expect(word.end).toBeGreaterThanOrEqual(word.start);
    }
  });

  it('names itself and its pinned versions (they key stored alignments)', () => {
    expect(dtwAligner().version).toMatch(/^echogarden@3\.4\.0\+espeak-ng-emscripten@/);
  });
});

describe('dtw aligner input', () => {
  it('refuses audio FFmpeg cannot decode with a 422', async () => {
    await expect(
      dtwAligner().align(Buffer.from('not audio at all '.repeat(50)), 'hello world', 'en'),
    ).rejects.toMatchObject({
      code: 'invalid_argument',
      status: 422,
    });
  });
});
