import type { Upscaler } from '../upscaler.js';

/**
 * Offline upscaling inside the polish graph: Lanczos resampling, then a mild
 * unsharp mask on luma only, which restores some of the edge contrast
 * resampling softens without sharpening chroma noise.
 */
export const ffmpegUpscaler: Upscaler = {
  name: 'ffmpeg-lanczos-unsharp',
  async plan({ source, target }) {
    return {
      videoInput: source.file,
      filters: [`scale=${target.width}:${target.height}:flags=lanczos`, 'unsharp=5:5:0.6:5:5:0'],
    };
  },
};
