import { userHeaders } from '@storyreel/shared/testing';
import type { Express } from 'express';
import request from 'supertest';
import { sha256 } from './mediaSamples.js';

export interface UploadSpec {
  projectId: string;
  kind: 'image' | 'audio';
  contentType: string;
  bytes: Buffer;
  /** Declared instead of the real one (checksum tests). */
  sha256?: string;
}

export function createUpload(app: Express, uid: string, spec: UploadSpec) {
  return request(app)
    .post('/v1/uploads')
    .set(userHeaders(uid))
    .send({
      projectId: spec.projectId,
      kind: spec.kind,
      size: spec.bytes.length,
      contentType: spec.contentType,
      sha256: spec.sha256 ?? sha256(spec.bytes),
    });
}

export function putChunk(app: Express, uid: string, id: string, bytes: Buffer, start: number, total: number) {
  return request(app)
    .put(`/v1/uploads/${id}`)
    .set(userHeaders(uid))
    .set('content-type', 'application/octet-stream')
    .set('content-range', `bytes ${start}-${start + bytes.length - 1}/${total}`)
    .send(bytes);
}

/** Creates a session, sends every chunk and completes it; returns the completion response. */
export async function uploadWhole(app: Express, uid: string, spec: UploadSpec, chunkSize = 16 * 1024) {
  const created = await createUpload(app, uid, spec);
  if (created.status !== 201) throw new Error(`create answered ${created.status}: ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  for (let start = 0; start < spec.bytes.length; start += chunkSize) {
    const res = await putChunk(app, uid, id, spec.bytes.subarray(start, start + chunkSize), start, spec.bytes.length);
    if (res.status !== 200) throw new Error(`chunk at ${start} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  const completed = await request(app).post(`/v1/uploads/${id}/complete`).set(userHeaders(uid));
  return Object.assign(completed, { sessionId: id });
}
