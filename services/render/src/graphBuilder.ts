import { audioChains } from './audioGraph.js';
import { AUDIO_ENCODER_ARGS, videoEncoderArgs } from './encoderSettings.js';
import type { RenderManifest } from './manifest.js';
import { type FrameSize, outputSize } from './outputSize.js';
import type { Segment } from './segmentPlan.js';
import { buildTimeline, type Timeline } from './timeline.js';
import { type FrameWindow, videoChains } from './videoGraph.js';

/** Local copies of the manifest's inputs, in the manifest's order. */
export interface LocalInputs {
  images: readonly string[];
  /** per-scene: one file or null per scene; track: the combined narration file. */
  narration?: { kind: 'per-scene'; files: readonly (string | null)[] } | { kind: 'track'; file: string };
  music?: string;
  /** The ASS file, already on the movie's timeline. */
  captions?: string;
}

export interface LocalOutputs {
  video: string;
  /** Written when the manifest asks for a poster. */
  poster?: string;
  /** An image2 pattern (`scene-%03d.jpg`): one still per scene, numbered by scene; when asked for. */
  sceneThumbnails?: string;
}

export interface FfmpegGraph {
  args: string[];
  timeline: Timeline;
  size: FrameSize;
  /** The file behind each `-i`, in input order (FFmpeg's errors name inputs by index). */
  inputFiles: string[];
}

/** Collects `-i` arguments and remembers the file behind each input index. */
function inputList() {
  const args: string[] = [];
  const files: string[] = [];
  const add = (...inputArgs: string[]): number => {
    args.push(...inputArgs);
    files.push(inputArgs[inputArgs.length - 1] as string);
    return files.length - 1;
  };
  return { args, files, add };
}

function checkImages(manifest: RenderManifest, inputs: LocalInputs): void {
  if (inputs.images.length !== manifest.scenes.length) {
    throw new Error(`expected ${manifest.scenes.length} images, got ${inputs.images.length}`);
  }
}

/** The picture's outputs of one window: the video stream's codec args come from the caller. */
function pictureOutputs(
  manifest: RenderManifest,
  inputs: LocalInputs,
  outputs: LocalOutputs,
  timeline: Timeline,
  size: FrameSize,
  window: FrameWindow,
  addInput: (...args: string[]) => number,
) {
  const video = videoChains(manifest, inputs.images, timeline, size, window, addInput, {
    ...(inputs.captions ? { captions: inputs.captions } : {}),
    poster: manifest.outputs.poster && outputs.poster !== undefined,
    thumbnails: manifest.outputs.sceneThumbnails && outputs.sceneThumbnails !== undefined,
  });
  const extraArgs: string[] = [];
  if (video.poster && outputs.poster) {
    extraArgs.push('-map', `[${video.poster}]`, '-frames:v', '1', '-q:v', '2', '-f', 'image2', '-update', '1');
    extraArgs.push(outputs.poster);
  }
  if (video.thumbnails && outputs.sceneThumbnails) {
    extraArgs.push('-map', `[${video.thumbnails}]`, '-fps_mode', 'passthrough', '-q:v', '3', '-f', 'image2');
    extraArgs.push('-start_number', String(video.thumbnailScenes[0] ?? 0), outputs.sceneThumbnails);
  }
  return { video, extraArgs };
}

/**
 * The whole movie as one FFmpeg command: a pure function of the manifest
 * and where its inputs were downloaded to, so it is tested without running
 * FFmpeg.
 */
export function buildGraph(manifest: RenderManifest, inputs: LocalInputs, outputs: LocalOutputs): FfmpegGraph {
  checkImages(manifest, inputs);
  const size = outputSize(manifest.aspect, manifest.resolution);
  const timeline = buildTimeline(manifest.scenes, manifest.fps);
  const list = inputList();
  const window = { fromFrame: 0, toFrame: timeline.totalFrames };
  const { video, extraArgs } = pictureOutputs(manifest, inputs, outputs, timeline, size, window, list.add);
  const chains = [...video.chains, ...audioChains(manifest, inputs, timeline, list.add)];
  const args = [
    '-loglevel',
    'error',
    ...list.args,
    '-filter_complex',
    chains.join(';'),
    '-map',
    `[${video.video}]`,
    '-map',
    '[aout]',
    ...videoEncoderArgs(manifest.quality, { fps: manifest.fps }),
    ...AUDIO_ENCODER_ARGS,
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    outputs.video,
    ...extraArgs,
  ];
  return { args, timeline, size, inputFiles: list.files };
}

/**
 * One segment's picture, without sound, built by the same chains as the
 * whole movie over the segment's frames: an MP4 that joins the others by
 * stream copy (segmentJoin.ts).
 */
export function buildSegmentGraph(
  manifest: RenderManifest,
  inputs: LocalInputs,
  segment: Segment,
  outputs: LocalOutputs,
): FfmpegGraph {
  checkImages(manifest, inputs);
  const size = outputSize(manifest.aspect, manifest.resolution);
  const timeline = buildTimeline(manifest.scenes, manifest.fps);
  const list = inputList();
  const { video, extraArgs } = pictureOutputs(manifest, inputs, outputs, timeline, size, segment, list.add);
  const args = [
    '-loglevel',
    'error',
    ...list.args,
    '-filter_complex',
    video.chains.join(';'),
    '-map',
    `[${video.video}]`,
    ...videoEncoderArgs(manifest.quality, { fps: manifest.fps, firstFrame: segment.fromFrame, stitchable: true }),
    '-f',
    'mp4',
    outputs.video,
    ...extraArgs,
  ];
  return { args, timeline, size, inputFiles: list.files };
}

/** The soundtrack alone, mixed and levelled once for the whole movie, as AAC in an M4A. */
export function buildAudioGraph(manifest: RenderManifest, inputs: LocalInputs, output: string): FfmpegGraph {
  const size = outputSize(manifest.aspect, manifest.resolution);
  const timeline = buildTimeline(manifest.scenes, manifest.fps);
  const list = inputList();
  const chains = audioChains(manifest, inputs, timeline, list.add);
  const args = [
    '-loglevel',
    'error',
    ...list.args,
    '-filter_complex',
    chains.join(';'),
    '-map',
    '[aout]',
    ...AUDIO_ENCODER_ARGS,
    '-f',
    'mp4',
    output,
  ];
  return { args, timeline, size, inputFiles: list.files };
}
