import {
  AppError,
  type Caller,
  defineRoute,
  forbidden,
  type ServiceContext,
  type SsrfGuardOptions,
  type UserCaller,
} from '@storyreel/shared';
import { z } from 'zod';
import { parseContentRange } from './contentRange.js';
import { deleteProjectUpload, listProjectUploads, signedUploadUrl } from './projectUploads.js';
import { DEFAULT_LIMITS, DEFAULT_QUOTAS, type UploadLimits, type UploadQuotas } from './uploadLimits.js';
import { uploadUsage } from './uploadQuota.js';
import {
  abortSession,
  completeSession,
  createSession,
  putChunk,
  readOwnedSession,
  type SessionDeps,
  sessionView,
} from './uploadSessions.js';
import { ingestUrl } from './urlIngest.js';

export interface UploadRouteOptions {
  limits?: Partial<UploadLimits>;
  quotas?: UploadQuotas;
  /** Tests inject a resolver and a loopback exception for their local servers; production passes none. */
  ssrf?: SsrfGuardOptions;
  now?: () => Date;
}

const ProjectId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - (1-64)');
const Kind = z.enum(['image', 'audio']);

export const CreateUploadBody = z.object({
  projectId: ProjectId,
  kind: Kind,
  size: z
    .number()
    .int()
    .min(1)
    .max(2 ** 40),
  contentType: z.string().min(3).max(100).describe('what the client believes the file is; the bytes must agree'),
  sha256: z
    .string()
    .regex(/^[A-Fa-f0-9]{64}$/, '64 hex digits')
    .describe('of the whole file; checked at completion'),
});

export const IngestUrlBody = z.object({
  projectId: ProjectId,
  url: z.string().min(1).max(2048).describe('http(s) URL of a public image'),
});

const StoredUploadSchema = z.object({
  uploadId: z.string(),
  path: z.string(),
  thumbPath: z.string().nullable(),
  kind: Kind,
  contentType: z.string(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  durationSeconds: z.number().nullable(),
  bytes: z.number(),
  sha256: z.string(),
  cached: z.boolean(),
});

const SessionSchema = z.object({
  id: z.string(),
  uploadUrl: z.string().describe('PUT chunks here; GET it to learn the offset to resume from'),
  projectId: z.string(),
  kind: Kind,
  contentType: z.string(),
  size: z.number(),
  offset: z.number().describe('bytes stored so far: the next chunk starts here'),
  percent: z.number(),
  chunkSize: z.number().describe('largest chunk a PUT may carry'),
  minChunkSize: z.number().describe('smallest chunk but the last'),
  status: z.enum(['open', 'completing', 'completed', 'failed', 'expired']),
  expiresAt: z.string(),
  upload: StoredUploadSchema.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});

const ListedUploadSchema = StoredUploadSchema.omit({ cached: true }).extend({
  createdAt: z.string(),
  source: z.enum(['upload', 'url']),
  url: z.string(),
  thumbUrl: z.string().nullable(),
});

const UsageSchema = z.object({
  plan: z.enum(['free', 'pro', 'enterprise']),
  storage: z.object({ usedBytes: z.number(), limitBytes: z.number() }),
  today: z.object({
    uploads: z.number(),
    uploadLimit: z.number(),
    bytes: z.number(),
    byteLimit: z.number(),
    resetsAt: z.string(),
  }),
});

const SessionParams = z.object({ id: z.string() });
const ProjectParams = z.object({ projectId: z.string() });
const ProjectUploadParams = z.object({ projectId: z.string(), uploadId: z.string() });

const CHUNK_TYPES = ['application/octet-stream', 'application/offset+octet-stream'];

/** Uploads belong to a user: a mesh call must say which user it acts for. */
function userOf(caller: Caller): UserCaller {
  if (caller.kind === 'user') return caller;
  throw forbidden('uploads belong to a user: call on behalf of one (x-storyreel-user)');
}

export function uploadRoutes(ctx: ServiceContext, options: UploadRouteOptions = {}) {
  if (ctx.env.NODE_ENV === 'production' && options.ssrf?.testOnlyLoopbackExceptions?.length) {
    throw new Error('loopback exceptions to the SSRF guard exist for tests only');
  }
  const deps: SessionDeps = {
    docs: ctx.docs,
    blobs: ctx.blobs,
    mediaBucket: ctx.buckets.media,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    quotas: options.quotas ?? DEFAULT_QUOTAS,
    ffprobePath: ctx.env.FFPROBE_PATH,
    now: options.now ?? (() => new Date()),
  };
  const ingestDeps = { ...deps, ssrf: options.ssrf ?? {} };
  const projectDeps = { docs: ctx.docs, blobs: ctx.blobs, buckets: ctx.buckets };

  return [
    defineRoute({
      method: 'post',
      path: '/v1/uploads',
      summary:
        'Start a resumable upload: declare project, kind, size, content type and sha256; then PUT chunks to uploadUrl and POST .../complete',
      auth: 'user-or-service',
      idempotent: true,
      status: 201,
      body: CreateUploadBody,
      response: SessionSchema,
      handler: ({ body, caller }) => createSession(deps, userOf(caller), body),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/uploads/:id',
      summary:
        "An upload's progress: the offset to resume from after a dropped connection, and its result once complete",
      auth: 'user-or-service',
      params: SessionParams,
      response: SessionSchema,
      handler: async ({ params, caller }) =>
        sessionView(deps, await readOwnedSession(deps.docs, userOf(caller).uid, params.id)),
    }),
    defineRoute({
      method: 'put',
      path: '/v1/uploads/:id',
      summary:
        'Store one chunk: raw bytes (application/octet-stream) with Content-Range: bytes <start>-<end>/<size>; start must equal the offset (409 tells the right one)',
      auth: 'user-or-service',
      params: SessionParams,
      response: SessionSchema,
      handler: ({ params, caller, req }) => {
        const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
        if (!CHUNK_TYPES.includes(type)) {
          throw new AppError(
            'unsupported_media_type',
            'send each chunk as raw bytes: Content-Type: application/octet-stream',
          );
        }
        const declaredLength = req.get('content-length');
        return putChunk(
          deps,
          userOf(caller),
          params.id,
          parseContentRange(req.get('content-range')),
          req,
          declaredLength === undefined ? undefined : Number(declaredLength),
        );
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/uploads/:id/complete',
      summary:
        'Finish an upload: checks the sha256 of the stored bytes, sniffs the content, normalises images, stores the file under the project',
      auth: 'user-or-service',
      params: SessionParams,
      response: SessionSchema,
      handler: ({ params, caller }) => completeSession(deps, userOf(caller), params.id),
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/uploads/:id',
      summary: 'Cancel an upload and drop its stored chunks',
      auth: 'user-or-service',
      params: SessionParams,
      handler: ({ params, caller }) => abortSession(deps, userOf(caller), params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/ingest-url',
      summary:
        'Fetch an image from a public http(s) URL (SSRF-guarded: public addresses only, ≤3 redirects, size capped) and store it like an upload',
      auth: 'user-or-service',
      idempotent: true,
      status: 201,
      body: IngestUrlBody,
      response: StoredUploadSchema,
      handler: ({ body, caller }) => ingestUrl(ingestDeps, userOf(caller), body),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/projects/:projectId/uploads',
      summary: "A project's uploaded files, oldest first, with links that expire in an hour",
      auth: 'user-or-service',
      params: ProjectParams,
      response: z.object({ uploads: z.array(ListedUploadSchema) }),
      handler: async ({ params, caller }) => ({
        uploads: await listProjectUploads(projectDeps, userOf(caller).uid, params.projectId),
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/projects/:projectId/uploads/:uploadId',
      summary: 'Delete an uploaded file, freeing its storage',
      auth: 'user-or-service',
      params: ProjectUploadParams,
      handler: ({ params, caller }) =>
        deleteProjectUpload(projectDeps, userOf(caller).uid, params.projectId, params.uploadId),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/media/signed-url',
      summary: 'A link (valid an hour) to one of your uploaded files, by its gs:// path',
      auth: 'user-or-service',
      query: z.object({ path: z.string().min(1).max(1100) }),
      response: z.object({ path: z.string(), url: z.string(), expiresAt: z.string() }),
      handler: ({ query, caller }) => signedUploadUrl(projectDeps, userOf(caller).uid, query.path),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/upload-quota',
      summary: "The signed-in user's upload storage and today's upload allowance",
      auth: 'user-or-service',
      response: UsageSchema,
      handler: ({ caller }) => uploadUsage(deps.docs, deps.quotas, userOf(caller)),
    }),
  ];
}
