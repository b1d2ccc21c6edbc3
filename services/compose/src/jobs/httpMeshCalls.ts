import type { ServiceName } from '@storyreel/config';
import type { ServiceContext } from '@storyreel/shared';
import type { CallOptions, MeshCalls } from './meshCalls.js';

/**
 * MeshCalls over the service client (mesh token, retries of transient
 * failures, circuit breaker), each call made on behalf of the job's user.
 */
export function httpMeshCalls(ctx: Pick<ServiceContext, 'client'>): MeshCalls {
  const clientOptions = (options: Omit<CallOptions, 'idempotencyKey'> & { idempotencyKey?: string }) => ({
    ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
    signal: options.signal,
    onBehalfOf: { kind: 'user' as const, uid: options.user.uid, plan: options.user.plan },
  });
  const post = <T>(name: ServiceName, path: string, body: unknown, options: CallOptions) =>
    ctx.client(name).post<T>(path, body, clientOptions(options));
  return {
    narrate: (body, options) => post('narrate', '/v1/narrate', body, options),
    align: (body, options) => post('align-captions', '/v1/align', body, options),
    captions: (body, options) => post('align-captions', '/v1/captions', body, options),
    music: (body, options) => post('music', '/v1/music', body, options),
    render: (body, options) =>
      post('render', `/v1/render?jobId=${encodeURIComponent(options.progressId)}`, body, options),
    renderProgress: (progressId, options) =>
      ctx.client('render').get(`/v1/renders/${encodeURIComponent(progressId)}`, clientOptions(options)),
    polish: (body, options) =>
      post('polish', `/v1/polish?jobId=${encodeURIComponent(options.progressId)}`, body, options),
    polishProgress: (progressId, options) =>
      ctx.client('polish').get(`/v1/polishes/${encodeURIComponent(progressId)}`, clientOptions(options)),
  };
}
