import { createHash } from 'node:crypto';
import {
  AppError,
  assertUnderPrefix,
  type BlobStore,
  type Caller,
  contentHash,
  formatGsPath,
  notFound,
  parseGsPath,
  type WordTiming,
  wordsAsWritten,
} from '@storyreel/shared';
import type { Aligner } from './aligner.js';

/** Bump when the way timings are made changes, so stored alignments are made again. */
export const ALIGNMENT_VERSION = 1;

/** About 24 minutes of 22 kHz mono WAV: far beyond a scene, and within the service's memory for DTW. */
export const MAX_AUDIO_BYTES = 64 * 1024 * 1024;

export interface AlignmentDeps {
  aligner: Aligner;
  blobs: BlobStore;
  mediaBucket: string;
}

export interface AlignmentRequest {
  caller: Caller;
  audioPath: string;
  text: string;
  language?: string;
}

/**
 * Checks an audio path before any read: our media bucket only, a safe key
 * (400 otherwise), and for a user only their own folder (404, so other
 * people's paths do not leak).
 */
export function audioLocation(audioPath: string, caller: Caller, mediaBucket: string) {
  const location = parseGsPath(audioPath, [mediaBucket]);
  if (caller.kind === 'user') assertUnderPrefix(location, mediaBucket, `users/${caller.uid}/`);
  return location;
}

/** Word timings of `text` in the stored audio, reusing an earlier alignment of the same audio and text. */
export async function alignAudio(
  deps: AlignmentDeps,
  request: AlignmentRequest,
): Promise<{ words: WordTiming[]; cached: boolean }> {
  const location = audioLocation(request.audioPath, request.caller, deps.mediaBucket);
  const info = await deps.blobs.stat(request.audioPath);
  if (!info) throw notFound('audio');
  if (info.size > MAX_AUDIO_BYTES) {
    throw new AppError('payload_too_large', `audio is ${info.size} bytes; the limit is ${MAX_AUDIO_BYTES}`);
  }
  const audio = await deps.blobs.get(request.audioPath);
  const text = request.text.replace(/\s+/g, ' ').trim();
  const hash = contentHash({
    audio: createHash('sha256').update(audio).digest('hex'),
    text,
    language: request.language?.toLowerCase(),
    aligner: deps.aligner.name,
    alignerVersion: deps.aligner.version,
    version: ALIGNMENT_VERSION,
  });
  // Beside the audio, so it lives and goes with it (a user's folder, a project's folder).
  const folder = location.key.includes('/') ? location.key.slice(0, location.key.lastIndexOf('/') + 1) : '';
  const cachePath = formatGsPath(deps.mediaBucket, `${folder}alignment/${hash}.json`);
  if (await deps.blobs.exists(cachePath)) {
    return { words: JSON.parse((await deps.blobs.get(cachePath)).toString('utf8')) as WordTiming[], cached: true };
  }
  const aligned = await deps.aligner.align(audio, text, request.language, {
    userId: request.caller.kind === 'user' ? request.caller.uid : undefined,
  });
  const words = wordsAsWritten(text, aligned);
  await deps.blobs.put(cachePath, JSON.stringify(words), { contentType: 'application/json' });
  return { words, cached: false };
}
