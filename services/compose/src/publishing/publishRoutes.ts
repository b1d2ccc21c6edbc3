import {
  defineRoute,
  hasVisibleText,
  type RouteDefinition,
  type ServiceContext,
  type UserCaller,
} from '@storyreel/shared';
import { z } from 'zod';
import { readOwnedProject } from '../projectAccess.js';
import { type PublishingPorts, publishMovie, readPublication, unpublishMovie } from './publisher.js';

const ProjectParams = z.object({ id: z.string() });

const PublishBody = z.object({
  jobId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,128}$/, 'a job id')
    .optional(),
  title: z.string().trim().max(200).refine(hasVisibleText, 'the title is blank').optional(),
  description: z.string().trim().max(1000).optional(),
});

const PublicationResponse = z.object({
  publicId: z.string(),
  shareUrl: z.string(),
  videoUrl: z.string(),
  jobId: z.string(),
  publishedAt: z.string(),
  updatedAt: z.string(),
});

/** Publish, look up and unpublish a project's movie; only its owner may, and to anyone else the project does not exist. */
export function publishRoutes(ctx: ServiceContext): RouteDefinition[] {
  const ports = (log: PublishingPorts['log']): PublishingPorts => ({
    docs: ctx.docs,
    blobs: ctx.blobs,
    buckets: ctx.buckets,
    baseUrl: ctx.env.PUBLIC_BASE_URL,
    log,
  });

  return [
    defineRoute({
      method: 'post',
      path: '/v1/projects/:id/publish',
      summary: "Publish the project's movie (by default its latest) behind a share page with durable URLs",
      auth: 'user',
      params: ProjectParams,
      body: PublishBody,
      response: PublicationResponse,
      idempotent: true,
      handler: ({ params, body, caller, log }) => publishMovie(ports(log), (caller as UserCaller).uid, params.id, body),
    }),

    defineRoute({
      method: 'get',
      path: '/v1/projects/:id/publish',
      summary: "The project's published movie: share link and video URL (404 when not published)",
      auth: 'user',
      params: ProjectParams,
      response: PublicationResponse,
      handler: async ({ params, caller, log }) => {
        const uid = (caller as UserCaller).uid;
        await readOwnedProject(ctx.docs, uid, params.id);
        return readPublication(ports(log), uid, params.id);
      },
    }),

    defineRoute({
      method: 'delete',
      path: '/v1/projects/:id/publish',
      summary: 'Unpublish the movie: its public files are deleted and its share page answers 410 Gone',
      auth: 'user',
      params: ProjectParams,
      status: 204,
      handler: async ({ params, caller, log }) => {
        const uid = (caller as UserCaller).uid;
        await readOwnedProject(ctx.docs, uid, params.id);
        await unpublishMovie(ports(log), uid, params.id);
      },
    }),
  ];
}
