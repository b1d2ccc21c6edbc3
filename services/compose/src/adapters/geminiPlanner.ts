import { GoogleGenAI, Type } from '@google/genai';
import { adapterCaller, type ProviderAdapterOptions } from '@storyreel/shared';
import { z } from 'zod';
import { MAX_PROMPT_CHARS } from '../imagePrompt.js';
import { MAX_SCENE_TEXT_CHARS, MAX_SCENES } from '../projectModel.js';
import { type SceneDraft, splitStory, storyboardOf } from '../sceneSplitter.js';
import { speechUnitsOfLongText } from '../speechRate.js';
import { offlinePlanner, type PlannedStoryboard, type StoryboardPlanner } from '../storyboardPlanner.js';

/**
 * Gemini cuts the story into scenes and describes each scene's picture,
 * answering in JSON to a response schema; the answer is checked with zod
 * and against the story (every word kept, in order, nothing added). A
 * malformed answer is asked for once more; a second one leaves the
 * storyboard to the offline splitter, with a note saying so.
 */
export interface GeminiPlannerOptions extends ProviderAdapterOptions {
  /** The API's base URL; a loopback fake in tests. */
  baseUrl?: string;
  model?: string;
}

const PRODUCTION_URL = 'https://generativelanguage.googleapis.com';

const GeminiStoryboard = z.object({
  scenes: z
    .array(
      z.object({
        text: z.string().trim().min(1).max(MAX_SCENE_TEXT_CHARS),
        imagePrompt: z.string().trim().min(1),
      }),
    )
    .min(1)
    .max(MAX_SCENES),
});
type GeminiStoryboard = z.infer<typeof GeminiStoryboard>;

const RESPONSE_SCHEMA = {
  type: Type.OBJECT,
  properties: {
    scenes: {
      type: Type.ARRAY,
      items: {
        type: Type.OBJECT,
        properties: {
          text: { type: Type.STRING, description: 'the exact story text of this scene, copied verbatim' },
          imagePrompt: { type: Type.STRING, description: 'one sentence describing the picture for this scene' },
        },
        required: ['text', 'imagePrompt'],
        propertyOrdering: ['text', 'imagePrompt'],
      },
    },
  },
  required: ['scenes'],
};

const words = (text: string) => text.split(/\s+/u).filter(Boolean);

function instructions(story: string, sceneCount: number, language: string): string {
  return [
    `Split this story into about ${sceneCount} scenes for a narrated movie (language: ${language}).`,
    'Each scene is a run of consecutive sentences. Copy the story text verbatim: keep every word, in order,',
    'add nothing, and never cut a sentence. For each scene also write imagePrompt: one sentence describing',
    'what the picture shows (people, place, light, mood), with no text in the picture.',
    '',
    'Story:',
    story,
  ].join('\n');
}

/** Why an answer is unusable, or null when it is fine. */
function problemWith(answer: GeminiStoryboard, story: string): string | null {
  const told = words(answer.scenes.map((s) => s.text).join(' '));
  const written = words(story);
  if (told.length !== written.length || told.some((w, i) => w !== written[i])) {
    return 'the scenes do not hold the story word for word';
  }
  return null;
}

export function geminiPlanner(options: GeminiPlannerOptions): StoryboardPlanner {
  const baseUrl = options.baseUrl ?? PRODUCTION_URL;
  const model = options.model ?? 'gemini-2.5-flash';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const call = adapterCaller('gemini', baseUrl, options, timeoutMs);

  return {
    id: `gemini:${model}`,
    async plan(story, planOptions, context = {}): Promise<PlannedStoryboard> {
      // The offline cut checks the input (422s), finds the language and the scene count to aim for.
      const offline = splitStory(story, planOptions);
      const fallback = (note: string) => offlinePlanner.plan(story, planOptions).then((p) => ({ ...p, note }));
      if (offline.summary.truncated) {
        return fallback('The story is longer than a storyboard holds, so it was split without Gemini.');
      }

      const ask = () =>
        call(context, async ({ credential, signal }) => {
          const ai = new GoogleGenAI({ apiKey: credential.apiKey, httpOptions: { baseUrl, timeout: timeoutMs } });
          const response = await ai.models.generateContent({
            model,
            contents: instructions(story, offline.scenes.length, offline.language),
            config: {
              responseMimeType: 'application/json',
              responseSchema: RESPONSE_SCHEMA,
              temperature: 0.3,
              abortSignal: signal,
            },
          });
          return response.text ?? '';
        });

      let problem = '';
      for (let attempt = 1; attempt <= 2; attempt++) {
        const answer = await ask();
        let parsed: GeminiStoryboard;
        try {
          parsed = GeminiStoryboard.parse(JSON.parse(answer));
        } catch (err) {
          problem = err instanceof SyntaxError ? 'the answer was not JSON' : 'the answer did not fit the schema';
          options.logger?.warn({ attempt, problem }, 'Gemini storyboard was malformed');
          continue;
        }
        const wrong = problemWith(parsed, story);
        if (wrong) {
          problem = wrong;
          options.logger?.warn({ attempt, problem }, 'Gemini storyboard was malformed');
          continue;
        }
        const drafts = parsed.scenes.map(
          (scene): SceneDraft => ({
            text: scene.text,
            units: speechUnitsOfLongText(scene.text, offline.language),
            paragraphStart: false,
            imagePrompt: scene.imagePrompt.slice(0, MAX_PROMPT_CHARS),
          }),
        );
        const planned = storyboardOf(drafts, {
          story,
          language: offline.language,
          targetSeconds: planOptions.targetSeconds,
          truncated: false,
          options: planOptions,
        });
        return { ...planned, planner: `gemini:${model}` };
      }
      return fallback(`Gemini's storyboard was malformed twice (${problem}), so the story was split without it.`);
    },
  };
}
