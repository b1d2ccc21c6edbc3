import type { Plan } from '@storyreel/shared';

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** What one upload may be. Tests shrink some of them; production uses the defaults. */
export interface UploadLimits {
  imageMaxBytes: number;
  audioMaxBytes: number;
  /** Width × height read from the header, refused before any pixel is decoded (decompression bombs). */
  maxInputPixels: number;
  /** Longest side of a stored image; larger ones are scaled down. */
  maxImageDimension: number;
  thumbnailSize: number;
  maxAudioSeconds: number;
  /** The largest chunk one PUT may carry (Cloud Run refuses request bodies over 32 MiB). */
  chunkBytes: number;
  /** Every chunk but the last must be at least this big, so an upload cannot become millions of parts. */
  minChunkBytes: number;
  sessionTtlSeconds: number;
  /** Unfinished sessions a user may hold at once (each holds staged bytes). */
  maxOpenSessions: number;
  ingestConnectTimeoutMs: number;
  ingestTotalTimeoutMs: number;
}

export const DEFAULT_LIMITS: UploadLimits = {
  imageMaxBytes: 25 * MB,
  audioMaxBytes: 100 * MB,
  maxInputPixels: 50_000_000,
  maxImageDimension: 3840,
  thumbnailSize: 480,
  maxAudioSeconds: 3600,
  chunkBytes: 8 * MB,
  minChunkBytes: 256 * 1024,
  sessionTtlSeconds: 24 * 3600,
  maxOpenSessions: 5,
  ingestConnectTimeoutMs: 5_000,
  ingestTotalTimeoutMs: 30_000,
};

export interface PlanUploadQuota {
  /** Bytes of stored uploads (normalised images, thumbnails, audio) a user may keep. */
  storageBytes: number;
  dailyUploads: number;
  /** Bytes received per UTC day, so a quota of uploads cannot move unbounded data. */
  dailyBytes: number;
}

export type UploadQuotas = Readonly<Record<Plan, PlanUploadQuota>>;

export const DEFAULT_QUOTAS: UploadQuotas = {
  free: { storageBytes: 2 * GB, dailyUploads: 100, dailyBytes: 1 * GB },
  pro: { storageBytes: 50 * GB, dailyUploads: 1000, dailyBytes: 20 * GB },
  enterprise: { storageBytes: 500 * GB, dailyUploads: 10_000, dailyBytes: 200 * GB },
};

export const maxBytesFor = (limits: UploadLimits, kind: 'image' | 'audio') =>
  kind === 'image' ? limits.imageMaxBytes : limits.audioMaxBytes;
