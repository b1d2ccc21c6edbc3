import { createWriteStream } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, parsePublicUrl, resolvePublicTarget, type SsrfGuardOptions } from '@storyreel/shared';

/**
 * Streams a file a provider left at a URL (fal answers with a link to its
 * CDN) to disk. The URL is outside input, so it goes through the SSRF guard:
 * http(s) only, the host resolved once, every address checked, and the
 * connection pinned to the checked address (no second DNS answer). No
 * redirects. Unlike the guard's own fetch, nothing is held in memory: an
 * upscaled movie can be gigabytes.
 */
export async function downloadProviderFile(
  raw: string,
  file: string,
  options: { maxBytes: number; signal?: AbortSignal; guard?: SsrfGuardOptions },
): Promise<void> {
  const url = parsePublicUrl(raw);
  const target = await resolvePublicTarget(url, options.guard);
  const lookup: LookupFunction = (_host, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
    } else callback(null, target.address, target.family);
  };
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(url, { lookup, ...(options.signal ? { signal: options.signal } : {}) }, resolve);
    req.on('error', reject);
    req.end();
  });
  if (response.statusCode !== 200) {
    response.resume();
    throw new AppError('unavailable', `the provider's file could not be downloaded (HTTP ${response.statusCode})`);
  }
  let bytes = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > options.maxBytes) {
        done(new AppError('unavailable', `the provider's file is larger than ${options.maxBytes} bytes`));
      } else done(null, chunk);
    },
  });
  await pipeline(response, cap, createWriteStream(file), ...(options.signal ? [{ signal: options.signal }] : []));
}
