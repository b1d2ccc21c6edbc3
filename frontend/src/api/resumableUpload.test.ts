// @vitest-environment node
// (Node has Blob.arrayBuffer and WebCrypto, as browsers do; jsdom 26 lacks them.)
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpClient } from './client';
import { uploadFile } from './resumableUpload';

/** The upload service's session as the fake keeps it. */
interface FakeSession {
  stored: number[];
  size: number;
  chunkSize: number;
}

const SIZE = 10;
const bytes = Uint8Array.from({ length: SIZE }, (_, i) => i + 1);

function fakeUploadService(session: FakeSession, dropOnce: number) {
  const ranges: string[] = [];
  const view = () => ({
    id: 'u1',
    uploadUrl: '/v1/uploads/u1',
    size: session.size,
    offset: session.stored.length,
    percent: Math.round((session.stored.length / session.size) * 100),
    chunkSize: session.chunkSize,
    minChunkSize: 1,
    status: 'open',
    upload: null,
    error: null,
  });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      if (method === 'POST' && url === '/api/upload/v1/uploads') {
        const body = JSON.parse(String(init.body));
        expect(body).toMatchObject({ projectId: 'p1', kind: 'image', size: SIZE, contentType: 'image/png' });
        expect(body.sha256).toMatch(/^[0-9a-f]{64}$/);
        return Response.json(view(), { status: 201 });
      }
      if (method === 'GET' && url === '/api/upload/v1/uploads/u1') return Response.json(view());
      if (method === 'POST' && url === '/api/upload/v1/uploads/u1/complete') {
        return Response.json({
          ...view(),
          status: 'completed',
          upload: { path: 'gs://media/users/u/projects/p1/uploads/x.png' },
        });
      }
      return Response.json({ error: { code: 'not_found', message: url } }, { status: 404 });
    }),
  );
  let puts = 0;
  class FakeXhr {
    status = 0;
    responseText = '';
    upload: { onprogress?: (e: { loaded: number }) => void } = {};
    onload?: () => void;
    onerror?: () => void;
    onabort?: () => void;
    private headers: Record<string, string> = {};
    open(method: string, url: string) {
      expect([method, url]).toEqual(['PUT', '/api/upload/v1/uploads/u1']);
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name] = value;
    }
    getResponseHeader() {
      return null;
    }
    async send(chunk: Blob) {
      const data = new Uint8Array(await chunk.arrayBuffer());
      ranges.push(this.headers['content-range'] ?? '');
      expect(this.headers.authorization).toBe('Bearer dev:u');
      if (++puts === dropOnce) {
        // Half the chunk reached the server before the connection dropped.
        session.stored.push(...data.slice(0, 1));
        this.onerror?.();
        return;
      }
      this.upload.onprogress?.({ loaded: data.length });
      session.stored.push(...data);
      this.status = 200;
      this.responseText = JSON.stringify(view());
      this.onload?.();
    }
    abort() {}
  }
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
  return ranges;
}

afterEach(() => vi.unstubAllGlobals());

describe('resumable upload', () => {
  it('sends the file in chunks with Content-Range, resumes from the stored offset after a drop, and completes', async () => {
    const session: FakeSession = { stored: [], size: SIZE, chunkSize: 4 };
    const ranges = fakeUploadService(session, 2);
    const http = new HttpClient({ idToken: async () => 'dev:u', appCheckToken: async () => 'debug' });
    const progress: number[] = [];
    const file = new File([bytes], 'fox.png', { type: 'image/png' });
    // The retry waits a second (backoff) before asking the session for its offset.
    const stored = await uploadFile(http, 'p1', file, ({ sent, total }) =>
      progress.push(Math.round((sent / total) * 100)),
    );

    expect(stored.path).toBe('gs://media/users/u/projects/p1/uploads/x.png');
    // The second chunk dropped after one byte; the next one starts where the server says it is.
    expect(ranges).toEqual(['bytes 0-3/10', 'bytes 4-7/10', 'bytes 5-8/10', 'bytes 9-9/10']);
    expect(session.stored).toEqual([...bytes]);
    expect(progress.at(-1)).toBe(100);
  });
});
