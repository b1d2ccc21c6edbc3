import { createRequire } from 'node:module';
import type { WordTiming } from '@storyreel/shared';
import type { Speech, SpeechEngine } from '../speechEngine.js';
import type { Voice } from '../voices.js';
import { wavDuration } from '../wavDuration.js';

type Echogarden = typeof import('echogarden');
type Timeline = import('echogarden').Timeline;
/** How echogarden is told which voice to use: `voice` matches names by substring, so some need `language`. */
type VoiceSelector = { voice: string } | { language: string };

const require = createRequire(import.meta.url);
const versionOf = (pkg: string) => (require(`${pkg}/package.json`) as { version: string }).version;

/** A short pause at the end of a scene; the render decides the rest of the pacing. */
const SCENE_END_PAUSE_SECONDS = 0.5;

let loading: Promise<Echogarden> | undefined;

/** echogarden pulls in a large module graph: import it on first use, once per process. */
function loadEchogarden(): Promise<Echogarden> {
  loading ??= import('echogarden').then((eg) => {
    eg.setGlobalOption('logLevel', 'warning');
    return eg;
  });
  return loading;
}

function wordsOf(timeline: Timeline): WordTiming[] {
  const words: WordTiming[] = [];
  const walk = (entries: Timeline) => {
    for (const entry of entries) {
      if (entry.type === 'word') words.push({ text: entry.text, start: entry.startTime, end: entry.endTime });
      else if (entry.timeline) walk(entry.timeline);
    }
  };
  walk(timeline);
  return words;
}

/** Finds a selector that makes echogarden pick exactly `engineVoice`, never a look-alike. */
async function selectorFor(eg: Echogarden, engineVoice: string): Promise<VoiceSelector> {
  const byName = await eg.requestVoiceList({ engine: 'espeak', voice: engineVoice });
  if (byName.bestMatchingVoice?.name === engineVoice) return { voice: engineVoice };
  const entry = (await eg.requestVoiceList({ engine: 'espeak' })).voiceList.find((v) => v.name === engineVoice);
  if (!entry) throw new Error(`eSpeak has no voice named ${engineVoice}`);
  for (const language of entry.languages) {
    const byLanguage = await eg.requestVoiceList({ engine: 'espeak', language });
    if (byLanguage.bestMatchingVoice?.name === engineVoice) return { language };
  }
  throw new Error(`no echogarden voice or language option selects exactly ${engineVoice}`);
}

/**
 * eSpeak-NG (WebAssembly) through echogarden: offline speech with per-word
 * timings. One eSpeak instance serves the process and keeps the last voice
 * set, so calls run one at a time.
 */
export function espeakEngine(): SpeechEngine {
  const selectors = new Map<string, Promise<VoiceSelector>>();
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  const selector = (eg: Echogarden, engineVoice: string) => {
    let found = selectors.get(engineVoice);
    if (!found) {
      found = selectorFor(eg, engineVoice);
      found.catch(() => selectors.delete(engineVoice));
      selectors.set(engineVoice, found);
    }
    return found;
  };

  const synthesize = async (text: string, voice: Voice, speed: number): Promise<Speech> => {
    const eg = await loadEchogarden();
    const chosen = await selector(eg, voice.engineVoice);
    const result = await serially(() =>
      eg.synthesize(text, {
        engine: 'espeak',
        ...chosen,
        speed,
        pitch: voice.tuning?.pitch ?? 1,
        espeak: { useKlatt: voice.tuning?.klatt ?? false },
        segmentEndPause: SCENE_END_PAUSE_SECONDS,
        outputAudioFormat: { codec: 'wav' },
      }),
    );
    if (result.voice !== voice.engineVoice) {
      throw new Error(`echogarden chose voice ${result.voice} instead of ${voice.engineVoice}`);
    }
    if (!(result.audio instanceof Uint8Array)) throw new Error('echogarden returned raw audio instead of a WAV file');
    const wav = Buffer.from(result.audio.buffer, result.audio.byteOffset, result.audio.byteLength);
    return { wav, words: wordsOf(result.timeline), durationSeconds: wavDuration(wav) };
  };

  return {
    name: 'espeak',
    version: `echogarden@${versionOf('echogarden')}+espeak-ng-emscripten@${versionOf('@echogarden/espeak-ng-emscripten')}`,
    synthesize,
    async warm() {
      const eg = await loadEchogarden();
      await serially(() =>
        eg.synthesize('Ready.', { engine: 'espeak', voice: 'gmw/en-US', outputAudioFormat: { codec: 'wav' } }),
      );
    },
  };
}
