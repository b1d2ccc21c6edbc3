import { v1 } from '@google-cloud/speech';
import {
  adapterCaller,
  googleRestClients,
  type ProviderAdapterOptions,
  unprocessable,
  untilAborted,
  type WordTiming,
} from '@storyreel/shared';
import type { Aligner } from '../aligner.js';
import { timeTranscript } from '../transcriptMatch.js';
import { decodeAudio } from './ffmpegDecoder.js';

/**
 * Google Cloud Speech-to-Text as an aligner: the audio is recognised with
 * word time offsets (enableWordTimeOffsets), and the heard words' times are
 * put on the transcript's words. Synchronous recognition takes up to a
 * minute of audio, which a scene's narration is well within.
 */
export interface GoogleSttAlignerOptions extends ProviderAdapterOptions {
  ffmpegPath?: string;
  /** host of the API; a loopback fake in tests (then with port and plain HTTP). */
  apiEndpoint?: string;
  port?: number;
  protocol?: 'http' | 'https';
}

const PRODUCTION_ENDPOINT = 'speech.googleapis.com';
const SAMPLE_RATE = 16_000;
/** Synchronous recognize refuses longer audio. */
export const MAX_SYNC_SECONDS = 60;

/** google.protobuf.Duration as the REST transport decodes it: seconds may come as a string or a Long. */
type Duration = { seconds?: number | string | { toNumber(): number } | null; nanos?: number | null } | null | undefined;
const secondsOf = (d: Duration) => {
  if (!d) return 0;
  const s = d.seconds;
  const whole = typeof s === 'object' && s !== null ? s.toNumber() : Number(s ?? 0);
  return whole + (d.nanos ?? 0) / 1e9;
};

function linear16(samples: Float32Array): Buffer {
  const pcm = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    pcm.writeInt16LE(Math.round(Math.max(-1, Math.min(1, samples[i] as number)) * 32767), i * 2);
  }
  return pcm;
}

export function googleSttAligner(options: GoogleSttAlignerOptions): Aligner {
  const apiEndpoint = options.apiEndpoint ?? PRODUCTION_ENDPOINT;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const call = adapterCaller('google-cloud', `${apiEndpoint}:${options.port ?? 443}`, options, timeoutMs);
  const clientFor = googleRestClients(v1.SpeechClient, { apiEndpoint, port: options.port, protocol: options.protocol });

  return {
    name: 'google-stt',
    version: '1',
    async align(audio, transcript, language, context = {}): Promise<WordTiming[]> {
      const decoded = await decodeAudio(audio, options.ffmpegPath ?? 'ffmpeg', SAMPLE_RATE);
      const samples = decoded.audioChannels[0] ?? new Float32Array(0);
      const durationSeconds = samples.length / SAMPLE_RATE;
      if (durationSeconds > MAX_SYNC_SECONDS) {
        throw unprocessable(
          `the audio is ${Math.round(durationSeconds)} s; Google Speech-to-Text aligns up to ${MAX_SYNC_SECONDS} s at a time`,
        );
      }
      const [answer] = await call(
        context,
        ({ credential, signal }) =>
          untilAborted(
            clientFor(credential.apiKey).recognize(
              {
                config: {
                  encoding: 'LINEAR16',
                  sampleRateHertz: SAMPLE_RATE,
                  languageCode: language ?? 'en-US',
                  enableWordTimeOffsets: true,
                  enableAutomaticPunctuation: false,
                },
                audio: { content: linear16(samples).toString('base64') },
              },
              { timeout: timeoutMs, maxRetries: 0 },
            ),
            signal,
          ),
        () => Math.ceil(durationSeconds),
      );
      const heard = (answer.results ?? []).flatMap((result) =>
        (result.alternatives?.[0]?.words ?? []).map(
          (w): WordTiming => ({
            text: w.word ?? '',
            start: secondsOf(w.startTime as Duration),
            end: secondsOf(w.endTime as Duration),
          }),
        ),
      );
      return timeTranscript(transcript, heard, durationSeconds);
    },
  };
}
