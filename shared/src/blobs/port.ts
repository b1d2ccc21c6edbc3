import type { Readable } from 'node:stream';

/**
 * BlobStore: the only seam to object storage (GCS in production, a local
 * directory offline). Every path is a `gs://<bucket>/<key>` string; adapters
 * check it with `parseGsPath` (gsPath.ts) before any I/O.
 */
export interface BlobInfo {
  path: string;
  size: number;
  contentType: string;
  updated: string;
}

export interface BlobStore {
  put(path: string, data: Buffer | Uint8Array | string, options?: { contentType?: string }): Promise<BlobInfo>;
  /** Uploads a local file (FFmpeg outputs) without holding it in memory. */
  putFile(path: string, localFile: string, options?: { contentType?: string }): Promise<BlobInfo>;
  get(path: string): Promise<Buffer>;
  /** Copies the object to a local file (FFmpeg inputs). */
  getToFile(path: string, localFile: string): Promise<void>;
  createReadStream(path: string, range?: { start: number; end: number }): Readable;
  stat(path: string): Promise<BlobInfo | null>;
  exists(path: string): Promise<boolean>;
  delete(path: string): Promise<void>;
  /** Every object whose path starts with the given `gs://bucket/prefix`. */
  list(prefix: string): Promise<BlobInfo[]>;
  copy(from: string, to: string): Promise<BlobInfo>;
  /** A URL that reads the object until it expires (V4 in GCS, HMAC locally). */
  signedUrl(path: string, expiresInSeconds: number): Promise<string>;
  /** A durable URL; only for objects in the public bucket. */
  publicUrl(path: string): string;
}
