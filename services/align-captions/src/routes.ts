import {
  ASPECTS,
  CAPTION_POSITIONS,
  CAPTION_PRESETS,
  type Caller,
  defineRoute,
  forbidden,
  type ServiceContext,
  wordTimelineSchema,
} from '@storyreel/shared';
import { z } from 'zod';
import type { Aligner } from './aligner.js';
import { alignAudio, audioLocation } from './alignment.js';
import { type Aspect, aspectOf } from './captionStyle.js';
import { makeCaptions } from './captions.js';
import { movieTimeline } from './captionTimeline.js';

const ID = /^[A-Za-z0-9_-]{1,128}$/;

export const AlignRequest = z.object({
  audioPath: z.string().min(1).max(2048),
  text: z
    .string()
    .max(50_000)
    .refine((t) => t.trim().length > 0, 'text is empty'),
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 language tag like en or pt-BR')
    .optional(),
  words: wordTimelineSchema.optional(),
});

const seconds = z.number().min(0).max(86_400);

/** 720p by default, the local render size. */
const DEFAULT_SIZE: Record<Aspect, { width: number; height: number }> = {
  '16:9': { width: 1280, height: 720 },
  '9:16': { width: 720, height: 1280 },
  '1:1': { width: 720, height: 720 },
};

export const CaptionsRequest = z
  .object({
    projectId: z.string().regex(ID, 'letters, digits, _ and - (1-128)'),
    scenes: z
      .array(
        z.object({
          id: z.string().regex(ID, 'letters, digits, _ and - (1-128)'),
          offsetSeconds: seconds,
          durationSeconds: seconds.positive(),
          words: wordTimelineSchema,
        }),
      )
      .min(1)
      .max(500)
      .optional(),
    timeline: z.object({ durationSeconds: seconds.positive(), words: wordTimelineSchema }).optional(),
    style: z.enum(CAPTION_PRESETS).default('karaoke'),
    position: z.enum(CAPTION_POSITIONS).optional(),
    aspect: z.enum(ASPECTS).optional(),
    width: z.number().int().min(64).max(7680).optional(),
    height: z.number().int().min(64).max(7680).optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.scenes === undefined) === (body.timeline === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['scenes'], message: 'give either scenes or timeline' });
    }
    if ((body.width === undefined) !== (body.height === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [body.width === undefined ? 'width' : 'height'],
        message: 'give width and height together',
      });
    }
    if (body.aspect && body.width && body.height && aspectOf(body.width, body.height) !== body.aspect) {
      ctx.addIssue({ code: 'custom', path: ['aspect'], message: `${body.width}x${body.height} is not ${body.aspect}` });
    }
  });

const WordsResponse = z.object({
  words: wordTimelineSchema,
  cached: z.boolean(),
  source: z.enum(['given', 'aligned']),
});
const CaptionsResponse = z.object({
  paths: z.object({ srt: z.string(), vtt: z.string(), ass: z.string() }),
  cues: z.number().int(),
  cached: z.boolean(),
});

/** Captions are stored under their owner: a mesh call must say which user it acts for. */
function ownerOf(caller: Caller): string {
  if (caller.kind === 'user') return caller.uid;
  throw forbidden('captions belong to a user: call on behalf of one (x-storyreel-user)');
}

export function alignCaptionsRoutes(aligner: Aligner) {
  return (ctx: ServiceContext) => {
    const mediaBucket = ctx.buckets.media;
    return [
      defineRoute({
        method: 'post',
        path: '/v1/align',
        summary: 'Word timings of a text in stored audio (forced alignment unless words are given)',
        auth: 'user-or-service',
        idempotent: true,
        bodyLimit: '4mb',
        body: AlignRequest,
        response: WordsResponse,
        handler: async ({ body, caller }) => {
          if (body.words) {
            // Timings already known (the narration engine gave them): nothing to align, but the path is still checked.
            audioLocation(body.audioPath, caller, mediaBucket);
            return { words: body.words, cached: false, source: 'given' };
          }
          const result = await alignAudio(
            { aligner, blobs: ctx.blobs, mediaBucket },
            {
              caller,
              audioPath: body.audioPath,
              text: body.text,
              ...(body.language ? { language: body.language } : {}),
            },
          );
          return { ...result, source: 'aligned' };
        },
      }),
      defineRoute({
        method: 'post',
        path: '/v1/captions',
        summary: 'SRT, WebVTT and ASS (karaoke) captions of a movie from its word timings',
        auth: 'user-or-service',
        idempotent: true,
        bodyLimit: '8mb',
        body: CaptionsRequest,
        response: CaptionsResponse,
        handler: async ({ body, caller }) => {
          const aspect = body.aspect ?? (body.width && body.height ? aspectOf(body.width, body.height) : '16:9');
          const size = body.width && body.height ? { width: body.width, height: body.height } : DEFAULT_SIZE[aspect];
          const scenes = body.scenes ?? [
            { id: 'timeline', offsetSeconds: 0, ...(body.timeline as NonNullable<typeof body.timeline>) },
          ];
          return makeCaptions(
            { blobs: ctx.blobs, mediaBucket },
            {
              uid: ownerOf(caller),
              projectId: body.projectId,
              timeline: movieTimeline(scenes),
              preset: body.style,
              ...(body.position ? { position: body.position } : {}),
              aspect,
              ...size,
            },
          );
        },
      }),
    ];
  };
}
