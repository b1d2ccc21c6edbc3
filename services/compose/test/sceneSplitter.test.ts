import { AppError } from '@storyreel/shared';
import { describe, expect, it } from 'vitest';
import { MAX_SCENES } from '../src/projectModel.js';
import { IDEAL_SCENE_SECONDS, splitStory } from '../src/sceneSplitter.js';
import { MOTIONS, TRANSITION_TYPES } from '../src/shotDirection.js';

const words = (s: string) => s.split(/\s+/).filter(Boolean);
const noSpace = (s: string) => s.replace(/\s+/g, '');

/** A story of `sentences` sentences with 6..20 words each, deterministic. */
function story(sentences: number, seed = 1): string {
  const vocabulary =
    'lantern harbour keeper storm quiet gulls rope island morning tide window bread letter sister old road'.split(' ');
  let x = seed;
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const n = 6 + (x % 15);
    const sentence = Array.from({ length: n }, (_, k) => vocabulary[(x + k * 7) % vocabulary.length]).join(' ');
    out.push(`${sentence[0]?.toUpperCase()}${sentence.slice(1)}${i % 5 === 4 ? '!' : '.'}`);
    if (i % 7 === 6) out.push('\n\n');
  }
  return out.join(' ');
}

describe('splitStory', () => {
  it('keeps every word in order and gives every scene 1..35 words', () => {
    const text = story(80);
    const { scenes, summary } = splitStory(text, { targetSeconds: 300 });
    expect(words(scenes.map((s) => s.text).join(' '))).toEqual(words(text));
    for (const scene of scenes) {
      const n = words(scene.text).length;
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(35);
    }
    expect(summary.truncated).toBe(false);
    expect(summary.keptUnits).toBe(words(text).length);
  });

  it('never splits a normal sentence: every scene ends at a sentence end', () => {
    const { scenes } = splitStory(story(40), { targetSeconds: 120 });
    for (const scene of scenes) expect(scene.text).toMatch(/[.!]$/);
  });

  it('sizes scenes to the target: about one per 6.5 s, total length near the target', () => {
    // ~160 words read in ~60 s at 2.6 words/s.
    const text = story(14, 7);
    const n = words(text).length;
    const { scenes, summary } = splitStory(text, { targetSeconds: 60 });
    expect(scenes.length).toBeGreaterThanOrEqual(Math.round(60 / IDEAL_SCENE_SECONDS) - 3);
    expect(scenes.length).toBeLessThanOrEqual(14);
    expect(Math.abs(summary.estimatedSeconds - Math.max(60, n / 2.6))).toBeLessThan(0.25 * 60);
    const shorter = splitStory(text, { targetSeconds: 15 });
    expect(shorter.scenes.length).toBeLessThan(scenes.length);
  });

  it('paces a short story out towards a longer target', () => {
    const text = 'The lantern flickered. The keeper climbed the stairs. The storm broke at midnight.';
    const { scenes, summary } = splitStory(text, { targetSeconds: 20 });
    expect(scenes).toHaveLength(3);
    expect(summary.estimatedSeconds).toBeGreaterThan(12);
    expect(summary.estimatedSeconds).toBeLessThanOrEqual(20.5);
  });

  it('cuts a sentence longer than a scene at clause punctuation, then between words', () => {
    const clause = 'the wind pulled at the ropes and the boats knocked together in the dark harbour';
    const long = `${Array.from({ length: 6 }, () => clause).join(', ')}.`;
    const { scenes } = splitStory(long, { targetSeconds: 30 });
    expect(scenes.length).toBeGreaterThan(1);
    expect(words(scenes.map((s) => s.text).join(' '))).toEqual(words(long));
    for (const s of scenes) expect(words(s.text).length).toBeLessThanOrEqual(35);
    for (const s of scenes.slice(0, -1)) expect(s.text).toMatch(/,$/);

    const unpunctuated = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const chunks = splitStory(unpunctuated, { targetSeconds: 60 }).scenes;
    expect(words(chunks.map((s) => s.text).join(' '))).toEqual(words(unpunctuated));
    for (const s of chunks) expect(words(s.text).length).toBeLessThanOrEqual(35);
  });

  it('keeps abbreviations inside their sentence', () => {
    const { scenes } = splitStory('Mr. Smith rowed to the island. Dr. Jones waited on the pier with a lamp.', {
      targetSeconds: 15,
      language: 'en',
    });
    const texts = scenes.map((s) => s.text);
    expect(texts.some((t) => t === 'Mr.' || t === 'Dr.')).toBe(false);
  });

  it('splits Chinese and Japanese by characters and keeps every character', () => {
    const zh = '从前有一座山，山里有一座庙。庙里有个老和尚在给小和尚讲故事。他说，海边的灯塔在夜里亮着。'.repeat(6);
    const result = splitStory(zh, { targetSeconds: 60 });
    expect(result.language).toBe('zh');
    expect(result.summary.unit).toBe('char');
    expect(noSpace(result.scenes.map((s) => s.text).join(''))).toBe(noSpace(zh));
    expect(result.scenes.length).toBeGreaterThan(2);
    expect(result.scenes.every((s) => /[。，]$/.test(s.text))).toBe(true);

    const ja =
      '昔々、ある村に小さな灯台がありました。夜になると、灯台守は海を見ていました。嵐の夜、船が帰ってきました。';
    const jaResult = splitStory(ja, { targetSeconds: 15 });
    expect(jaResult.language).toBe('ja');
    expect(noSpace(jaResult.scenes.map((s) => s.text).join(''))).toBe(noSpace(ja));
  });

  it('handles Cyrillic and Greek text', () => {
    const ru =
      'Старый смотритель жил у моря. Каждую ночь он зажигал маяк. Однажды пришла буря, и лодки вернулись домой.';
    const r = splitStory(ru, { targetSeconds: 15 });
    expect(r.language).toBe('ru');
    expect(words(r.scenes.map((s) => s.text).join(' '))).toEqual(words(ru));
    expect(r.scenes.some((s) => /море|моря|ночь|маяк/i.test(s.imagePrompt) || /sea|night/.test(s.imagePrompt))).toBe(
      true,
    );

    const el = 'Ο γέρος φύλακας ζούσε δίπλα στη θάλασσα. Κάθε νύχτα άναβε τον φάρο. Μια μέρα ήρθε καταιγίδα.';
    const g = splitStory(el, { targetSeconds: 15 });
    expect(g.language).toBe('el');
    expect(words(g.scenes.map((s) => s.text).join(' '))).toEqual(words(el));
  });

  it('uses the given language over detection', () => {
    expect(splitStory('Hola. Adiós.', { targetSeconds: 15, language: 'es-MX' }).language).toBe('es-MX');
  });

  it('gives scenes ids, seeds, prompts, motions and transitions the render manifest accepts', () => {
    const { scenes } = splitStory(story(30), { targetSeconds: 120 });
    expect(new Set(scenes.map((s) => s.id)).size).toBe(scenes.length);
    for (const [i, s] of scenes.entries()) {
      expect(s.id).toMatch(/^[A-Za-z0-9_-]{4,32}$/);
      expect(Number.isInteger(s.seed)).toBe(true);
      expect(s.imagePrompt.length).toBeGreaterThan(0);
      expect(MOTIONS).toContain(s.motion);
      expect(TRANSITION_TYPES).toContain(s.transition.type);
      expect(s.durationSeconds).toBeGreaterThanOrEqual(2.5);
      expect(s.imagePath).toBeNull();
      if (i > 0) expect(s.motion).not.toBe(scenes[i - 1]?.motion);
    }
  });

  it('refuses an empty or wordless story with a 422', () => {
    for (const bad of ['', '   \n\t  ', '... !!! ---']) {
      let caught: unknown;
      try {
        splitStory(bad, { targetSeconds: 60 });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(AppError);
      expect((caught as AppError).status).toBe(422);
    }
  });

  it('splits a 50,000-word story in well under a second, shortened to what a storyboard holds', () => {
    const text = story(3500, 3);
    expect(words(text).length).toBeGreaterThan(45_000);
    const started = performance.now();
    const { scenes, summary } = splitStory(text, { targetSeconds: 600 });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(500);
    expect(scenes.length).toBeLessThanOrEqual(MAX_SCENES);
    expect(summary.truncated).toBe(true);
    expect(summary.storyUnits).toBe(words(text).length);
    expect(summary.keptUnits).toBeLessThan(summary.storyUnits);
    // What is kept is the story's beginning, word for word.
    const kept = words(scenes.map((s) => s.text).join(' '));
    expect(kept).toEqual(words(text).slice(0, kept.length));
    expect(kept.length).toBe(summary.keptUnits);
  });

  it('bounds a 300,000-character story with no punctuation or spaces', () => {
    const started = performance.now();
    const { scenes, summary } = splitStory('海'.repeat(300_000), { targetSeconds: 600 });
    expect(performance.now() - started).toBeLessThan(800);
    expect(scenes.length).toBeLessThanOrEqual(MAX_SCENES);
    expect(summary.truncated).toBe(true);
  });
});
