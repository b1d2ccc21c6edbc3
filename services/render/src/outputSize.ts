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
