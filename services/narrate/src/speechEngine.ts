import type { ProviderCallContext, WordTiming } from '@storyreel/shared';
import type { Voice } from './voices.js';

export interface Speech {
  /** A complete RIFF/WAVE file. */
  wav: Buffer;
  /** Per-word timings in seconds from the start of `wav`; null when the engine cannot tell. */
  words: WordTiming[] | null;
  durationSeconds: number;
}

/** The port every text-to-speech engine implements (offline eSpeak, cloud providers). */
export interface SpeechEngine {
  /** Goes into artefact hashes: another engine or version makes new audio. */
  readonly name: string;
  readonly version: string;
  /** `context` says whom the speech is for: a cloud engine calls its provider with their key when they stored one. */
  synthesize(text: string, voice: Voice, speed: number, context?: ProviderCallContext): Promise<Speech>;
  /** Loads the engine so the first request does not pay for it. */
  warm(): Promise<void>;
}
