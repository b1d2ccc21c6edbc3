import { ApiError } from './apiError';
import type { HttpClient } from './client';
import type { StoredUpload, UploadSession } from './types';

export interface UploadProgress {
  sent: number;
  total: number;
}

async function sha256Hex(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function errorOf(xhr: XMLHttpRequest): ApiError {
  try {
    const { error } = JSON.parse(xhr.responseText) as { error?: { code?: string; message?: string } };
    const retry = Number(xhr.getResponseHeader('retry-after'));
    return new ApiError(
      xhr.status,
      error?.code ?? 'unknown',
      error?.message ?? `upload failed (${xhr.status})`,
      undefined,
      undefined,
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
    );
  } catch {
    return new ApiError(xhr.status, 'unknown', `upload failed (${xhr.status || 'network'})`);
  }
}

/** One chunk by XMLHttpRequest, the only browser API that reports upload progress. */
function putChunk(
  url: string,
  headers: Record<string, string>,
  chunk: Blob,
  start: number,
  size: number,
  onSent: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<UploadSession> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('content-range', `bytes ${start}-${start + chunk.size - 1}/${size}`);
    xhr.upload.onprogress = (e) => onSent(e.loaded);
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300 ? resolve(JSON.parse(xhr.responseText)) : reject(errorOf(xhr));
    xhr.onerror = () => reject(new TypeError('the connection dropped'));
    xhr.onabort = () => reject(new DOMException('upload cancelled', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(chunk);
  });
}

const MAX_RETRIES = 3;

/**
 * Uploads a file through the upload service's resumable sessions: declare
 * it, PUT chunks with Content-Range, and after a dropped connection ask the
 * session for its offset and carry on from there.
 */
export async function uploadFile(
  http: HttpClient,
  projectId: string,
  file: File,
  onProgress: (p: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<StoredUpload> {
  const sha256 = await sha256Hex(file);
  let session = await http.json<UploadSession>('upload', 'POST', '/v1/uploads', {
    body: { projectId, kind: 'image', size: file.size, contentType: file.type || 'application/octet-stream', sha256 },
    signal,
  });
  const url = http.url('upload', session.uploadUrl);
  let retries = 0;
  while (session.offset < file.size) {
    const start = session.offset;
    const chunk = file.slice(start, Math.min(file.size, start + session.chunkSize));
    try {
      session = await putChunk(
        url,
        await http.headers(),
        chunk,
        start,
        file.size,
        (sent) => onProgress({ sent: start + sent, total: file.size }),
        signal,
      );
      retries = 0;
    } catch (err) {
      const resumable = err instanceof TypeError || (err instanceof ApiError && err.status === 409);
      if (!resumable || ++retries > MAX_RETRIES) throw err;
      await new Promise((r) => setTimeout(r, 500 * 2 ** retries));
      session = await http.json<UploadSession>('upload', 'GET', session.uploadUrl, { signal });
    }
    onProgress({ sent: session.offset, total: file.size });
  }
  const done = await http.json<UploadSession>('upload', 'POST', `${session.uploadUrl}/complete`, { signal });
  if (!done.upload) throw new Error(done.error?.message ?? 'the upload could not be finished');
  return done.upload;
}
