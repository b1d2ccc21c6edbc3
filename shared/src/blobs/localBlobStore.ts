import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { badRequest, conflict, notFound } from '../errors.js';
import { blobUrlSignature } from './blobUrlSignature.js';
import { contentTypeFor } from './contentType.js';
import { formatGsPath, type GsPath, parseGsPath, parseGsPrefix } from './gsPath.js';
import { checkSignedUrlSeconds, encodeKey } from './objectUrl.js';
import type { BlobInfo, BlobStore } from './port.js';

export interface LocalBlobStoreOptions {
  /** Holds one folder per bucket, plus `.meta/` (content types) and `.tmp/` (writes in flight). */
  root: string;
  buckets: { media: string; public: string };
  /** Where the local gateway serves `/blobs` and `/public`. */
  publicBaseUrl: string;
  /** Signs `/blobs` URLs (the gateway checks them with verifySignedBlobUrl). */
  signingSecret: string;
}

interface Meta {
  contentType: string;
}

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code;
const isMissing = (err: unknown) => ['ENOENT', 'ENOTDIR', 'EISDIR'].includes(errno(err) ?? '');

/**
 * BlobStore on a local folder, for the offline mesh: `gs://b/k` is the file
 * `<root>/b/k`. Writes land in `.tmp/` and are renamed into place, so a reader
 * sees the old object or the new one, never half of one.
 */
export function openLocalBlobStore(options: LocalBlobStoreOptions): BlobStore {
  const allowed = [options.buckets.media, options.buckets.public];
  const baseUrl = options.publicBaseUrl.replace(/\/+$/, '');
  const tmpDir = join(options.root, '.tmp');

  const fileOf = ({ bucket, key }: GsPath) => {
    const bucketDir = join(options.root, bucket);
    const file = join(bucketDir, ...key.split('/'));
    // parseGsPath already refused `..`; this is the belt to its braces.
    if (!file.startsWith(bucketDir + sep)) throw badRequest('unsafe object key');
    return file;
  };
  const metaOf = ({ bucket, key }: GsPath) => `${join(options.root, '.meta', bucket, ...key.split('/'))}.json`;
  const parse = (path: string) => parseGsPath(path, allowed);

  const info = async (p: GsPath): Promise<BlobInfo | null> => {
    const st = await stat(fileOf(p)).catch((err: unknown) => {
      if (isMissing(err)) return null;
      throw err;
    });
    if (!st?.isFile()) return null;
    const meta = await readFile(metaOf(p), 'utf8').then(
      (text) => JSON.parse(text) as Meta,
      () => undefined,
    );
    return {
      path: formatGsPath(p.bucket, p.key),
      size: st.size,
      contentType: meta?.contentType ?? contentTypeFor(p.key),
      updated: st.mtime.toISOString(),
    };
  };

  const mustExist = async (p: GsPath): Promise<BlobInfo> => {
    const found = await info(p);
    if (!found) throw notFound('object');
    return found;
  };

  /** Renames a finished temp file into place; a path that runs through an object is a conflict. */
  const moveIntoPlace = async (temp: string, target: string) => {
    try {
      await mkdir(dirname(target), { recursive: true });
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      if (['ENOTDIR', 'EISDIR', 'EEXIST'].includes(errno(err) ?? '')) {
        throw conflict('the object path runs through another object', { target: relative(options.root, target) });
      }
      throw err;
    }
  };

  const writeMeta = async (p: GsPath, meta: Meta) => {
    const temp = join(tmpDir, `${randomUUID()}.json`);
    await mkdir(tmpDir, { recursive: true });
    await writeFile(temp, JSON.stringify(meta));
    await moveIntoPlace(temp, metaOf(p));
  };

  /** Puts a temp file (already written) at `p` with its content type, then reports it. */
  const commit = async (p: GsPath, temp: string, contentType: string | undefined): Promise<BlobInfo> => {
    // The type goes first: a new object then never shows up with a guessed one.
    try {
      await writeMeta(p, { contentType: contentType ?? contentTypeFor(p.key) });
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    await moveIntoPlace(temp, fileOf(p));
    return mustExist(p);
  };

  const newTemp = async () => {
    await mkdir(tmpDir, { recursive: true });
    return join(tmpDir, randomUUID());
  };

  /** Removes folders left empty by a delete, up to the bucket folder. */
  const pruneEmpty = async (from: string, stopAt: string) => {
    for (let dir = dirname(from); dir.startsWith(stopAt + sep); dir = dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        return;
      }
    }
  };

  const walk = async (dir: string): Promise<string[]> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch((err: unknown) => {
      if (isMissing(err)) return [];
      throw err;
    });
    const files = await Promise.all(
      entries.map((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : Promise.resolve(e.isFile() ? [join(dir, e.name)] : []),
      ),
    );
    return files.flat();
  };

  return {
    async put(path, data, opts) {
      const p = parse(path);
      const temp = await newTemp();
      await writeFile(temp, typeof data === 'string' ? Buffer.from(data) : data);
      return commit(p, temp, opts?.contentType);
    },

    async putFile(path, localFile, opts) {
      const p = parse(path);
      const temp = await newTemp();
      await copyFile(localFile, temp);
      return commit(p, temp, opts?.contentType);
    },

    async get(path) {
      const p = parse(path);
      return readFile(fileOf(p)).catch((err: unknown) => {
        throw isMissing(err) ? notFound('object') : err;
      });
    },

    async getToFile(path, localFile) {
      const p = parse(path);
      await mustExist(p);
      await copyFile(fileOf(p), localFile);
    },

    createReadStream(path, range) {
      const p = parse(path);
      if (
        range &&
        !(Number.isInteger(range.start) && Number.isInteger(range.end) && range.start >= 0 && range.end >= range.start)
      ) {
        throw badRequest('a byte range needs 0 <= start <= end', range);
      }
      const out = new PassThrough();
      const source = createReadStream(fileOf(p), range ? { start: range.start, end: range.end } : {});
      source.on('error', (err) => out.destroy(isMissing(err) ? notFound('object') : err));
      source.pipe(out);
      return out as Readable;
    },

    async stat(path) {
      return info(parse(path));
    },

    async exists(path) {
      return (await info(parse(path))) !== null;
    },

    async delete(path) {
      const p = parse(path);
      const file = fileOf(p);
      // unlink, not rm: a key that names a folder of other objects is no object, so nothing to delete.
      await unlink(file).catch((err: unknown) => {
        if (!isMissing(err)) throw err;
      });
      await unlink(metaOf(p)).catch(() => undefined);
      await pruneEmpty(file, join(options.root, p.bucket));
      await pruneEmpty(metaOf(p), join(options.root, '.meta', p.bucket));
    },

    async list(prefix) {
      const { bucket, key } = parseGsPrefix(prefix, allowed);
      const bucketDir = join(options.root, bucket);
      // Only the deepest folder the prefix names needs walking.
      const folder = key.includes('/') ? key.slice(0, key.lastIndexOf('/')) : '';
      const files = await walk(folder ? join(bucketDir, ...folder.split('/')) : bucketDir);
      const keys = files
        .map((f) => relative(bucketDir, f).split(sep).join('/'))
        .filter((k) => k.startsWith(key))
        .sort();
      const infos = await Promise.all(keys.map((k) => info({ bucket, key: k })));
      return infos.filter((i): i is BlobInfo => i !== null);
    },

    async copy(from, to) {
      const src = parse(from);
      const dest = parse(to);
      const source = await mustExist(src);
      const temp = await newTemp();
      await copyFile(fileOf(src), temp);
      return commit(dest, temp, source.contentType);
    },

    async signedUrl(path, expiresInSeconds) {
      const { bucket, key } = parse(path);
      checkSignedUrlSeconds(expiresInSeconds);
      const expires = Math.floor(Date.now() / 1000) + expiresInSeconds;
      const sig = blobUrlSignature(bucket, key, expires, options.signingSecret);
      return `${baseUrl}/blobs/${bucket}/${encodeKey(key)}?expires=${expires}&sig=${sig}`;
    },

    publicUrl(path) {
      const { bucket, key } = parse(path);
      if (bucket !== options.buckets.public) throw badRequest('only objects in the public bucket have a public URL');
      return `${baseUrl}/public/${bucket}/${encodeKey(key)}`;
    },
  };
}
