import { userHeaders } from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type HardeningWorld, startHardeningWorld } from './hardeningWorld.js';

/**
 * Valid but unusual input must get through the whole chain: a scene with a
 * pasted 1,500-character URL is narrated, and the words narrate made are
 * words captions take (the contract between them), so the movie job does not
 * fail at its captions step.
 */

let world: HardeningWorld;
beforeAll(async () => {
  world = await startHardeningWorld();
});
afterAll(() => world?.close());

it('narration of a scene with a very long unbroken token gets captions', async () => {
  const alice = userHeaders('alice');
  const url = `https://example.com/${'x'.repeat(1500)}`;
  const narrated = await supertest(world.app('narrate'))
    .post('/v1/narrate')
    .set(alice)
    .send({ projectId: 'p1', voice: 'en-us-1', scenes: [{ id: 's1', text: `Visit ${url} today.` }] });
  expect(narrated.status, JSON.stringify(narrated.body).slice(0, 300)).toBe(200);
  const scene = narrated.body.scenes[0] as { durationSeconds: number; words: { text: string }[] };
  expect(Math.max(...scene.words.map((w) => w.text.length))).toBeGreaterThan(1000);

  const captions = await supertest(world.app('align-captions'))
    .post('/v1/captions')
    .set(alice)
    .send({ projectId: 'p1', timeline: { durationSeconds: scene.durationSeconds, words: scene.words } });
  expect(captions.status, JSON.stringify(captions.body).slice(0, 300)).toBe(200);
  expect(captions.body.cues).toBeGreaterThan(0);
}, 60_000);
