import type { Aspect, Resolution } from './manifest.js';

export interface FrameSize {
  width: number;
  height: number;
}

/** The short side is the resolution's line count, so 9:16 720p is 720x1280 and 1:1 720p is 720x720. */
const SHORT_SIDE: Record<Resolution, number> = { '720p': 720, '1080p': 1080 };

export function outputSize(aspect: Aspect, resolution: Resolution): FrameSize {
  const short = SHORT_SIDE[resolution];
  const long = (short * 16) / 9;
  switch (aspect) {
    case '16:9':
      return { width: long, height: short };
    case '9:16':
      return { width: short, height: long };
    case '1:1':
      return { width: short, height: short };
  }
}

/** Scales a frame so its long side is `longSide`, keeping both sides even (H.264 and tile need it). */
export function fitLongSide(size: FrameSize, longSide: number): FrameSize {
  const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
  return size.width >= size.height
    ? { width: longSide, height: even((size.height * longSide) / size.width) }
    : { width: even((size.width * longSide) / size.height), height: longSide };
}
