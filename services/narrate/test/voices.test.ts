import { describe, expect, it } from 'vitest';
import { espeakEngine } from '../src/adapters/espeakEngine.js';
import { findVoice, publicVoice, VOICES } from '../src/voices.js';

describe('voice catalogue', () => {
  it('has at least 8 voices in at least 5 languages with stable, URL-safe, unique ids', () => {
    expect(VOICES.length).toBeGreaterThanOrEqual(8);
    expect(new Set(VOICES.map((v) => v.language.split('-')[0])).size).toBeGreaterThanOrEqual(5);
    expect(new Set(VOICES.map((v) => v.id)).size).toBe(VOICES.length);
    for (const voice of VOICES) expect(voice.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(findVoice('en-us-1')?.engineVoice).toBe('gmw/en-US');
    expect(findVoice('nope')).toBeUndefined();
  });

  it('keeps tuning out of the public view', () => {
    const shown = publicVoice(VOICES.find((v) => v.tuning) ?? VOICES[0]!);
    expect(shown).not.toHaveProperty('tuning');
    expect(shown).toMatchObject({ id: expect.any(String), engineVoice: expect.any(String), reads: expect.any(Array) });
  });

  // The engine throws when echogarden picks another voice than engineVoice (it matches names by substring).
  it('makes every voice speak its own sample with exactly its engine voice', async () => {
    const engine = espeakEngine();
    for (const voice of VOICES) {
      const speech = await engine.synthesize(voice.sample, voice, 1);
      expect(speech.durationSeconds, voice.id).toBeGreaterThan(1);
      expect(speech.words?.length, voice.id).toBeGreaterThan(3);
    }
  }, 60_000);
});
