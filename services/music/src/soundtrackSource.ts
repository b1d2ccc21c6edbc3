import type { ProviderCallContext } from '@storyreel/shared';
import type { Mood } from './moods.js';

/**
 * SoundtrackSource: where a soundtrack's audio comes from when it is not
 * the General MIDI synth playing our own composition (a cloud music model).
 * Its audio is mastered like the synth's: cut to length, faded, loudness
 * normalised. `id` and `version` go into the stored file's hash.
 */
export interface SoundtrackOrder {
  mood: Mood;
  durationSeconds: number;
  seed: number;
}

export interface SoundtrackSource {
  readonly id: string;
  readonly version: string;
  /**
   * 48 kHz stereo f32le PCM at least `durationSeconds` long; `workDir` is a
   * private temp folder for any files on the way. `context` says whom it is
   * for: a cloud source calls its provider with their key when they stored one.
   */
  pcm(order: SoundtrackOrder, workDir: string, context: ProviderCallContext): Promise<AsyncIterable<Uint8Array>>;
}
