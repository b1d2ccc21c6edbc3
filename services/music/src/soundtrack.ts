import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Composition } from './composer.js';
import { type AudioFormat, master } from './mastering.js';
import { synthesize } from './synth.js';

export interface SoundtrackTools {
  ffmpegPath: string;
  soundfontPath: string;
  /**
   * Audio from elsewhere (a cloud model) instead of the synth playing the
   * composition: 48 kHz stereo f32le, at least as long, made in `workDir`.
   */
  pcm?: (workDir: string) => Promise<AsyncIterable<Uint8Array>>;
}

/**
 * Synthesises (or takes from a cloud source) and masters a composition into a file in a private temp folder,
 * hands it to `use` (to upload it), and removes the folder whatever happens.
 */
export async function withRenderedSoundtrack<T>(
  composition: Composition,
  format: AudioFormat,
  tools: SoundtrackTools,
  use: (file: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'storyreel-music-'));
  try {
    const output = join(dir, `soundtrack.${format}`);
    const pcm = tools.pcm
      ? await tools.pcm(dir)
      : synthesize(composition.midi.toArray(), {
          soundfontPath: tools.soundfontPath,
          seconds: composition.durationSeconds,
        });
    await master(tools.ffmpegPath, pcm, dir, { output, durationSeconds: composition.durationSeconds, format });
    return await use(output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
