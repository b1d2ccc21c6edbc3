import { createRequire } from 'node:module';
import type { WordTiming } from '@storyreel/shared';
import type { Aligner } from '../aligner.js';
import { decodeAudio } from './ffmpegDecoder.js';

type Echogarden = typeof import('echogarden');

const require = createRequire(import.meta.url);
const versionOf = (pkg: string) => (require(`${pkg}/package.json`) as { version: string }).version;

let loading: Promise<Echogarden> | undefined;

/** echogarden pulls in a large module graph: import it on first use, once per process. */
function loadEchogarden(): Promise<Echogarden> {
  loading ??= import('echogarden').then((eg) => {
    eg.setGlobalOption('logLevel', 'warning');
    return eg;
  });
  return loading;
}

/**
 * Forced alignment by dynamic time warping (echogarden 'dtw'): eSpeak speaks
 * the transcript, and the reference is warped onto the real audio. Offline.
 * We decode with FFmpeg ourselves: echogarden would too, but then bad input
 * fails without a usable error. One eSpeak instance serves the process, so
 * alignments run one at a time.
 */
export function dtwAligner(options: { ffmpegPath?: string } = {}): Aligner {
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    name: 'echogarden-dtw',
    version: `echogarden@${versionOf('echogarden')}+espeak-ng-emscripten@${versionOf('@echogarden/espeak-ng-emscripten')}`,
    async align(audio, transcript, language) {
      const eg = await loadEchogarden();
      const decoded = await decodeAudio(audio, options.ffmpegPath ?? 'ffmpeg');
      const result = await serially(() =>
        eg.align(decoded, transcript, { engine: 'dtw', ...(language ? { language } : {}) }),
      );
      return result.wordTimeline.map(
        (entry): WordTiming => ({ text: entry.text, start: entry.startTime, end: entry.endTime }),
      );
    },
  };
}
