import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { AppError, adapterCaller, type ProviderAdapterOptions } from '@storyreel/shared';
import { wordsFromCharacters } from '../characterAlignment.js';
import { pcmToWav } from '../pcmWav.js';
import type { Speech, SpeechEngine } from '../speechEngine.js';
import type { Voice } from '../voices.js';
import { wavDuration } from '../wavDuration.js';

/**
 * ElevenLabs text-to-speech with timestamps: one call returns the audio and
 * when each character is heard, which become word timings here, so captions
 * need no second (alignment) pass.
 */
export interface ElevenLabsEngineOptions extends ProviderAdapterOptions {
  /** The API's base URL; a loopback fake in tests. */
  baseUrl?: string;
  modelId?: string;
  /** ElevenLabs voice ids standing in for our voices, by the voice's gender. */
  voiceIds?: Partial<Record<Voice['gender'], string>>;
}

const PRODUCTION_URL = 'https://api.elevenlabs.io';
/** Premade voices every account has: "George" and "Rachel". */
const DEFAULT_VOICE_IDS: Record<Voice['gender'], string> = {
  male: 'JBFqnCBsd6RMkjVDRZzb',
  female: '21m00Tcm4TlvDq8ikWAM',
};
const SAMPLE_RATE = 24_000;
/** The speeds ElevenLabs voice settings accept; ours are clamped into them. */
const MIN_SPEED = 0.7;
const MAX_SPEED = 1.2;

export function elevenLabsEngine(options: ElevenLabsEngineOptions): SpeechEngine {
  const baseUrl = options.baseUrl ?? PRODUCTION_URL;
  const modelId = options.modelId ?? 'eleven_multilingual_v2';
  const voiceIds = { ...DEFAULT_VOICE_IDS, ...options.voiceIds };
  const timeoutMs = options.timeoutMs ?? 60_000;
  const call = adapterCaller('elevenlabs', baseUrl, options, timeoutMs);

  return {
    name: 'elevenlabs',
    // The model and the voices speaking for ours change the audio: both go into its hash.
    version: `1:${modelId}:${voiceIds.male}:${voiceIds.female}`,
    async warm() {},
    async synthesize(text, voice, speed, context = {}): Promise<Speech> {
      const answer = await call(
        context,
        async ({ credential, signal }) => {
          // Retries are ours (shared policy and breaker), not the SDK's.
          const client = new ElevenLabsClient({ apiKey: credential.apiKey, baseUrl, maxRetries: 0 });
          return client.textToSpeech.convertWithTimestamps(
            voiceIds[voice.gender],
            {
              text,
              modelId,
              outputFormat: 'pcm_24000',
              voiceSettings: { speed: Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed)) },
            },
            { abortSignal: signal, maxRetries: 0, timeoutInSeconds: timeoutMs / 1000 },
          );
        },
        () => text.length,
      );
      if (!answer.audioBase64) {
        throw new AppError('unavailable', 'ElevenLabs answered without audio', { provider: 'elevenlabs' });
      }
      const wav = pcmToWav(Buffer.from(answer.audioBase64, 'base64'), SAMPLE_RATE);
      return {
        wav,
        words: answer.alignment ? wordsFromCharacters(answer.alignment) : null,
        durationSeconds: wavDuration(wav),
      };
    },
  };
}
