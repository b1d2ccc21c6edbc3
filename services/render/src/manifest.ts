import { z } from 'zod';

/**
 * The render manifest: the whole contract between compose and render. One
 * declarative, versioned document (readable in a log) that says everything a
 * movie is made of; the graph builder turns it into one FFmpeg run.
 */

const GsPath = z
  .string()
  .max(1100)
  .regex(/^gs:\/\/[a-z0-9][a-z0-9._-]{2,62}\/[^\s]+$/, 'a gs://bucket/key path');

const GsPrefix = z
  .string()
  .max(900)
  .regex(/^gs:\/\/[a-z0-9][a-z0-9._-]{2,62}\/[^\s]+[^/\s]$/, 'a gs://bucket/prefix path without a trailing slash');

export const ASPECTS = ['16:9', '9:16', '1:1'] as const;
export const RESOLUTIONS = ['720p', '1080p'] as const;
export const QUALITIES = ['draft', 'standard', 'high'] as const;
export const MOTIONS = ['zoom-in', 'zoom-out', 'pan-left', 'pan-right', 'none'] as const;
export const FITS = ['cover', 'blur'] as const;
export const TRANSITIONS = ['cut', 'fade', 'dissolve', 'wipe', 'slide'] as const;

export const Transition = z
  .object({
    type: z.enum(TRANSITIONS).default('fade'),
    /** Ignored (treated as 0) for `cut`. */
    durationSeconds: z.number().min(0).max(3).default(0.5),
  })
  .strict();

export const Scene = z
  .object({
    imagePath: GsPath,
    /** How long the scene is fully on screen: its narration slot. Transitions add to it, never eat it (timeline.ts). */
    durationSeconds: z.number().min(0.5).max(120),
    motion: z.enum(MOTIONS).default('zoom-in'),
    /** cover: fill the frame, cropping; blur: the whole image over a blurred, cropped copy of itself. */
    fit: z.enum(FITS).default('cover'),
    /** Transition into the next scene; ignored on the last scene. */
    transition: Transition.default({ type: 'fade', durationSeconds: 0.5 }),
  })
  .strict();

/** One clip per scene (null = a silent scene), each starting when its scene is fully on screen. */
const PerSceneNarration = z
  .object({
    kind: z.literal('per-scene'),
    paths: z.array(GsPath.nullable()).min(1),
  })
  .strict();

/**
 * One combined track (narrate's output for the whole story) with the second
 * at which each scene's speech starts in it; the track is cut at those
 * offsets and each piece placed at its scene's start.
 */
const TrackNarration = z
  .object({
    kind: z.literal('track'),
    path: GsPath,
    sceneOffsetsSeconds: z.array(z.number().min(0)).min(1),
  })
  .strict();

export const Narration = z.discriminatedUnion('kind', [PerSceneNarration, TrackNarration]);

export const Captions = z
  .object({
    /** Advanced SubStation Alpha file, burned in. */
    assPath: GsPath.optional(),
    /**
     * movie: the cues are timed on the movie's timeline (scene starts from timeline.ts).
     * narration-track: the cues are timed on the combined narration track and are moved
     * with their scene, so they stay on the words they belong to.
     */
    timeline: z.enum(['movie', 'narration-track']).default('movie'),
  })
  .strict();

export const Music = z
  .object({
    path: GsPath,
    /** Gain of the music relative to the voice (1 = as loud as it was mastered). */
    volume: z.number().min(0).max(1).default(0.3),
    /** Lower the music while someone speaks. */
    duck: z.boolean().default(true),
  })
  .strict();

export const Loudness = z
  .object({
    integratedLufs: z.number().min(-24).max(-9).default(-14),
    truePeakDb: z.number().min(-9).max(0).default(-1.5),
  })
  .strict();

export const Outputs = z
  .object({
    poster: z.boolean().default(true),
    /** A short looping preview (first seconds, 480 px wide, 12 fps). */
    gif: z.boolean().default(false),
    /** HLS (6 s segments, stream copy) next to the MP4. */
    hls: z.boolean().default(false),
    /** A sprite sheet of one frame every 2 s, for seek previews. */
    thumbnails: z.boolean().default(false),
    /** One still per scene (the middle of its hold, without captions, 320 px long side), for a scene list. */
    sceneThumbnails: z.boolean().default(false),
  })
  .strict();

export const MAX_SCENES = 200;
export const MAX_MOVIE_SECONDS = 15 * 60;

export const RenderManifest = z
  .object({
    version: z.literal(1),
    aspect: z.enum(ASPECTS).default('16:9'),
    resolution: z.enum(RESOLUTIONS).default('720p'),
    fps: z.number().int().min(12).max(60).default(30),
    quality: z.enum(QUALITIES).default('standard'),
    scenes: z.array(Scene).min(1).max(MAX_SCENES),
    narration: Narration.optional(),
    captions: Captions.optional(),
    music: Music.optional(),
    loudness: Loudness.default({ integratedLufs: -14, truePeakDb: -1.5 }),
    outputs: Outputs.default({ poster: true, gif: false, hls: false, thumbnails: false, sceneThumbnails: false }),
    /** Where the outputs go: a gs:// prefix under the user's project. */
    outputPrefix: GsPrefix,
  })
  .strict()
  .superRefine((m, ctx) => {
    const n = m.scenes.length;
    if (m.narration?.kind === 'per-scene' && m.narration.paths.length !== n) {
      ctx.addIssue({
        code: 'custom',
        path: ['narration', 'paths'],
        message: `one entry per scene: expected ${n}, got ${m.narration.paths.length}`,
      });
    }
    if (m.narration?.kind === 'track') {
      const offsets = m.narration.sceneOffsetsSeconds;
      if (offsets.length !== n) {
        ctx.addIssue({
          code: 'custom',
          path: ['narration', 'sceneOffsetsSeconds'],
          message: `one offset per scene: expected ${n}, got ${offsets.length}`,
        });
      }
      offsets.forEach((offset, i) => {
        if (i > 0 && offset <= (offsets[i - 1] ?? 0)) {
          ctx.addIssue({
            code: 'custom',
            path: ['narration', 'sceneOffsetsSeconds', i],
            message: 'offsets must increase from scene to scene',
          });
        }
      });
    }
    if (m.captions?.timeline === 'narration-track' && m.narration?.kind !== 'track') {
      ctx.addIssue({
        code: 'custom',
        path: ['captions', 'timeline'],
        message: 'narration-track captions need a combined narration track',
      });
    }
    const total = m.scenes.reduce(
      (sum, s, i) =>
        sum + s.durationSeconds + (i < n - 1 && s.transition.type !== 'cut' ? s.transition.durationSeconds : 0),
      0,
    );
    if (total > MAX_MOVIE_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['scenes'],
        message: `the movie may last at most ${MAX_MOVIE_SECONDS} s, this one ${total.toFixed(1)} s`,
      });
    }
  });

export type RenderManifestInput = z.input<typeof RenderManifest>;
export type RenderManifest = z.output<typeof RenderManifest>;
export type SceneSpec = z.output<typeof Scene>;
export type TransitionSpec = z.output<typeof Transition>;
export type NarrationSpec = z.output<typeof Narration>;
export type MusicSpec = z.output<typeof Music>;
export type Aspect = (typeof ASPECTS)[number];
export type Resolution = (typeof RESOLUTIONS)[number];
export type Quality = (typeof QUALITIES)[number];
export type Motion = (typeof MOTIONS)[number];
export type Fit = (typeof FITS)[number];
export type TransitionType = (typeof TRANSITIONS)[number];
