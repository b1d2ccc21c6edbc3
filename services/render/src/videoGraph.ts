import { escapeFilterValue } from './filterEscape.js';
import { kenBurns } from './kenBurns.js';
import type { Fit, RenderManifest, TransitionType } from './manifest.js';
import { type FrameSize, fitLongSide } from './outputSize.js';
import { type Timeline, transitionStartFrame } from './timeline.js';

/** A stretch of the movie in frames, `[fromFrame, toFrame)`: the whole movie, or one segment of it. */
export interface FrameWindow {
  fromFrame: number;
  toFrame: number;
}

export interface VideoChains {
  chains: string[];
  /** Pads the caller maps: the picture (captions burned in), and the poster and thumbnails when in the window. */
  video: string;
  poster?: string;
  thumbnails?: string;
  /** Scenes whose thumbnail this window makes, in order (the image2 numbering starts at the first). */
  thumbnailScenes: number[];
}

const XFADE: Record<Exclude<TransitionType, 'cut'>, string> = {
  fade: 'fade',
  dissolve: 'dissolve',
  wipe: 'wipeleft',
  slide: 'slideleft',
};

/** Long side of a per-scene thumbnail. */
export const SCENE_THUMBNAIL_LONG_SIDE = 320;

const seconds = (value: number) => Number(value.toFixed(6)).toString();

/** The frame a scene's still is taken at for its thumbnail (and scene 0's for the poster): the middle of its hold. */
export function holdMiddleFrame(timeline: Timeline, scene: number): number {
  const timing = timeline.scenes[scene];
  return timing ? timing.startFrame + Math.floor(timing.holdFrames / 2) : 0;
}

/**
 * The picture of the frames in `window`, as filter chains. Each still in
 * the window is decoded once, fitted, converted to yuv444p once and made
 * into its stretch of motion by zoompan; the stretches are joined by xfade
 * (or concat for a cut) at the timeline's offsets; the result is converted
 * to yuv420p once and the captions burned after that. Why each step sits
 * where it does: shared/recipes/render-ffmpeg.md.
 *
 * A scene only partly in the window (the one a segment's closing transition
 * fades into) contributes just its frames inside it, with its motion where
 * the whole movie would have it, so pieces rendered apart join seamlessly.
 */
export function videoChains(
  manifest: RenderManifest,
  images: readonly string[],
  timeline: Timeline,
  size: FrameSize,
  window: FrameWindow,
  addInput: (...args: string[]) => number,
  options: { captions?: string; poster: boolean; thumbnails: boolean },
): VideoChains {
  const { fps } = timeline;
  const chains: string[] = [];
  const included: number[] = [];
  timeline.scenes.forEach((timing, i) => {
    const transitionIn = timeline.scenes[i - 1]?.transitionOutFrames ?? 0;
    const pictureStart = timing.startFrame - transitionIn;
    const first = Math.max(0, window.fromFrame - pictureStart);
    const end = Math.min(timing.visualFrames, window.toFrame - pictureStart);
    if (end <= first) return;
    const scene = manifest.scenes[i];
    const image = images[i];
    if (!scene || !image) throw new Error(`scene ${i} has no image`);
    const input = addInput('-i', image);
    const motion = kenBurns(scene.motion, timing.visualFrames, size, fps, { first, count: end - first });
    // trim: an animated GIF or a video given as a still contributes its first frame, not its length.
    const still = `[${input}:v]trim=end_frame=1`;
    chains.push(`${fitStill(still, scene.fit, size, `s${i}`)},format=yuv444p,${motion}[v${i}]`);
    included.push(i);
  });
  if (included.length === 0) throw new Error(`no scene in frames ${window.fromFrame}-${window.toFrame}`);

  let joined = `v${included[0]}`;
  for (const i of included.slice(1)) {
    const previous = timeline.scenes[i - 1];
    if (!previous) throw new Error('timeline is missing a scene');
    const out = `j${i - 1}`;
    const type = manifest.scenes[i - 1]?.transition.type ?? 'cut';
    if (type === 'cut' || previous.transitionOutFrames === 0) {
      // concat re-stamps in microseconds; xfade wants every input on the scenes' 1/fps time base.
      chains.push(`[${joined}][v${i}]concat=n=2:v=1:a=0,settb=1/${fps}[${out}]`);
    } else {
      const duration = seconds(previous.transitionOutFrames / fps);
      const offset = seconds((transitionStartFrame(previous) - window.fromFrame) / fps);
      chains.push(`[${joined}][v${i}]xfade=transition=${XFADE[type]}:duration=${duration}:offset=${offset}[${out}]`);
    }
    joined = out;
  }

  const inWindow = (frame: number) => frame >= window.fromFrame && frame < window.toFrame;
  const posterFrame = holdMiddleFrame(timeline, 0);
  const poster = options.poster && inWindow(posterFrame);
  const thumbnailScenes = options.thumbnails
    ? timeline.scenes.map((_, i) => i).filter((i) => inWindow(holdMiddleFrame(timeline, i)))
    : [];
  const captions = options.captions ? captionFilter(options.captions, window.fromFrame, fps) : '';
  const branches = ['vmain', ...(poster ? ['vposter'] : []), ...(thumbnailScenes.length ? ['vthumbs'] : [])];
  if (branches.length === 1) {
    chains.push(`[${joined}]format=yuv420p${captions}[vout]`);
    return { chains, video: 'vout', thumbnailScenes };
  }
  // Poster and thumbnails are taken before the captions: stills of the story, not of half a sentence.
  chains.push(`[${joined}]format=yuv420p,split=${branches.length}${branches.map((b) => `[${b}]`).join('')}`);
  chains.push(`[vmain]null${captions}[vout]`);
  if (poster) {
    const at = posterFrame - window.fromFrame;
    chains.push(`[vposter]trim=start_frame=${at}:end_frame=${at + 1},setpts=PTS-STARTPTS[poster]`);
  }
  if (thumbnailScenes.length) {
    const thumb = fitLongSide(size, SCENE_THUMBNAIL_LONG_SIDE);
    const picks = thumbnailScenes.map((i) => `eq(n,${holdMiddleFrame(timeline, i) - window.fromFrame})`).join('+');
    chains.push(`[vthumbs]select='${picks}',scale=${thumb.width}:${thumb.height}:flags=lanczos[thumbs]`);
  }
  return {
    chains,
    video: 'vout',
    ...(poster ? { poster: 'poster' } : {}),
    ...(thumbnailScenes.length ? { thumbnails: 'thumbs' } : {}),
    thumbnailScenes,
  };
}

/**
 * Burns an ASS file timed on the movie. A window that starts later is put
 * on the movie's clock for libass (which reads each frame's timestamp) and
 * back, so every segment burns the same file without rewriting it.
 */
function captionFilter(file: string, fromFrame: number, fps: number): string {
  const ass = `ass=filename=${escapeFilterValue(file)}`;
  if (fromFrame === 0) return `,${ass}`;
  // The time base is pinned so the shift is a whole number of ticks, not a rounded float.
  return `,settb=1/${fps},setpts=PTS+${fromFrame},${ass},setpts=PTS-${fromFrame}`;
}

/** Continues the `still` chain to exactly the frame size, never stretched. */
function fitStill(still: string, fit: Fit, size: FrameSize, label: string): string {
  const { width: w, height: h } = size;
  const cover = `scale=${w}:${h}:force_original_aspect_ratio=increase:flags=lanczos,crop=${w}:${h}`;
  if (fit === 'cover') return `${still},${cover},setsar=1`;
  const blurRadius = Math.round(Math.min(w, h) / 30);
  return [
    `${still},split=2[${label}bg][${label}fg]`,
    `[${label}bg]${cover},boxblur=${blurRadius}:2[${label}blur]`,
    `[${label}fg]scale=${w}:${h}:force_original_aspect_ratio=decrease:flags=lanczos[${label}fit]`,
    `[${label}blur][${label}fit]overlay=x=(W-w)/2:y=(H-h)/2:format=yuv444,setsar=1`,
  ].join(';');
}
