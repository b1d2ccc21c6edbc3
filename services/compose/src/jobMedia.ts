import { type BlobStore, type DocStore, notFound } from '@storyreel/shared';
import { JOBS, type Job } from './jobs/job.js';

/** Links to a made movie live as long as scene image links; the wizard asks again when it reopens. */
export const MEDIA_URL_SECONDS = 6 * 3600;

export interface JobMedia {
  videoUrl: string;
  posterUrl: string | null;
  gifUrl: string | null;
  captions: { vttUrl: string; srtUrl: string } | null;
  expiresAt: string;
}

/**
 * Signed links to a finished job's movie, poster, GIF and captions: what the
 * wizard's player and download buttons use, since a browser cannot send
 * credentials with <video> or <track>. Another user's job is 404; a job
 * without a movie yet is 404 too (there is nothing to link to).
 */
export async function jobMedia(docs: DocStore, blobs: BlobStore, uid: string, jobId: string): Promise<JobMedia> {
  const doc = /^[A-Za-z0-9_-]{1,128}$/.test(jobId) ? await docs.get<Job>(JOBS, jobId) : null;
  if (!doc || doc.data.owner !== uid) throw notFound('job');
  const result = doc.data.result;
  if (!result) throw notFound('the movie of this job (it is not made yet)');
  const sign = (path: string) => blobs.signedUrl(path, MEDIA_URL_SECONDS);
  const signOrNull = (path: string | null | undefined) => (path ? sign(path) : Promise.resolve(null));
  const [videoUrl, posterUrl, gifUrl, vttUrl, srtUrl] = await Promise.all([
    sign(result.videoPath),
    signOrNull(result.posterPath),
    signOrNull(result.gifPath),
    signOrNull(result.captions?.vtt),
    signOrNull(result.captions?.srt),
  ]);
  return {
    videoUrl,
    posterUrl,
    gifUrl,
    captions: vttUrl && srtUrl ? { vttUrl, srtUrl } : null,
    expiresAt: new Date(Date.now() + MEDIA_URL_SECONDS * 1000).toISOString(),
  };
}
