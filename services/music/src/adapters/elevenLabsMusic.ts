import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ElevenLabs, ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { adapterCaller, type ProviderAdapterOptions, runFfmpeg } from '@storyreel/shared';
import type { Mood } from '../moods.js';
import type { SoundtrackSource } from '../soundtrackSource.js';
import { SAMPLE_RATE } from '../synth.js';

/**
 * ElevenLabs Music (the compose endpoint) as a soundtrack source: a prompt
 * from the mood, the length asked for, instrumental only. The MP3 it
 * returns is decoded to the PCM mastering takes, looped when the movie is
 * longer than the model composes in one piece.
 */
export interface ElevenLabsMusicOptions extends ProviderAdapterOptions {
  /** The API's base URL; a loopback fake in tests. */
  baseUrl?: string;
  /** Absent: the API's default model. */
  modelId?: ElevenLabs.MusicModelId;
  ffmpegPath?: string;
}

const PRODUCTION_URL = 'https://api.elevenlabs.io';
/** The lengths the compose endpoint accepts. */
const MIN_LENGTH_MS = 10_000;
const MAX_LENGTH_MS = 300_000;

export function moodPrompt(mood: Mood): string {
  return (
    `Instrumental soundtrack to sit under a narrated story: ${mood.label.toLowerCase()}. ${mood.description} ` +
    `Around ${Math.round((mood.tempo.min + mood.tempo.max) / 2)} BPM in ${mood.key} ${mood.mode}. ` +
    'No vocals, no lyrics, an even level throughout.'
  );
}

export function elevenLabsMusic(options: ElevenLabsMusicOptions): SoundtrackSource {
  const baseUrl = options.baseUrl ?? PRODUCTION_URL;
  const modelId = options.modelId;
  const timeoutMs = options.timeoutMs ?? 180_000;
  const call = adapterCaller('elevenlabs', baseUrl, options, timeoutMs);

  return {
    id: `elevenlabs:${modelId ?? 'default'}`,
    version: '1',
    async pcm(order, workDir, context) {
      const lengthMs = Math.min(MAX_LENGTH_MS, Math.max(MIN_LENGTH_MS, Math.ceil(order.durationSeconds * 1000)));
      const mp3 = await call(
        context,
        async ({ credential, signal }) => {
          // Retries are ours (shared policy and breaker), not the SDK's.
          const client = new ElevenLabsClient({ apiKey: credential.apiKey, baseUrl, maxRetries: 0 });
          const stream = await client.music.compose(
            {
              prompt: moodPrompt(order.mood),
              musicLengthMs: lengthMs,
              forceInstrumental: true,
              ...(modelId ? { modelId } : {}),
            },
            { abortSignal: signal, maxRetries: 0, timeoutInSeconds: timeoutMs / 1000 },
          );
          return Buffer.from(await new Response(stream).arrayBuffer());
        },
        () => Math.ceil(lengthMs / 1000),
      );
      const composed = join(workDir, 'elevenlabs.mp3');
      const decoded = join(workDir, 'elevenlabs.f32');
      await writeFile(composed, mp3);
      await runFfmpeg(
        [
          ...['-nostdin', '-v', 'error', '-stream_loop', '-1', '-i', composed],
          ...['-t', order.durationSeconds.toFixed(3), '-f', 'f32le', '-ar', String(SAMPLE_RATE), '-ac', '2', decoded],
        ],
        { ffmpegPath: options.ffmpegPath ?? 'ffmpeg', timeoutMs: 120_000, inputLabels: ['the ElevenLabs music'] },
      );
      return createReadStream(decoded);
    },
  };
}
