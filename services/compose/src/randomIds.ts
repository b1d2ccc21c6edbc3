import { randomBytes, randomInt } from 'node:crypto';
import { MAX_SEED } from './projectModel.js';

/** Short, URL- and object-key-safe ids; random so they reveal nothing and never collide in practice. */
export function newProjectId(): string {
  return randomBytes(12).toString('base64url');
}

export function newSceneId(): string {
  return randomBytes(6).toString('base64url');
}

export function newSeed(): number {
  return randomInt(0, MAX_SEED);
}
