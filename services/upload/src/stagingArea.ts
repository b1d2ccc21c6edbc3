import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { type BlobStore, formatGsPath } from '@storyreel/shared';

/**
 * Chunks of an upload in flight are separate objects,
 * `users/<uid>/uploads-staging/<session>/part-<offset>`, because neither GCS
 * nor the local store can append to an object. Completion reads them back in
 * order into one local file, hashing as it goes.
 */
export function stagingPrefix(bucket: string, owner: string, sessionId: string): string {
  return `${formatGsPath(bucket, `users/${owner}/uploads-staging/${sessionId}`)}/`;
}

export function partPath(bucket: string, owner: string, sessionId: string, offset: number): string {
  // Zero-padded so a listing sorts parts in byte order.
  return formatGsPath(bucket, `users/${owner}/uploads-staging/${sessionId}/part-${String(offset).padStart(15, '0')}`);
}

/**
 * Concatenates the committed parts (their lengths, in order) into `file` and
 * returns the sha256 and length of what was written.
 */
export async function assembleParts(
  blobs: BlobStore,
  parts: { path: string; length: number }[],
  file: string,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  const out = createWriteStream(file);
  let bytes = 0;
  try {
    for (const part of parts) {
      let partBytes = 0;
      for await (const chunk of blobs.createReadStream(part.path)) {
        const buf = chunk as Buffer;
        partBytes += buf.length;
        hash.update(buf);
        if (!out.write(buf)) await once(out, 'drain');
      }
      if (partBytes !== part.length) {
        throw new Error(`staged part ${part.path} holds ${partBytes} bytes, expected ${part.length}`);
      }
      bytes += partBytes;
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { sha256: hash.digest('hex'), bytes };
}

export async function deleteStaging(blobs: BlobStore, prefix: string): Promise<void> {
  const parts = await blobs.list(prefix);
  await Promise.all(parts.map((p) => blobs.delete(p.path)));
}
