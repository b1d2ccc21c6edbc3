import { AppError } from '@storyreel/shared';
import { describe, expect, it } from 'vitest';
import type { Scene } from '../src/projectModel.js';
import { applySceneEdits } from '../src/sceneEdits.js';

const scene = (id: string, text: string, extra: Partial<Scene> = {}): Scene => ({
  id,
  text,
  imagePrompt: `prompt of ${id}`,
  durationSeconds: 4,
  motion: 'zoom-in',
  transition: { type: 'dissolve', durationSeconds: 0.6 },
  seed: 11,
  imagePath: `gs://storyreel-media/users/u/projects/p/images/${id}.jpg`,
  ...extra,
});

const current = [scene('aaaa1', 'The fox ran.'), scene('bbbb2', 'The owl watched.')];
let counter = 0;
const options = { language: 'en', newId: () => `new${++counter}x`, newSeedValue: () => 99 };

describe('applySceneEdits', () => {
  it('keeps an untouched scene exactly, image included', () => {
    const [a] = applySceneEdits(current, [current[0] as Scene], options);
    expect(a).toEqual(current[0]);
  });

  it('re-derives prompt and duration for new text, and drops the now stale image', () => {
    const [a] = applySceneEdits(
      current,
      [{ id: 'aaaa1', text: 'Snow fell over the dark castle for many long hours and days.' }],
      options,
    );
    expect(a?.imagePrompt).toMatch(/castle/);
    expect(a?.durationSeconds).toBeGreaterThan(4);
    expect(a?.imagePath).toBeNull();
    expect(a?.seed).toBe(11);
  });

  it("keeps the user's own prompt over one derived from the text", () => {
    const [a] = applySceneEdits(current, [{ id: 'aaaa1', text: 'Rain.', imagePrompt: 'a red umbrella' }], options);
    expect(a?.imagePrompt).toBe('a red umbrella');
    expect(a?.imagePath).toBeNull();
  });

  it('accepts a transition by name and gives new scenes ids and seeds', () => {
    const [, added] = applySceneEdits(
      current,
      [current[1] as Scene, { text: 'A new dawn.', transition: 'wipe' }],
      options,
    );
    expect(added).toMatchObject({
      id: expect.stringMatching(/^new\d+x$/),
      seed: 99,
      imagePath: null,
      transition: { type: 'wipe' },
    });
  });

  it('refuses unknown and repeated ids, naming each', () => {
    let caught: unknown;
    try {
      applySceneEdits(current, [{ id: 'zzzz9', text: 'x' }, current[0] as Scene, current[0] as Scene], options);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).status).toBe(422);
    expect((caught as AppError).details).toEqual({
      fields: [
        { field: 'scenes.0.id', message: expect.any(String) },
        { field: 'scenes.2.id', message: expect.any(String) },
      ],
    });
  });
});
