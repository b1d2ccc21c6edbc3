import { hasVisibleText } from '@storyreel/shared';
import { z } from 'zod';
import { MAX_PROMPT_CHARS } from './imagePrompt.js';
import { canonicalLanguage } from './language.js';
import {
  ASPECTS,
  CaptionsSchema,
  MAX_SCENE_TEXT_CHARS,
  MAX_SCENES,
  MAX_SEED,
  MAX_TARGET_SECONDS,
  MIN_TARGET_SECONDS,
  MusicSchema,
  SceneId,
  SceneSchema,
  TransitionSchema,
  VoiceSchema,
} from './projectModel.js';
import { MOTIONS, TRANSITION_TYPES } from './shotDirection.js';
import { STYLE_IDS } from './styles.js';

/** Request and response bodies of the project routes, validated (422 per field) and published in /openapi.json. */

export const MAX_STORY_CHARS = 300_000;
/** Firestore keeps a document under 1 MiB: 300,000 characters of CJK would not fit beside the scenes. */
export const MAX_STORY_BYTES = 700_000;

const Title = z.string().min(1).max(200).refine(hasVisibleText, 'the title is blank');
const Story = z
  .string()
  .min(1)
  .max(MAX_STORY_CHARS)
  .refine(hasVisibleText, 'the story is empty')
  .refine(
    (s) => Buffer.byteLength(s) <= MAX_STORY_BYTES,
    `the story is too long to store (over ${MAX_STORY_BYTES} bytes of UTF-8)`,
  );
const Language = z
  .string()
  .max(35)
  .refine((t) => canonicalLanguage(t) !== null, 'a BCP 47 language tag such as en or pt-BR');
const TargetSeconds = z.number().int().min(MIN_TARGET_SECONDS).max(MAX_TARGET_SECONDS);
const Version = z.number().int().min(1);

export const CreateProjectBody = z.strictObject({
  title: Title,
  story: Story,
  targetSeconds: TargetSeconds.default(60),
  aspect: z.enum(ASPECTS).default('16:9'),
  style: z.enum(STYLE_IDS).default('storybook'),
  language: Language.optional(),
});

export const PatchProjectBody = z.strictObject({
  /** The version the change was made on; or send If-Match. */
  version: Version.optional(),
  title: Title.optional(),
  story: Story.optional(),
  targetSeconds: TargetSeconds.optional(),
  aspect: z.enum(ASPECTS).optional(),
  style: z.enum(STYLE_IDS).optional(),
  language: Language.nullable().optional(),
  voice: VoiceSchema.partial().optional(),
  music: MusicSchema.partial().nullable().optional(),
  captions: CaptionsSchema.partial().nullable().optional(),
});

export const StoryboardBody = z.strictObject({
  version: Version.optional(),
  targetSeconds: TargetSeconds.optional(),
});

/** Not strict: clients send scenes back as they received them (imagePath, imageUrl are ignored). */
export const SceneEditBody = z.object({
  id: SceneId.optional(),
  text: z.string().min(1).max(MAX_SCENE_TEXT_CHARS).refine(hasVisibleText, 'the scene text is blank'),
  imagePrompt: z.string().max(MAX_PROMPT_CHARS).optional(),
  durationSeconds: z.number().min(0.5).max(120).optional(),
  motion: z.enum(MOTIONS).optional(),
  transition: z.union([z.enum(TRANSITION_TYPES), TransitionSchema]).optional(),
  seed: z.number().int().min(0).max(MAX_SEED).optional(),
});

export const PatchScenesBody = z.strictObject({
  version: Version.optional(),
  scenes: z.array(SceneEditBody).max(MAX_SCENES),
});

export const SceneImageBody = z
  .strictObject({
    prompt: z.string().max(MAX_PROMPT_CHARS).optional(),
    seed: z.number().int().min(0).max(MAX_SEED).optional(),
    reroll: z.boolean().optional(),
  })
  .refine((b) => !(b.seed !== undefined && b.reroll), { message: 'give a seed or reroll, not both', path: ['reroll'] });

export const SceneUploadBody = z.strictObject({
  path: z.string().min(1).max(1100).describe('gs:// path of the picture, as the upload service returned it'),
});

export const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) });
export const ProjectParams = z.object({ id: z.string() });
export const SceneParams = z.object({ id: z.string(), sceneId: z.string() });

const SceneView = SceneSchema.extend({ imageUrl: z.string().nullable() });

export const ProjectViewSchema = z.object({
  id: z.string(),
  version: z.number(),
  title: z.string(),
  story: z.string(),
  language: z.string(),
  languageDetected: z.boolean(),
  targetSeconds: z.number(),
  aspect: z.enum(ASPECTS),
  style: z.enum(STYLE_IDS),
  voice: VoiceSchema,
  music: MusicSchema.nullable(),
  captions: CaptionsSchema.nullable(),
  scenes: z.array(SceneView),
  storyboard: z
    .object({
      createdAt: z.string(),
      unit: z.enum(['word', 'char']),
      storyUnits: z.number(),
      keptUnits: z.number(),
      truncated: z.boolean(),
      estimatedSeconds: z.number(),
      targetSeconds: z.number(),
      planner: z.string().optional().describe('who cut the scenes: offline, or gemini:<model>'),
      note: z.string().optional().describe('why the storyboard is not what was asked for (a planner fell back)'),
    })
    .nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ProjectListSchema = z.object({
  projects: z.array(
    z.object({
      id: z.string(),
      version: z.number(),
      title: z.string(),
      aspect: z.enum(ASPECTS),
      style: z.enum(STYLE_IDS),
      sceneCount: z.number(),
      imagesReady: z.number(),
      estimatedSeconds: z.number().nullable(),
      coverUrl: z.string().nullable(),
      createdAt: z.string(),
      updatedAt: z.string(),
    }),
  ),
});

export const SceneImageResponse = z.object({ cached: z.boolean(), version: z.number(), scene: SceneView });
export const ImagesResponse = z.object({ generated: z.number(), cached: z.number(), project: ProjectViewSchema });

export const JobMediaResponse = z.object({
  videoUrl: z.string(),
  posterUrl: z.string().nullable(),
  gifUrl: z.string().nullable(),
  captions: z.object({ vttUrl: z.string(), srtUrl: z.string() }).nullable(),
  expiresAt: z.string(),
});
