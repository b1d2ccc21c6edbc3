import type { ProviderCallContext } from '@storyreel/shared';
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
  /**
   * A JPEG, PNG or WebP, ideally width x height (a cloud model may give
   * another size: it is cropped to fit when stored). `context` says whom it
   * is for: a cloud provider is called with their key when they stored one.
   */
  generate(prompt: string, request: ImageRequest, context?: ProviderCallContext): Promise<Buffer>;
}
