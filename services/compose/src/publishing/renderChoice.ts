import {
  assertUnderPrefix,
  COLLECTIONS,
  conflict,
  type DocStore,
  notFound,
  parseGsPath,
  type StoredDoc,
} from '@storyreel/shared';
import type { RenderRecord } from '../jobs/movieOutcomes.js';

/**
 * The finished movie to publish: the render of the given job, or the
 * project's latest. Renders are written only when a movie job succeeds, so
 * any render found is a whole movie. Another user's render is as absent as
 * a missing one.
 */
export async function chooseRender(
  docs: DocStore,
  input: { uid: string; projectId: string; jobId?: string | undefined },
): Promise<StoredDoc<RenderRecord>> {
  if (input.jobId !== undefined) {
    const doc = await docs.get<RenderRecord>(COLLECTIONS.renders, input.jobId);
    if (!doc || doc.data.owner !== input.uid || doc.data.projectId !== input.projectId) throw notFound('render');
    return doc;
  }
  const renders = await docs.query<RenderRecord>(COLLECTIONS.renders, {
    where: [
      ['projectId', '==', input.projectId],
      ['owner', '==', input.uid],
    ],
  });
  const latest = renders.sort((a, b) => b.data.createdAt.localeCompare(a.data.createdAt))[0];
  if (!latest) throw conflict('this project has no finished movie yet: make the movie first');
  return latest;
}

export interface RenderObjects {
  video: string;
  poster: string | null;
  gif: string | null;
  vtt: string | null;
}

/**
 * The render's objects, each checked to lie in its owner's project folder of
 * the media bucket: publishing copies them to a public bucket, so a record
 * pointing anywhere else must not become a way to expose it.
 */
export function renderObjects(render: RenderRecord, mediaBucket: string): RenderObjects {
  const prefix = `users/${render.owner}/projects/${render.projectId}/`;
  const own = (path: string) => {
    assertUnderPrefix(parseGsPath(path, [mediaBucket]), mediaBucket, prefix);
    return path;
  };
  return {
    video: own(render.videoPath),
    poster: render.posterPath ? own(render.posterPath) : null,
    gif: render.gifPath ? own(render.gifPath) : null,
    vtt: render.captions ? own(render.captions.vtt) : null,
  };
}
