import { protos, v1beta1 } from '@google-cloud/text-to-speech';
import {
  AppError,
  adapterCaller,
  googleRestClients,
  type ProviderAdapterOptions,
  untilAborted,
  type WordTiming,
} from '@storyreel/shared';
import { pcmToWav, wavSamples } from '../pcmWav.js';
import type { Speech, SpeechEngine } from '../speechEngine.js';
import { wavDuration } from '../wavDuration.js';

/**
 * Google Cloud Text-to-Speech (v1beta1, the version with time pointing):
 * the text goes in as SSML with a <mark> before every word, and the
 * timepoints of those marks come back as each word's start.
 */
export interface GoogleTtsEngineOptions extends ProviderAdapterOptions {
  /** host[:port] of the API; a loopback fake in tests (then over plain HTTP). */
  apiEndpoint?: string;
  port?: number;
  protocol?: 'http' | 'https';
}

const PRODUCTION_ENDPOINT = 'texttospeech.googleapis.com';
const SAMPLE_RATE = 24_000;
const WORDLIKE = /[\p{L}\p{N}]/u;

const escapeXml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);

/** The SSML to speak and, per mark name, the word it stands before. */
export function markedSsml(text: string): { ssml: string; words: string[] } {
  const words: string[] = [];
  const parts = text.split(/(\s+)/u).map((token) => {
    if (!WORDLIKE.test(token)) return escapeXml(token);
    words.push(token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''));
    return `<mark name="${words.length - 1}"/>${escapeXml(token)}`;
  });
  return { ssml: `<speak>${parts.join('')}</speak>`, words };
}

/** Google refuses SSML over 5,000 bytes; a mark costs about 17 of them per word. */
export const MAX_SSML_BYTES = 5000;

/**
 * The text cut at sentence ends (or, for a sentence too long on its own, at
 * spaces) into parts whose marked SSML each fits in one request.
 */
export function ssmlParts(text: string): string[] {
  const fits = (part: string) => Buffer.byteLength(markedSsml(part).ssml) <= MAX_SSML_BYTES;
  if (fits(text)) return [text];
  const parts: string[] = [];
  let current = '';
  const append = (piece: string) => {
    const joined = current ? `${current} ${piece}` : piece;
    if (fits(joined)) {
      current = joined;
      return;
    }
    if (current) parts.push(current);
    current = piece;
  };
  for (const sentence of text.split(/(?<=[.!?…。！？])\s+/u)) {
    if (fits(sentence)) append(sentence);
    else for (const word of sentence.split(/\s+/u)) append(word);
  }
  if (current) parts.push(current);
  return parts;
}

/** A word is heard from its mark to the next word's mark; the last one to the end of the audio. */
export function wordsFromTimepoints(
  words: readonly string[],
  timepoints: readonly { markName?: string | null; timeSeconds?: number | null }[],
  durationSeconds: number,
): WordTiming[] {
  const starts = new Map<number, number>();
  for (const point of timepoints) {
    const index = Number(point.markName);
    if (Number.isInteger(index) && typeof point.timeSeconds === 'number') starts.set(index, point.timeSeconds);
  }
  const timed = words.flatMap((text, i) => {
    const start = starts.get(i);
    return start === undefined ? [] : [{ text, start }];
  });
  return timed.map((w, i) => ({
    text: w.text,
    start: w.start,
    end: Math.max(w.start, timed[i + 1]?.start ?? durationSeconds),
  }));
}

export function googleTtsEngine(options: GoogleTtsEngineOptions): SpeechEngine {
  const apiEndpoint = options.apiEndpoint ?? PRODUCTION_ENDPOINT;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const call = adapterCaller('google-cloud', `${apiEndpoint}:${options.port ?? 443}`, options, timeoutMs);

  const clientFor = googleRestClients(v1beta1.TextToSpeechClient, {
    apiEndpoint,
    port: options.port,
    protocol: options.protocol,
  });

  return {
    name: 'google-tts',
    version: '1',
    async warm() {},
    async synthesize(text, voice, speed, context = {}): Promise<Speech> {
      const speakPart = async (part: string) => {
        const { ssml, words } = markedSsml(part);
        const [answer] = await call(
          context,
          async ({ credential, signal }) => {
            const request = clientFor(credential.apiKey).synthesizeSpeech(
              {
                input: { ssml },
                voice: { languageCode: voice.language, ssmlGender: voice.gender === 'male' ? 'MALE' : 'FEMALE' },
                audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: SAMPLE_RATE, speakingRate: speed },
                enableTimePointing: [
                  protos.google.cloud.texttospeech.v1beta1.SynthesizeSpeechRequest.TimepointType.SSML_MARK,
                ],
              },
              { timeout: timeoutMs, maxRetries: 0 },
            );
            // gax takes no AbortSignal: stop waiting for it when the attempt is cancelled.
            return untilAborted(request, signal);
          },
          () => part.length,
        );
        if (!answer.audioContent || answer.audioContent.length === 0) {
          throw new AppError('unavailable', 'Google Text-to-Speech answered without audio', {
            provider: 'google-cloud',
          });
        }
        // LINEAR16 comes with its WAV header.
        const audio = wavSamples(Buffer.from(answer.audioContent as Uint8Array));
        const seconds = audio.pcm.length / (audio.sampleRate * audio.channels * 2);
        return { audio, words: wordsFromTimepoints(words, answer.timepoints ?? [], seconds), seconds };
      };

      // One request per part that fits Google's SSML limit, spoken one after another and joined.
      const pcm: Buffer[] = [];
      const timed: WordTiming[] = [];
      let offset = 0;
      let format = { sampleRate: SAMPLE_RATE, channels: 1 };
      for (const part of ssmlParts(text)) {
        const spoken = await speakPart(part);
        pcm.push(spoken.audio.pcm);
        format = spoken.audio;
        timed.push(...spoken.words.map((w) => ({ text: w.text, start: w.start + offset, end: w.end + offset })));
        offset += spoken.seconds;
      }
      const wav = pcmToWav(Buffer.concat(pcm), format.sampleRate, format.channels);
      return { wav, words: timed, durationSeconds: wavDuration(wav) };
    },
  };
}
