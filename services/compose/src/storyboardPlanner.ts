import type { ProviderCallContext } from '@storyreel/shared';
import { type SplitResult, splitStory } from './sceneSplitter.js';

/**
 * StoryboardPlanner: the one seam to whatever cuts a story into scenes (the
 * offline sentence splitter; a language model in the cloud). Whatever plans
 * it, every word of the story is kept, in order.
 */
export interface PlanOptions {
  targetSeconds: number;
  /** BCP 47; detected from the story when absent. */
  language?: string;
}

export interface PlannedStoryboard extends SplitResult {
  /** Who cut the scenes: shown with the storyboard. */
  planner: string;
  /** Why the storyboard is not what was asked for (a cloud planner fell back to the offline one). */
  note?: string;
}

export interface StoryboardPlanner {
  readonly id: string;
  /** `context` says whom it is for: a cloud planner calls its provider with their key when they stored one. */
  plan(story: string, options: PlanOptions, context?: ProviderCallContext): Promise<PlannedStoryboard>;
}

export const offlinePlanner: StoryboardPlanner = {
  id: 'offline',
  plan: async (story, options) => ({ ...splitStory(story, options), planner: 'offline' }),
};
