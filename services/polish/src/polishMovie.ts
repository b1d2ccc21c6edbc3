import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BlobStore, contentHash, notFound, runFfmpeg, unprocessable } from '@storyreel/shared';
import { loudnormFilter, measureLoudness } from './loudness.js';
import { buildPolishArgs } from './polishGraph.js';
import { INTERPOLATED_FPS, type PolishOptions, UPSCALE_SHORT_SIDE } from './polishRequest.js';
import { type FrameSize, type UpscalePlan, type Upscaler, upscaledSize } from './upscaler.js';
import { probeVideo } from './videoFacts.js';

/**
 * Bumped whenever the same options would polish differently (filters,
 * encoder settings), so an artefact of an older polisher is not served.
 */
export const POLISHER_VERSION = 'polish-2026.12-1';

export type PolishStage = 'checking' | 'downloading' | 'preparing' | 'polishing' | 'uploading' | 'done';

export interface PolishProgress {
  stage: PolishStage;
  /** 0-100 over the whole polish. */
  percent: number;
}

export interface PolishResult {
  videoPath: string;
  sourcePath: string;
  width: number;
  height: number;
  fps: number;
  durationSeconds: number;
  /** The options as applied (loudness with its target filled in). */
  applied: PolishOptions;
  upscaler?: string;
  polishKey: string;
  polisher: string;
  cached: boolean;
}

export interface PolishDeps {
  blobs: BlobStore;
  upscaler: Upscaler;
  ffmpegPath?: string;
  ffprobePath?: string;
  tempRoot?: string;
}

export interface PolishJob {
  videoPath: string;
  options: PolishOptions;
  /** The user the work is for (their provider keys), undefined for a service's own work. */
  uid: string | undefined;
}

const STAGE_SPAN: Record<Exclude<PolishStage, 'done'>, [number, number]> = {
  checking: [0, 2],
  downloading: [2, 6],
  preparing: [6, 12],
  polishing: [12, 96],
  uploading: [96, 100],
};

/** The folder a polished movie goes to: beside its source, named by everything that made it. */
export function polishedFolder(videoPath: string, key: string): string {
  return `${videoPath.slice(0, videoPath.lastIndexOf('/'))}/polished/${key}`;
}

/**
 * Polishes a movie into `<source folder>/polished/<polishKey>/movie.mp4`, a
 * new object: the source is never written. polish.json is written last, so it
 * always describes a movie that exists; the same source (same bytes) with the
 * same options finds it and is answered from it.
 */
export async function polishMovie(
  job: PolishJob,
  deps: PolishDeps,
  options: { signal?: AbortSignal; onProgress?: (progress: PolishProgress) => void } = {},
): Promise<PolishResult> {
  const report = (stage: PolishStage, stagePercent: number) => {
    if (stage === 'done') return options.onProgress?.({ stage, percent: 100 });
    const [from, to] = STAGE_SPAN[stage];
    options.onProgress?.({ stage, percent: Math.round(from + ((to - from) * stagePercent) / 100) });
  };
  report('checking', 0);
  const source = await deps.blobs.stat(job.videoPath);
  if (!source) throw notFound('movie');
  const upscaler = job.options.upscale ? deps.upscaler.name : undefined;
  const key = contentHash(
    {
      polisher: POLISHER_VERSION,
      source: { path: source.path, size: source.size, updated: source.updated },
      options: job.options,
      upscaler,
    },
    32,
  );
  const folder = polishedFolder(job.videoPath, key);
  const resultPath = `${folder}/polish.json`;
  const stored = await storedResult(deps.blobs, resultPath);
  if (stored) {
    report('done', 100);
    return { ...stored, cached: true };
  }

  const workDir = await mkdtemp(join(deps.tempRoot ?? tmpdir(), 'polish-'));
  try {
    report('downloading', 0);
    const sourceFile = join(workDir, 'source.mp4');
    await deps.blobs.getToFile(job.videoPath, sourceFile);
    const facts = await probeVideo(deps.ffprobePath ?? 'ffprobe', sourceFile);

    report('preparing', 0);
    let size: FrameSize = { width: facts.width, height: facts.height };
    let upscale: UpscalePlan | undefined;
    if (job.options.upscale) {
      const shortSide = UPSCALE_SHORT_SIDE[job.options.upscale];
      if (shortSide <= Math.min(facts.width, facts.height)) {
        throw unprocessable(`the movie is already ${job.options.upscale} or larger`, {
          fields: [{ field: 'upscale', message: `the movie is ${facts.width}x${facts.height}` }],
        });
      }
      size = upscaledSize(size, shortSide);
      upscale = await deps.upscaler.plan({
        source: { gsPath: job.videoPath, file: sourceFile, size: { width: facts.width, height: facts.height } },
        target: size,
        uid: job.uid,
        workDir,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    }
    if (job.options.loudness && !facts.hasAudio) {
      throw unprocessable('the movie has no sound to normalise', {
        fields: [{ field: 'loudness', message: 'no audio stream' }],
      });
    }
    report('preparing', 50);
    const loudnorm = job.options.loudness
      ? loudnormFilter(
          job.options.loudness.targetLufs,
          await measureLoudness(sourceFile, job.options.loudness.targetLufs, {
            ffmpegPath: deps.ffmpegPath,
            ...(options.signal ? { signal: options.signal } : {}),
          }),
        )
      : undefined;

    report('polishing', 0);
    const output = join(workDir, 'movie.mp4');
    const partial = join(workDir, 'movie.partial.mp4');
    await runFfmpeg(
      buildPolishArgs({
        source: sourceFile,
        output: partial,
        options: job.options,
        hasAudio: facts.hasAudio,
        ...(upscale ? { upscale } : {}),
        ...(loudnorm !== undefined ? { loudnorm } : {}),
      }),
      {
        ffmpegPath: deps.ffmpegPath,
        durationSeconds: facts.durationSeconds,
        onProgress: (p) => report('polishing', p),
        outputs: [{ partial, final: output }],
        inputLabels: ['videoPath', 'upscaled video'],
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );

    report('uploading', 0);
    const result: PolishResult = {
      videoPath: `${folder}/movie.mp4`,
      sourcePath: job.videoPath,
      ...size,
      fps: job.options.interpolate ? INTERPOLATED_FPS : facts.fps,
      durationSeconds: facts.durationSeconds,
      applied: job.options,
      ...(upscaler ? { upscaler } : {}),
      polishKey: key,
      polisher: POLISHER_VERSION,
      cached: false,
    };
    await deps.blobs.putFile(result.videoPath, output, { contentType: 'video/mp4' });
    report('uploading', 80);
    // Written last: its presence is what makes the movie above a cache hit.
    await deps.blobs.put(resultPath, JSON.stringify(result, null, 2), { contentType: 'application/json' });
    report('done', 100);
    return result;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function storedResult(blobs: BlobStore, resultPath: string): Promise<PolishResult | null> {
  if (!(await blobs.exists(resultPath))) return null;
  let result: PolishResult;
  try {
    result = JSON.parse((await blobs.get(resultPath)).toString('utf8')) as PolishResult;
  } catch {
    return null;
  }
  return (await blobs.exists(result.videoPath)) ? result : null;
}
