import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type PendingOutput, runFfmpeg } from '@storyreel/shared';
import { buildAudioGraph, buildGraph, buildSegmentGraph, type FfmpegGraph, type LocalInputs } from './graphBuilder.js';
import { moveLongGraphToScript } from './graphScript.js';
import type { RenderManifest } from './manifest.js';
import { type FrameSize, outputSize } from './outputSize.js';
import { concatList, joinArgs } from './segmentJoin.js';
import { planSegments, type Segment, type SegmentPolicy } from './segmentPlan.js';
import { buildTimeline, type Timeline } from './timeline.js';

/** Where the finished files go; each appears only once the whole render has succeeded. */
export interface MovieFiles {
  video: string;
  poster?: string;
  /** A folder that gets `scene-000.jpg`, `scene-001.jpg`, … (one per scene). */
  sceneThumbnails?: string;
}

export interface MovieRenderOptions {
  /** A private folder for intermediate files (segments, the soundtrack, graph scripts). */
  workDir: string;
  ffmpegPath?: string;
  signal?: AbortSignal;
  /** 0-99 over the whole render. */
  onProgress?: (percent: number) => void;
  /** What the caller calls a local input file, for FFmpeg's errors. */
  describeInput?: (file: string) => string;
  segments?: Partial<SegmentPolicy>;
  /** FFmpeg processes at once when the movie is split. */
  concurrency?: number;
}

export interface MovieRender {
  timeline: Timeline;
  size: FrameSize;
  /** 1 when one process rendered the movie. */
  segmentCount: number;
}

/**
 * Measured on 2 vCPUs at 720p (README "Performance"): one graph costs
 * ~18 MB per scene on top of ~265 MB, so 10 scenes per process and two
 * processes at once stay well under 1 GB together, for any movie length.
 * Movies of up to 10 scenes keep the single process (same output, one run).
 */
export const DEFAULT_SEGMENT_POLICY: SegmentPolicy = { maxScenes: 10, minSegments: 1 };
/** Two at once use both cores of the machine the budget was set for; more would only add memory. */
export const DEFAULT_CONCURRENCY = Math.max(1, Math.min(2, availableParallelism()));
/** The soundtrack's share of the work, relative to the picture's (audio + AAC ≈ a fifth of a 720p render). */
const AUDIO_WEIGHT = 0.2;

/**
 * Renders a manifest from local files to a finished MP4 (+ poster and
 * per-scene thumbnails). A movie of few scenes is one FFmpeg process with
 * one graph (graphBuilder.ts). A longer one is split into segments at scene
 * starts (segmentPlan.ts), each rendered by its own process from the same
 * chains, in parallel; the soundtrack is mixed and levelled once by a
 * process of its own; then the segments are joined by stream copy and the
 * soundtrack muxed in. Peak memory then depends on the segment size, not
 * the movie's, and the two cores are both busy.
 */
export async function renderMovieFiles(
  manifest: RenderManifest,
  inputs: LocalInputs,
  files: MovieFiles,
  options: MovieRenderOptions,
): Promise<MovieRender> {
  const timeline = buildTimeline(manifest.scenes, manifest.fps);
  const segments = planSegments(timeline, { ...DEFAULT_SEGMENT_POLICY, ...options.segments });
  const partial: Required<MovieFiles> = {
    video: join(options.workDir, 'movie.partial.mp4'),
    poster: join(options.workDir, 'poster.partial.jpg'),
    sceneThumbnails: join(options.workDir, 'scenes.partial'),
  };
  const pending: PendingOutput[] = [{ partial: partial.video, final: files.video }];
  if (files.poster) pending.push({ partial: partial.poster, final: files.poster });
  if (files.sceneThumbnails) pending.push({ partial: partial.sceneThumbnails, final: files.sceneThumbnails });
  const outputs = {
    video: partial.video,
    ...(files.poster ? { poster: partial.poster } : {}),
    ...(files.sceneThumbnails ? { sceneThumbnails: join(partial.sceneThumbnails, 'scene-%03d.jpg') } : {}),
  };
  if (files.sceneThumbnails) await mkdir(partial.sceneThumbnails, { recursive: true });
  try {
    if (segments.length === 1) {
      const graph = buildGraph(manifest, inputs, outputs);
      await run(graph, options, {
        script: 'graph.txt',
        seconds: timeline.durationSeconds,
        onProgress: options.onProgress,
      });
    } else {
      await renderSegmented(manifest, inputs, outputs, segments, timeline, options);
    }
    for (const output of pending) await rename(output.partial, output.final);
    return { timeline, size: outputSize(manifest.aspect, manifest.resolution), segmentCount: segments.length };
  } catch (err) {
    await Promise.all(pending.map((o) => rm(o.partial, { recursive: true, force: true })));
    throw err;
  }
}

async function renderSegmented(
  manifest: RenderManifest,
  inputs: LocalInputs,
  outputs: { video: string; poster?: string; sceneThumbnails?: string },
  segments: readonly Segment[],
  timeline: Timeline,
  options: MovieRenderOptions,
): Promise<void> {
  const dir = join(options.workDir, 'segments');
  await mkdir(dir, { recursive: true });
  const names = segments.map((_, k) => `segment-${String(k).padStart(3, '0')}.mp4`);
  const audio = join(dir, 'soundtrack.m4a');

  const weights = [AUDIO_WEIGHT * timeline.totalFrames, ...segments.map((s) => s.toFrame - s.fromFrame)];
  const done = weights.map(() => 0);
  const total = weights.reduce((a, b) => a + b, 0);
  let reported = -1;
  const progressOf = (task: number) => (percent: number) => {
    done[task] = percent;
    const overall = Math.min(99, Math.floor(done.reduce((sum, p, i) => sum + p * (weights[i] ?? 0), 0) / total));
    if (overall > reported) {
      reported = overall;
      options.onProgress?.(overall);
    }
  };

  // One failure stops the other processes: their work would be thrown away.
  const stopAll = new AbortController();
  const forward = () => stopAll.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', forward, { once: true });
  const runOptions = { ...options, signal: stopAll.signal };
  const tasks: (() => Promise<void>)[] = [
    // First: the soundtrack is one long, single-threaded run that overlaps the segments best from the start.
    () =>
      run(buildAudioGraph(manifest, inputs, `${audio}.partial`), runOptions, {
        script: 'graph-audio.txt',
        seconds: timeline.durationSeconds,
        onProgress: progressOf(0),
        outputs: [{ partial: `${audio}.partial`, final: audio }],
      }),
    ...segments.map((segment, k) => () => {
      const file = join(dir, names[k] as string);
      return run(buildSegmentGraph(manifest, inputs, segment, { ...outputs, video: `${file}.partial` }), runOptions, {
        script: `graph-${k}.txt`,
        seconds: (segment.toFrame - segment.fromFrame) / timeline.fps,
        onProgress: progressOf(k + 1),
        outputs: [{ partial: `${file}.partial`, final: file }],
      });
    }),
  ];
  try {
    await runAtMost(options.concurrency ?? DEFAULT_CONCURRENCY, tasks, () => stopAll.abort());
  } finally {
    options.signal?.removeEventListener('abort', forward);
  }
  const list = join(dir, 'segments.ffconcat');
  await writeFile(list, concatList(names));
  await runFfmpeg(joinArgs(list, audio, outputs.video), {
    ffmpegPath: options.ffmpegPath,
    signal: options.signal,
    inputLabels: ['<segments>', '<soundtrack>'],
  });
  await rm(dir, { recursive: true, force: true });
}

async function run(
  graph: FfmpegGraph,
  options: MovieRenderOptions,
  job: { script: string; seconds: number; onProgress?: (percent: number) => void; outputs?: PendingOutput[] },
): Promise<void> {
  const describe = options.describeInput ?? ((file: string) => file);
  await runFfmpeg(await moveLongGraphToScript(graph.args, options.workDir, undefined, job.script), {
    ffmpegPath: options.ffmpegPath,
    durationSeconds: job.seconds,
    ...(job.onProgress ? { onProgress: job.onProgress } : {}),
    signal: options.signal,
    outputs: job.outputs ?? [],
    inputLabels: graph.inputFiles.map(describe),
  });
}

/** Runs the tasks in order, `limit` at a time; the first failure is thrown once the running ones have stopped. */
async function runAtMost(limit: number, tasks: readonly (() => Promise<void>)[], onFailure: () => void) {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < tasks.length && !failure) {
      const task = tasks[next++] as () => Promise<void>;
      try {
        await task();
      } catch (error) {
        if (!failure) {
          failure = { error };
          onFailure();
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  if (failure) throw failure.error;
}
