/**
 * Upscaler: the port between the polish run and whatever makes frames
 * larger. The offline adapter upscales inside the polish's own FFmpeg graph;
 * a cloud adapter upscales the video elsewhere first and hands back a file.
 */

export interface FrameSize {
  width: number;
  height: number;
}

export interface UpscaleJob {
  /** The movie to upscale: its object path (for providers that fetch it) and local copy. */
  source: { gsPath: string; file: string; size: FrameSize };
  target: FrameSize;
  /** The user the work is for: their own provider key is used when they stored one. */
  uid: string | undefined;
  /** A private folder for files the adapter downloads. */
  workDir: string;
  signal?: AbortSignal;
}

export interface UpscalePlan {
  /** The file whose video the polish run reads (the source, or one a provider upscaled). */
  videoInput: string;
  /** Filters, in the polish graph, that bring `videoInput` to exactly the target size. */
  filters: string[];
}

export interface Upscaler {
  /** Part of the cache key: another upscaler makes another artefact. */
  readonly name: string;
  plan(job: UpscaleJob): Promise<UpscalePlan>;
}

/** The frame at the target's short side, keeping the source's aspect; both sides even, as H.264 needs. */
export function upscaledSize(source: FrameSize, shortSide: number): FrameSize {
  const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
  return source.width >= source.height
    ? { width: even((source.width * shortSide) / source.height), height: shortSide }
    : { width: shortSide, height: even((source.height * shortSide) / source.width) };
}
