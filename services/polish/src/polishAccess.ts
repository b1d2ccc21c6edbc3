import { type Caller, type GsPath, notFound, parseGsPath } from '@storyreel/shared';

/**
 * Which movies a caller may polish. The path must be a safe key in the media
 * bucket (a foreign bucket or a traversal is a 400, as every gs:// path is);
 * a user (also through a service calling for them) may only polish their own
 * objects: anyone else's is a 404, as if it did not exist.
 */
export function assertMayPolish(videoPath: string, caller: Caller, mediaBucket: string): GsPath {
  const path = parseGsPath(videoPath, [mediaBucket]);
  if (caller.kind === 'user' && !path.key.startsWith(`users/${caller.uid}/`)) throw notFound('movie');
  return path;
}
