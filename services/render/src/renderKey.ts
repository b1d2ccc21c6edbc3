import { contentHash } from '@storyreel/shared';
import type { RenderManifest } from './manifest.js';

/**
 * Bumped whenever the same manifest would render differently (graph,
 * encoder settings, filters), so a stored movie from an older renderer is
 * not served as the answer to a new one.
 */
export const RENDERER_VERSION = 'render-2026.11-2';

export interface InputVersion {
  gsPath: string;
  size: number;
  updated: string;
}

/**
 * The cache key of a render: the manifest, the renderer version, and the
 * size + update time of every input, so an object overwritten in place
 * makes a new movie even though its path did not change.
 */
export function renderKey(manifest: RenderManifest, inputs: readonly InputVersion[]): string {
  return contentHash({ renderer: RENDERER_VERSION, manifest, inputs }, 32);
}
