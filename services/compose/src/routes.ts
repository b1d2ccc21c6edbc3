import {
  type Caller,
  defineRoute,
  forbidden,
  quotaRoutes,
  type ServiceContext,
  sliRoutes,
  unprocessable,
} from '@storyreel/shared';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { ImageProvider } from './imageProvider.js';
import { jobMedia } from './jobMedia.js';
import { jobRoutes, movieJobDeps } from './jobs/index.js';
import {
  CreateProjectBody,
  ImagesResponse,
  JobMediaResponse,
  ListQuery,
  PatchProjectBody,
  PatchScenesBody,
  ProjectListSchema,
  ProjectParams,
  ProjectViewSchema,
  SceneImageBody,
  SceneImageResponse,
  SceneParams,
  SceneUploadBody,
  StoryboardBody,
} from './projectRequests.js';
import {
  createProject,
  deleteProject,
  editScenes,
  getProject,
  listProjects,
  storyboardProject,
  updateProject,
} from './projects.js';
import { IMAGE_URL_SECONDS, projectSummary, projectView } from './projectView.js';
import { publishRoutes, unpublishMovie } from './publishing/index.js';
import { generateMissingImages, generateSceneImage } from './sceneImages.js';
import { adoptUploadedImage } from './sceneUploads.js';
import { offlinePlanner, type StoryboardPlanner } from './storyboardPlanner.js';
import { STYLES, swatches } from './styles.js';

/**
 * compose's project, storyboard and image routes. Every project route acts
 * for one user (a mesh service acting for a user counts as that user) and
 * sees only that user's projects.
 */

function uidOf(caller: Caller): string {
  if (caller.kind === 'user') return caller.uid;
  throw forbidden('projects belong to a user: call on behalf of one');
}

/** The version a change was made on: `version` in the body, else an If-Match header ("3", W/"3"). */
function expectedVersion(body: { version?: number | undefined }, req: Request): number {
  if (body.version !== undefined) return body.version;
  const match = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(req.get('if-match') ?? '');
  if (match) return Number(match[1]);
  throw unprocessable('invalid body: version', {
    fields: [
      {
        field: 'version',
        message: 'send the version you edited (or an If-Match header), so edits made elsewhere are not lost',
      },
    ],
  });
}

const withEtag = (res: Response, version: number) => res.set('etag', `"${version}"`);

export function composeRoutes(images: ImageProvider, planner: StoryboardPlanner = offlinePlanner) {
  return (ctx: ServiceContext) => {
    const ports = {
      docs: ctx.docs,
      blobs: ctx.blobs,
      mediaBucket: ctx.buckets.media,
      images,
      planner,
      log: ctx.logger,
    };
    const publishing = {
      docs: ctx.docs,
      blobs: ctx.blobs,
      buckets: ctx.buckets,
      baseUrl: ctx.env.PUBLIC_BASE_URL,
      log: ctx.logger,
    };
    const view = async (res: Response, doc: Parameters<typeof projectView>[0]) => {
      withEtag(res, doc.version);
      return projectView(doc, ctx.blobs);
    };
    return [
      ...jobRoutes(ctx, movieJobDeps(ctx, images)),
      ...publishRoutes(ctx),
      ...quotaRoutes(ctx),
      ...sliRoutes(ctx),
      defineRoute({
        method: 'get',
        path: '/v1/styles',
        summary: 'Visual styles a project can use, with their colours',
        auth: 'public',
        response: z.object({
          styles: z.array(z.object({ id: z.string(), label: z.string(), swatches: z.array(z.string()) })),
        }),
        handler: () => ({
          styles: Object.values(STYLES).map((s) => ({ id: s.id, label: s.label, swatches: swatches(s) })),
        }),
      }),
      defineRoute({
        method: 'post',
        path: '/v1/projects',
        summary: 'Create a project from a title and a story',
        auth: 'user',
        status: 201,
        idempotent: true,
        bodyLimit: '2mb',
        body: CreateProjectBody,
        response: ProjectViewSchema,
        handler: async ({ body, caller, res }) => view(res, await createProject(ports, uidOf(caller), body)),
      }),
      defineRoute({
        method: 'get',
        path: '/v1/projects',
        summary: 'My projects, newest first',
        auth: 'user',
        query: ListQuery,
        response: ProjectListSchema,
        handler: async ({ query, caller }) => {
          const docs = await listProjects(ports, uidOf(caller), query.limit);
          return { projects: await Promise.all(docs.map((d) => projectSummary(d, ctx.blobs))) };
        },
      }),
      defineRoute({
        method: 'get',
        path: '/v1/projects/:id',
        summary: 'One of my projects, with signed URLs of its scene images',
        auth: 'user',
        params: ProjectParams,
        response: ProjectViewSchema,
        handler: async ({ params, caller, res }) => view(res, await getProject(ports, uidOf(caller), params.id)),
      }),
      defineRoute({
        method: 'patch',
        path: '/v1/projects/:id',
        summary: 'Change title, story, style, aspect, voice, music or captions (needs the version you edited)',
        auth: 'user',
        bodyLimit: '2mb',
        params: ProjectParams,
        body: PatchProjectBody,
        response: ProjectViewSchema,
        handler: async ({ params, body, caller, req, res }) => {
          const { version: _version, ...patch } = body;
          return view(res, await updateProject(ports, uidOf(caller), params.id, expectedVersion(body, req), patch));
        },
      }),
      defineRoute({
        method: 'delete',
        path: '/v1/projects/:id',
        summary: 'Delete a project and its media, and take its published movie down',
        auth: 'user',
        params: ProjectParams,
        status: 204,
        handler: async ({ params, caller }) => {
          const uid = uidOf(caller);
          await getProject(ports, uid, params.id);
          await unpublishMovie(publishing, uid, params.id);
          await deleteProject(ports, uid, params.id);
        },
      }),
      defineRoute({
        method: 'post',
        path: '/v1/projects/:id/storyboard',
        summary: 'Split the story into scenes (replaces the scenes; unchanged ones keep their images)',
        auth: 'user',
        idempotent: true,
        params: ProjectParams,
        body: StoryboardBody,
        response: ProjectViewSchema,
        handler: async ({ params, body, caller, res }) =>
          view(
            res,
            await storyboardProject(ports, uidOf(caller), params.id, {
              expectedVersion: body.version,
              targetSeconds: body.targetSeconds,
            }),
          ),
      }),
      defineRoute({
        method: 'patch',
        path: '/v1/projects/:id/scenes',
        summary: 'Edit, reorder, add and remove scenes in one call (needs the version you edited)',
        auth: 'user',
        bodyLimit: '1mb',
        params: ProjectParams,
        body: PatchScenesBody,
        response: ProjectViewSchema,
        handler: async ({ params, body, caller, req, res }) =>
          view(res, await editScenes(ports, uidOf(caller), params.id, expectedVersion(body, req), body.scenes)),
      }),
      defineRoute({
        method: 'post',
        path: '/v1/projects/:id/scenes/:sceneId/image',
        summary: "Draw a scene's image (or reuse the stored one); optional new prompt, seed or reroll",
        auth: 'user',
        params: SceneParams,
        body: SceneImageBody,
        response: SceneImageResponse,
        handler: async ({ params, body, caller, res }) => {
          const result = await generateSceneImage(ports, uidOf(caller), params.id, params.sceneId, body);
          withEtag(res, result.project.version);
          const imageUrl = result.scene.imagePath
            ? await ctx.blobs.signedUrl(result.scene.imagePath, IMAGE_URL_SECONDS)
            : null;
          return { cached: result.cached, version: result.project.version, scene: { ...result.scene, imageUrl } };
        },
      }),
      defineRoute({
        method: 'put',
        path: '/v1/projects/:id/scenes/:sceneId/image',
        summary: "Use one of the project's uploaded pictures (upload service path) as a scene's image",
        auth: 'user',
        params: SceneParams,
        body: SceneUploadBody,
        response: SceneImageResponse,
        handler: async ({ params, body, caller, res }) => {
          const result = await adoptUploadedImage(ports, uidOf(caller), params.id, params.sceneId, body.path);
          withEtag(res, result.project.version);
          const imageUrl = await ctx.blobs.signedUrl(body.path, IMAGE_URL_SECONDS);
          return { cached: true, version: result.project.version, scene: { ...result.scene, imageUrl } };
        },
      }),
      defineRoute({
        method: 'get',
        path: '/v1/jobs/:id/media',
        summary: "Signed links to a made movie's video, poster, GIF and captions (for the player and downloads)",
        auth: 'user',
        params: z.object({ id: z.string() }),
        response: JobMediaResponse,
        handler: ({ params, caller }) => jobMedia(ctx.docs, ctx.blobs, uidOf(caller), params.id),
      }),
      defineRoute({
        method: 'post',
        path: '/v1/projects/:id/images',
        summary: 'Draw every scene image that is missing or out of date',
        auth: 'user',
        params: ProjectParams,
        response: ImagesResponse,
        handler: async ({ params, caller, res }) => {
          const result = await generateMissingImages(ports, uidOf(caller), params.id);
          return { generated: result.generated, cached: result.cached, project: await view(res, result.project) };
        },
      }),
    ];
  };
}
