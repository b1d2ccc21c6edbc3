import type { StyleId } from './styles.js';

/**
 * ImageProvider: the one seam to whatever draws a scene (the offline
 * illustrator here; a text-to-image model in the cloud). `id` and
 * `version` go into every image's content hash, so a new drawing engine or
 * a new version of one makes new images instead of reusing old ones.
 */
export interface ImageRequest {
  style: StyleId;
  width: number;
  height: number;
  /** Same prompt, style, size and seed: same picture. */
  seed: number;
}

export interface ImageProvider {
  readonly id: string;
  readonly version: string;
  /** A JPEG or PNG of exactly width x height. */
  generate(prompt: string, request: ImageRequest): Promise<Buffer>;
}
