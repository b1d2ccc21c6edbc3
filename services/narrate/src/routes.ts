import {
  type Caller,
  defineRoute,
  forbidden,
  hasVisibleText,
  notFound,
  type ServiceContext,
  wordTimingSchema,
} from '@storyreel/shared';
import { z } from 'zod';
import { narrate } from './narration.js';
import type { SpeechEngine } from './speechEngine.js';
import { voicePreview } from './voicePreview.js';
import { findVoice, publicVoice, VOICE_IDS, VOICES, type Voice } from './voices.js';

const ID = /^[A-Za-z0-9_-]{1,128}$/;

const spokenText = (max: number) => z.string().max(max).refine(hasVisibleText, 'text is empty');

const voiceId = z.enum(VOICE_IDS, {
  error: (issue) =>
    issue.input === undefined ? 'voice is required' : `unknown voice; valid voices: ${VOICE_IDS.join(', ')}`,
});

export const NarrateRequest = z.object({
  projectId: z.string().regex(ID, 'letters, digits, _ and - (1-128)'),
  voice: voiceId,
  speed: z.number().min(0.5).max(2).default(1),
  scenes: z
    .array(z.object({ id: z.string().regex(ID, 'letters, digits, _ and - (1-128)'), text: spokenText(5000) }))
    .min(1)
    .max(200)
    .refine((scenes) => new Set(scenes.map((s) => s.id)).size === scenes.length, 'scene ids must be unique'),
});

const NarrateResponse = z.object({
  scenes: z.array(
    z.object({
      id: z.string(),
      path: z.string(),
      durationSeconds: z.number(),
      words: z.array(wordTimingSchema).nullable(),
      cached: z.boolean(),
    }),
  ),
});

const VoiceView = z.object({
  id: z.string(),
  label: z.string(),
  language: z.string(),
  gender: z.enum(['male', 'female']),
  engine: z.string(),
  engineVoice: z.string(),
  reads: z.array(z.string()),
  sample: z.string(),
});

const PreviewRequest = z.object({ text: spokenText(200).optional() });

/** Narration is stored under its owner: a mesh call must say which user it acts for. */
function ownerOf(caller: Caller): string {
  if (caller.kind === 'user') return caller.uid;
  throw forbidden('narration belongs to a user: call on behalf of one (x-storyreel-user)');
}

export function narrateRoutes(engine: SpeechEngine) {
  return (ctx: ServiceContext) => {
    const deps = { engine, blobs: ctx.blobs, mediaBucket: ctx.buckets.media };
    return [
      defineRoute({
        method: 'get',
        path: '/v1/voices',
        summary: 'List the voices narration can use',
        auth: 'public',
        response: z.object({ voices: z.array(VoiceView) }),
        handler: () => ({ voices: VOICES.map(publicVoice) }),
      }),
      defineRoute({
        method: 'post',
        path: '/v1/narrate',
        summary: 'Speak each scene of a project; returns WAV paths and word timings',
        auth: 'user-or-service',
        idempotent: true,
        bodyLimit: '4mb',
        body: NarrateRequest,
        response: NarrateResponse,
        handler: async ({ body, caller }) => {
          // The schema admits catalogue ids only.
          const voice = findVoice(body.voice) as Voice;
          const scenes = await narrate(deps, {
            uid: ownerOf(caller),
            projectId: body.projectId,
            voice,
            speed: body.speed,
            scenes: body.scenes,
          });
          return { scenes };
        },
      }),
      defineRoute({
        method: 'post',
        path: '/v1/voices/:id/preview',
        summary: 'A short WAV sample of a voice (audio/wav)',
        auth: 'user-or-service',
        params: z.object({ id: z.string() }),
        body: PreviewRequest,
        handler: async ({ body, params, res }) => {
          const voice = findVoice(params.id);
          if (!voice) throw notFound(`voice ${params.id}`);
          const preview = await voicePreview(deps, voice, body.text);
          res
            .status(200)
            .type('audio/wav')
            .set('cache-control', 'private, max-age=86400')
            .set('x-storyreel-cache', preview.cached ? 'hit' : 'miss')
            .set('x-storyreel-path', preview.path)
            .send(preview.wav);
        },
      }),
    ];
  };
}
