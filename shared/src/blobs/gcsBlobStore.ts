import { stat } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import type { File, FileMetadata, Storage } from '@google-cloud/storage';
import { AppError, badRequest, conflict, forbidden, isAppError, notFound, unavailable } from '../errors.js';
import { contentTypeFor } from './contentType.js';
import { formatGsPath, type GsPath, parseGsPath, parseGsPrefix } from './gsPath.js';
import { checkSignedUrlSeconds, encodeKey } from './objectUrl.js';
import type { BlobInfo, BlobStore } from './port.js';

export interface GcsBlobStoreOptions {
  storage: Storage;
  buckets: { media: string; public: string };
}

const RESUMABLE_ABOVE_BYTES = 8 * 1024 * 1024;

/** GCS's HTTP failures as the AppErrors callers expect. */
function mapGcsError(err: unknown): unknown {
  if (isAppError(err)) return err;
  const code = (err as { code?: unknown }).code;
  if (code === 404) return notFound('object');
  if (code === 403) return forbidden('storage refused the request');
  if (code === 409 || code === 412) return conflict('the object changed while it was being written');
  if (code === 429 || (typeof code === 'number' && code >= 500)) return unavailable('storage is unavailable', 5);
  return err;
}

async function call<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw mapGcsError(err);
  }
}

function toInfo(bucket: string, metadata: FileMetadata): BlobInfo {
  const key = String(metadata.name);
  return {
    path: formatGsPath(bucket, key),
    size: Number(metadata.size ?? 0),
    contentType: metadata.contentType ?? contentTypeFor(key),
    updated: new Date(String(metadata.updated ?? Date.now())).toISOString(),
  };
}

/**
 * BlobStore on Google Cloud Storage. Paths are checked with parseGsPath
 * before any request, so a refused key never reaches GCS. Signed URLs are
 * V4, signed by the service account's key (or IAM signBlob on Cloud Run).
 */
export function openGcsBlobStore(options: GcsBlobStoreOptions): BlobStore {
  const allowed = [options.buckets.media, options.buckets.public];
  const parse = (path: string) => parseGsPath(path, allowed);
  const fileOf = ({ bucket, key }: GsPath): File => options.storage.bucket(bucket).file(key);
  /** An upload or copy leaves the object's resource on the File; otherwise it is fetched. */
  const describe = async (p: GsPath, file: File): Promise<BlobInfo> => {
    const metadata = file.metadata?.size !== undefined ? file.metadata : (await file.getMetadata())[0];
    return toInfo(p.bucket, metadata);
  };

  return {
    async put(path, data, opts) {
      const p = parse(path);
      const file = fileOf(p);
      return call(async () => {
        await file.save(
          typeof data === 'string' || Buffer.isBuffer(data)
            ? data
            : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
          {
            resumable: false,
            contentType: opts?.contentType ?? contentTypeFor(p.key),
          },
        );
        return describe(p, file);
      });
    },

    async putFile(path, localFile, opts) {
      const p = parse(path);
      const { size } = await stat(localFile);
      return call(async () => {
        const [file] = await options.storage.bucket(p.bucket).upload(localFile, {
          destination: p.key,
          contentType: opts?.contentType ?? contentTypeFor(p.key),
          // Large outputs (movies) go resumable, so a dropped connection does not restart them.
          resumable: size > RESUMABLE_ABOVE_BYTES,
        });
        return describe(p, file);
      });
    },

    async get(path) {
      const file = fileOf(parse(path));
      return call(async () => (await file.download())[0]);
    },

    async getToFile(path, localFile) {
      const file = fileOf(parse(path));
      await call(() => file.download({ destination: localFile }));
    },

    createReadStream(path, range) {
      const file = fileOf(parse(path));
      if (
        range &&
        !(Number.isInteger(range.start) && Number.isInteger(range.end) && range.start >= 0 && range.end >= range.start)
      ) {
        throw badRequest('a byte range needs 0 <= start <= end', range);
      }
      const out = new PassThrough();
      const source = file.createReadStream(range ? { start: range.start, end: range.end } : {});
      source.on('error', (err) => out.destroy(mapGcsError(err) as Error));
      source.pipe(out);
      return out as Readable;
    },

    async stat(path) {
      const p = parse(path);
      try {
        return await describe(p, fileOf(p));
      } catch (err) {
        if ((err as { code?: unknown }).code === 404) return null;
        throw mapGcsError(err);
      }
    },

    async exists(path) {
      const file = fileOf(parse(path));
      return call(async () => (await file.exists())[0]);
    },

    async delete(path) {
      const file = fileOf(parse(path));
      await call(() => file.delete({ ignoreNotFound: true }));
    },

    async list(prefix) {
      const { bucket, key } = parseGsPrefix(prefix, allowed);
      return call(async () => {
        const [files] = await options.storage.bucket(bucket).getFiles({ prefix: key, autoPaginate: true });
        return files
          .map((f) => toInfo(bucket, f.metadata))
          .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      });
    },

    async copy(from, to) {
      const src = parse(from);
      const dest = parse(to);
      return call(async () => {
        const [copied] = await fileOf(src).copy(fileOf(dest));
        return describe(dest, copied);
      });
    },

    async signedUrl(path, expiresInSeconds) {
      const file = fileOf(parse(path));
      checkSignedUrlSeconds(expiresInSeconds);
      try {
        const [url] = await file.getSignedUrl({
          version: 'v4',
          action: 'read',
          expires: Date.now() + expiresInSeconds * 1000,
        });
        return url;
      } catch (err) {
        throw new AppError('internal', `could not sign a URL: ${(err as Error).message}`);
      }
    },

    publicUrl(path) {
      const { bucket, key } = parse(path);
      if (bucket !== options.buckets.public) throw badRequest('only objects in the public bucket have a public URL');
      return `https://storage.googleapis.com/${bucket}/${encodeKey(key)}`;
    },
  };
}
