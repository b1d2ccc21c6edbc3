import { type Caller, forbidden, notFound, parseGsPath, unprocessable } from '@storyreel/shared';
import type { RenderManifest } from './manifest.js';
import { manifestInputs } from './manifestInputs.js';

export interface Buckets {
  media: string;
  public: string;
}

/**
 * Who may render what. A manifest names objects by path, so without this a
 * user could render another user's pictures into a movie of their own, or
 * write a movie into someone else's project.
 *
 * - Every path is in one of our buckets (422 naming the field otherwise).
 * - Outputs go to the media bucket; publishing is a separate, explicit step.
 * - A user (also when a service calls on their behalf) reads only their own
 *   objects under `users/<uid>/` or public ones, and writes only under
 *   `users/<uid>/projects/`. Another user's input is a 404, as if it did not
 *   exist; an output elsewhere is a 403.
 */
export function assertMayRender(manifest: RenderManifest, caller: Caller, buckets: Buckets): void {
  const allowed = [buckets.media, buckets.public];
  const bad: { field: string; message: string }[] = [];
  const parse = (field: string, path: string) => {
    try {
      return parseGsPath(path, allowed);
    } catch (err) {
      bad.push({ field, message: (err as Error).message });
      return null;
    }
  };
  const output = parse('outputPrefix', `${manifest.outputPrefix}/movie.mp4`);
  if (output && output.bucket !== buckets.media) {
    bad.push({ field: 'outputPrefix', message: `outputs go to the media bucket (${buckets.media})` });
  }
  const inputs = manifestInputs(manifest).map((input) => ({ input, path: parse(input.field, input.gsPath) }));
  if (bad.length > 0) throw unprocessable(`invalid paths: ${bad.map((b) => b.field).join(', ')}`, { fields: bad });

  if (caller.kind !== 'user') return;
  const own = `users/${caller.uid}/`;
  if (!output?.key.startsWith(`${own}projects/`)) {
    throw forbidden(`renders go under gs://${buckets.media}/${own}projects/`);
  }
  for (const { path } of inputs) {
    if (!path) continue;
    const readable = path.bucket === buckets.public || (path.bucket === buckets.media && path.key.startsWith(own));
    if (!readable) throw notFound('input object');
  }
}
