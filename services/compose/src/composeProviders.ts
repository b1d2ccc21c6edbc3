import { providerKeyResolverFor, type ServiceContext } from '@storyreel/shared';
import { falImages } from './adapters/falImages.js';
import { geminiImages } from './adapters/geminiImages.js';
import { geminiPlanner } from './adapters/geminiPlanner.js';
import { createIllustrator } from './adapters/illustrator.js';
import type { ImageProvider } from './imageProvider.js';
import { offlinePlanner, type StoryboardPlanner } from './storyboardPlanner.js';

export interface ComposeProviders {
  images: ImageProvider;
  planner: StoryboardPlanner;
}

/**
 * The adapters behind compose's ports: the offline illustrator and splitter
 * by default; with PROVIDERS=cloud, Gemini plans storyboards and Gemini or
 * fal (CLOUD_IMAGE_PROVIDER) draws, each called with the user's own key
 * when they stored one, else the platform's.
 */
export function composeProviders(ctx: Pick<ServiceContext, 'client' | 'env' | 'logger'>): ComposeProviders {
  if (ctx.env.PROVIDERS !== 'cloud') return { images: createIllustrator(), planner: offlinePlanner };
  const keys = providerKeyResolverFor(ctx);
  const logger = ctx.logger;
  return {
    images: ctx.env.CLOUD_IMAGE_PROVIDER === 'fal' ? falImages({ keys, logger }) : geminiImages({ keys, logger }),
    planner: geminiPlanner({ keys, logger }),
  };
}
