import { basename } from 'node:path';
import { type BlobStore, contentHash, formatGsPath } from '@storyreel/shared';
import { type Composition, compose } from './composer.js';
import { type AudioFormat, CONTENT_TYPES, LOUDNESS } from './mastering.js';
import type { Mood } from './moods.js';
import { type SoundtrackTools, withRenderedSoundtrack } from './soundtrack.js';
import type { SoundtrackSource } from './soundtrackSource.js';

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
  /** Whom it is for: a cloud source is called with their key when they stored one. */
  userId?: string;
}

export interface StoredSoundtrack {
  path: string;
  tempo: number;
  cached: boolean;
}

export interface SoundtrackCacheDeps extends Omit<SoundtrackTools, 'pcm'> {
  blobs: BlobStore;
  mediaBucket: string;
  /** A cloud music model; absent, the composition is synthesised with the soundfont. */
  source?: SoundtrackSource;
}

/** Every input that changes the audio: equal inputs find the stored file, any change makes a new one. */
export function soundtrackHash(
  request: Omit<SoundtrackRequest, 'prefix' | 'userId'>,
  soundfontPath: string,
  source?: Pick<SoundtrackSource, 'id' | 'version'>,
): string {
  return contentHash({
    ...(source ? { source: source.id, sourceVersion: source.version } : {}),
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
    const { source } = deps;
    const tools = source
      ? {
          ...deps,
          pcm: (workDir: string) =>
            source.pcm({ mood: request.mood, durationSeconds: request.durationSeconds, seed: request.seed }, workDir, {
              userId: request.userId,
            }),
        }
      : deps;
    await withRenderedSoundtrack(composition, request.format, tools, (file) =>
      deps.blobs.putFile(path, file, { contentType: CONTENT_TYPES[request.format] }),
    );
    return false;
  }

  return async function storedSoundtrack(request: SoundtrackRequest): Promise<StoredSoundtrack> {
    const hash = soundtrackHash(request, deps.soundfontPath, deps.source);
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
