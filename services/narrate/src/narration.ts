import { type BlobStore, contentHash, formatGsPath, type WordTiming, wordsAsWritten } from '@storyreel/shared';
import { assertVoiceReads, normaliseNarrationText } from './narrationText.js';
import type { SpeechEngine } from './speechEngine.js';
import type { Voice } from './voices.js';

/** Bump when the way narration is made changes, so stored audio is made again. */
export const NARRATION_VERSION = 1;

export interface NarrationDeps {
  engine: SpeechEngine;
  blobs: BlobStore;
  mediaBucket: string;
}

export interface NarrationRequest {
  uid: string;
  projectId: string;
  voice: Voice;
  speed: number;
  scenes: readonly { id: string; text: string }[];
}

export interface NarratedScene {
  id: string;
  path: string;
  durationSeconds: number;
  words: WordTiming[] | null;
  cached: boolean;
}

interface StoredTimings {
  durationSeconds: number;
  words: WordTiming[] | null;
}

/** Every input that changes the audio: any change makes a new artefact, an unchanged one is reused. */
export function narrationHash(engine: SpeechEngine, voice: Voice, speed: number, text: string): string {
  return contentHash({
    text,
    voice: { id: voice.id, engineVoice: voice.engineVoice, tuning: voice.tuning },
    speed,
    engine: engine.name,
    engineVersion: engine.version,
    version: NARRATION_VERSION,
  });
}

async function readTimings(blobs: BlobStore, path: string): Promise<StoredTimings | null> {
  if (!(await blobs.exists(path))) return null;
  return JSON.parse((await blobs.get(path)).toString('utf8')) as StoredTimings;
}

async function narrateScene(
  deps: NarrationDeps,
  request: NarrationRequest,
  id: string,
  text: string,
): Promise<NarratedScene> {
  const hash = narrationHash(deps.engine, request.voice, request.speed, text);
  const base = `users/${request.uid}/projects/${request.projectId}/narration/${hash}`;
  const wavPath = formatGsPath(deps.mediaBucket, `${base}.wav`);
  const timingsPath = formatGsPath(deps.mediaBucket, `${base}.json`);

  const stored = await readTimings(deps.blobs, timingsPath);
  if (stored && (await deps.blobs.exists(wavPath))) return { id, path: wavPath, ...stored, cached: true };

  const speech = await deps.engine.synthesize(text, request.voice, request.speed, { userId: request.uid });
  await deps.blobs.put(wavPath, speech.wav, { contentType: 'audio/wav' });
  // Written last: its presence says the WAV beside it is complete.
  const timings: StoredTimings = {
    durationSeconds: speech.durationSeconds,
    // Captions are made from these words, so they carry the text's punctuation ("friend.").
    words: speech.words && wordsAsWritten(text, speech.words),
  };
  await deps.blobs.put(timingsPath, JSON.stringify(timings), { contentType: 'application/json' });
  return { id, path: wavPath, ...timings, cached: false };
}

/** Speaks each scene, reusing stored audio whose inputs did not change. */
export async function narrate(deps: NarrationDeps, request: NarrationRequest): Promise<NarratedScene[]> {
  const texts = request.scenes.map((scene) => normaliseNarrationText(scene.text));
  assertVoiceReads(
    request.voice,
    texts.map((text, i) => ({ field: `scenes.${i}.text`, text })),
  );
  const narrated: NarratedScene[] = [];
  // One at a time: the engine is single-threaded, and a long list must not hold every WAV in memory.
  for (const [i, scene] of request.scenes.entries()) {
    narrated.push(await narrateScene(deps, request, scene.id, texts[i] as string));
  }
  return narrated;
}
