import { basename } from 'node:path';
import { type BlobStore, contentHash, formatGsPath } from '@storyreel/shared';
import { type Composition, compose } from './composer.js';
import { type AudioFormat, CONTENT_TYPES, LOUDNESS } from './mastering.js';
import type { Mood } from './moods.js';
import { type SoundtrackTools, withRenderedSoundtrack } from './soundtrack.js';

/** Bump when composing, synthesis or mastering change, so stored soundtracks are made again. */
export const SOUNDTRACK_VERSION = 1;

export interface SoundtrackRequest {
  mood: Mood;
  durationSeconds: number;
  tempo?: number;
  seed: number;
  format: AudioFormat;
  /** Folder under the media bucket the soundtrack is stored in, e.g. `users/u1/projects/p1/music`. */
  prefix: string;
}

export interface StoredSoundtrack {
  path: string;
  tempo: number;
  cached: boolean;
}

export interface SoundtrackCacheDeps extends SoundtrackTools {
  blobs: BlobStore;
  mediaBucket: string;
}

/** Every input that changes the audio: equal inputs find the stored file, any change makes a new one. */
export function soundtrackHash(request: Omit<SoundtrackRequest, 'prefix'>, soundfontPath: string): string {
  return contentHash({
    mood: request.mood,
    durationSeconds: request.durationSeconds,
    tempo: request.tempo ?? null,
    seed: request.seed,
    format: request.format,
    loudness: LOUDNESS,
    soundfont: basename(soundfontPath),
    version: SOUNDTRACK_VERSION,
  });
}

/**
 * Finds a soundtrack in storage or makes it. Identical requests arriving
 * while one is rendering wait for that render instead of starting another.
 */
export function soundtrackCache(deps: SoundtrackCacheDeps) {
  /** Per stored path: resolves to whether the file was already there. */
  const pending = new Map<string, Promise<boolean>>();

  async function findOrRender(path: string, request: SoundtrackRequest, composition: Composition): Promise<boolean> {
    if (await deps.blobs.exists(path)) return true;
    await withRenderedSoundtrack(composition, request.format, deps, (file) =>
      deps.blobs.putFile(path, file, { contentType: CONTENT_TYPES[request.format] }),
    );
    return false;
  }

  return async function storedSoundtrack(request: SoundtrackRequest): Promise<StoredSoundtrack> {
    const hash = soundtrackHash(request, deps.soundfontPath);
    const path = formatGsPath(deps.mediaBucket, `${request.prefix}/${hash}.${request.format}`);
    // Composing is cheap and pure: it gives the tempo a cached answer reports, without rendering.
    const composition = compose(request);

    const joined = pending.get(path);
    if (joined) {
      await joined;
      return { path, tempo: composition.tempo, cached: true };
    }
    const job = findOrRender(path, request, composition);
    pending.set(path, job);
    const forget = () => pending.delete(path);
    job.then(forget, forget);
    return { path, tempo: composition.tempo, cached: await job };
  };
}
