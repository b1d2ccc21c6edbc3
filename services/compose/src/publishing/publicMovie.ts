import { COLLECTIONS, type DocStore } from '@storyreel/shared';

/**
 * `public_movies/<publicId>`: what the share page (functions/src/publicMovie.ts
 * reads and validates the same shape) may show to anyone. No owner, project
 * id or story: a public id leads to nothing private. Unpublishing leaves a
 * tombstone, so the page can answer 410 Gone instead of 404.
 */
export const PUBLIC_MOVIES = COLLECTIONS.publicMovies;

export interface PublishedMovie {
  status: 'published';
  title: string;
  description: string;
  /** BCP 47, for the page's lang and the captions track. */
  language: string;
  videoUrl: string;
  /** Null when the render made no poster. */
  posterUrl: string | null;
  /** The link-preview image: 1200x630 (socialImage.ts), or the poster at the movie's size if that failed. */
  image: { url: string; width: number; height: number } | null;
  gifUrl: string | null;
  vttUrl: string | null;
  width: number;
  height: number;
  durationSeconds: number;
  publishedAt: string;
  updatedAt: string;
}

export interface RemovedMovie {
  status: 'removed';
  removedAt: string;
}

export type PublicMovieDoc = PublishedMovie | RemovedMovie;

/** `movies/<publicId>/` in the public bucket holds every object of one public movie. */
export const publicFolder = (publicId: string) => `movies/${publicId}/`;

export async function isLive(docs: DocStore, publicId: string): Promise<boolean> {
  const doc = await docs.get<PublicMovieDoc>(PUBLIC_MOVIES, publicId);
  return doc?.data.status === 'published';
}
