import { type Caller, defineRoute, forbidden, notFound, type ServiceContext } from '@storyreel/shared';
import { z } from 'zod';
import { findMood, MOOD_IDS, MOODS, type Mood } from './moods.js';
import { soundtrackCache } from './soundtrackCache.js';
import type { SoundtrackSource } from './soundtrackSource.js';

const ID = /^[A-Za-z0-9_-]{1,128}$/;
export const PREVIEW_SECONDS = 10;
const PREVIEW_SEED = 1;

const moodId = z.enum(MOOD_IDS as [string, ...string[]], {
  error: (issue) =>
    issue.input === undefined ? 'mood is required' : `unknown mood; valid moods: ${MOOD_IDS.join(', ')}`,
});

export const MusicRequest = z.object({
  mood: moodId,
  durationSeconds: z.number().min(5).max(900),
  /** Omitted: a tempo from the mood's range that fits a whole number of bars. */
  tempo: z.number().min(40).max(200).optional(),
  /** Another seed, another tune in the same mood; equal seeds give identical audio. */
  seed: z.number().int().min(0).max(2_147_483_647).default(1),
  format: z.enum(['wav', 'mp3']).default('wav'),
  projectId: z.string().regex(ID, 'letters, digits, _ and - (1-128)').optional(),
});

const MusicResponse = z.object({
  path: z.string(),
  durationSeconds: z.number(),
  mood: z.string(),
  tempo: z.number(),
  seed: z.number(),
  format: z.enum(['wav', 'mp3']),
  cached: z.boolean(),
});

const MoodView = z.object({
  id: z.string(),
  label: z.string(),
  description: z.string(),
  key: z.string(),
  mode: z.string(),
  meter: z.number(),
  tempo: z.object({ min: z.number(), max: z.number() }),
  progression: z.array(z.string()),
  instruments: z.object({ pad: z.number(), lead: z.number(), bass: z.number() }),
  drums: z.boolean(),
});

function moodView(mood: Mood): z.infer<typeof MoodView> {
  return {
    id: mood.id,
    label: mood.label,
    description: mood.description,
    key: mood.key,
    mode: mood.mode,
    meter: mood.meter,
    tempo: mood.tempo,
    progression: [...mood.progression, ...mood.cadence],
    instruments: mood.instruments,
    drums: mood.drums !== null,
  };
}

/** Soundtracks are stored under their owner: a mesh call must say which user it acts for. */
function ownerOf(caller: Caller): string {
  if (caller.kind === 'user') return caller.uid;
  throw forbidden('soundtracks belong to a user: call on behalf of one (x-storyreel-user)');
}

/** `source`: a cloud music model; absent, soundtracks are composed and synthesised here. */
export function musicRoutes(ctx: ServiceContext, source?: SoundtrackSource) {
  const storedSoundtrack = soundtrackCache({
    blobs: ctx.blobs,
    mediaBucket: ctx.buckets.media,
    ffmpegPath: ctx.env.FFMPEG_PATH,
    soundfontPath: ctx.env.SOUNDFONT_PATH,
    ...(source ? { source } : {}),
  });

  return [
    defineRoute({
      method: 'get',
      path: '/v1/moods',
      summary: 'List the moods a soundtrack can have',
      auth: 'public',
      response: z.object({ moods: z.array(MoodView) }),
      handler: () => ({ moods: MOODS.map(moodView) }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/music',
      summary: 'Compose and render a soundtrack of a mood and length; ends on a cadence, -16 LUFS',
      auth: 'user-or-service',
      idempotent: true,
      body: MusicRequest,
      response: MusicResponse,
      handler: async ({ body, caller, log }) => {
        const uid = ownerOf(caller);
        const mood = findMood(body.mood);
        if (!mood) throw notFound(`mood ${body.mood}`);
        const prefix = body.projectId ? `users/${uid}/projects/${body.projectId}/music` : `users/${uid}/music`;
        const { durationSeconds, tempo, seed, format } = body;
        const started = Date.now();
        const stored = await storedSoundtrack({ mood, durationSeconds, tempo, seed, format, prefix, userId: uid });
        log.info(
          { mood: mood.id, durationSeconds, format, cached: stored.cached, ms: Date.now() - started },
          'soundtrack ready',
        );
        return {
          path: stored.path,
          durationSeconds,
          mood: mood.id,
          tempo: stored.tempo,
          seed,
          format,
          cached: stored.cached,
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/moods/:id/preview',
      summary: `A ${PREVIEW_SECONDS}-second MP3 of a mood (audio/mpeg)`,
      auth: 'user-or-service',
      params: z.object({ id: z.string() }),
      handler: async ({ params, res }) => {
        const mood = findMood(params.id);
        if (!mood) throw notFound(`mood ${params.id}`);
        const preview = await storedSoundtrack({
          mood,
          durationSeconds: PREVIEW_SECONDS,
          seed: PREVIEW_SEED,
          format: 'mp3',
          // Previews are nobody's project data: one shared copy per mood.
          prefix: `previews/music/${mood.id}`,
        });
        res
          .status(200)
          .type('audio/mpeg')
          .set('cache-control', 'private, max-age=86400')
          .set('x-storyreel-cache', preview.cached ? 'hit' : 'miss')
          .set('x-storyreel-path', preview.path)
          .send(await ctx.blobs.get(preview.path));
      },
    }),
  ];
}
