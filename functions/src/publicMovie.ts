import { COLLECTIONS } from '@storyreel/shared';
import { z } from 'zod';

/**
 * `public_movies/<publicId>` as compose's publishing module writes it
 * (services/compose/src/publishing/publicMovie.ts): only what anyone may see.
 * An unpublished movie keeps a tombstone, so its page answers 410, not 404.
 */
export const PUBLIC_MOVIES = COLLECTIONS.publicMovies;

/** Views of each published movie, at most one per client and window (viewCounter.ts). */
export const SHARE_VIEWS = 'share_views';

/** Public ids are 128 random bits in base64url (22 characters); a little slack for ids made another way. */
export const PUBLIC_ID = /^[A-Za-z0-9_-]{16,64}$/;

const Dimension = z.number().int().min(1).max(8192);

export const PublishedMovieSchema = z.object({
  status: z.literal('published'),
  title: z.string(),
  description: z.string(),
  /** BCP 47, for `<html lang>` and the captions track. */
  language: z.string(),
  videoUrl: z.string(),
  /** Null when the render made no poster. */
  posterUrl: z.string().nullable(),
  /** The link-preview image: 1200x630 when publishing could make one, else the poster at the movie's size. */
  image: z.object({ url: z.string(), width: Dimension, height: Dimension }).nullable(),
  gifUrl: z.string().nullable(),
  vttUrl: z.string().nullable(),
  width: Dimension,
  height: Dimension,
  durationSeconds: z.number().min(0),
  publishedAt: z.string(),
  updatedAt: z.string(),
});
export type PublishedMovie = z.infer<typeof PublishedMovieSchema>;

export const RemovedMovieSchema = z.object({ status: z.literal('removed'), removedAt: z.string() });

export const PublicMovieSchema = z.discriminatedUnion('status', [PublishedMovieSchema, RemovedMovieSchema]);
export type PublicMovie = z.infer<typeof PublicMovieSchema>;
