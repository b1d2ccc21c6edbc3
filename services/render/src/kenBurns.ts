import type { Motion } from './manifest.js';
import type { FrameSize } from './outputSize.js';

/** How far a zoom travels over a scene, and how much a pan zooms in to have room to move. */
export const ZOOM_AMOUNT = 0.12;

/** Part of a scene's motion: `count` frames from frame `first` of it. */
export interface MotionRange {
  first: number;
  count: number;
}

/**
 * The zoompan filter that turns one still (already at the output size, in
 * yuv444p) into `frames` frames of motion. `none` goes through the same
 * filter at zoom 1, which swscale does as a plain copy, so every scene has
 * the same frame rate, time base and length semantics for xfade.
 *
 * With a range, only that stretch of the motion is made, exactly as the
 * whole run would have made it: a movie rendered in pieces (segmentPlan.ts)
 * continues a scene's zoom where the previous piece stopped.
 */
export function kenBurns(
  motion: Motion,
  frames: number,
  size: FrameSize,
  fps: number,
  range: MotionRange = { first: 0, count: frames },
): string {
  const frame = range.first === 0 ? 'on' : `(on+${range.first})`;
  const progress = `${frame}/${Math.max(frames - 1, 1)}`;
  const centreX = '(iw-iw/zoom)/2';
  const centreY = '(ih-ih/zoom)/2';
  const [z, x, y] = ((): [string, string, string] => {
    switch (motion) {
      case 'zoom-in':
        return [`1+${ZOOM_AMOUNT}*${progress}`, centreX, centreY];
      case 'zoom-out':
        return [`${1 + ZOOM_AMOUNT}-${ZOOM_AMOUNT}*${progress}`, centreX, centreY];
      case 'pan-left':
        return [`${1 + ZOOM_AMOUNT}`, `(iw-iw/zoom)*(1-${progress})`, centreY];
      case 'pan-right':
        return [`${1 + ZOOM_AMOUNT}`, `(iw-iw/zoom)*${progress}`, centreY];
      case 'none':
        return ['1', '0', '0'];
    }
  })();
  return `zoompan=z=${z}:x=${x}:y=${y}:d=${range.count}:s=${size.width}x${size.height}:fps=${fps}`;
}
