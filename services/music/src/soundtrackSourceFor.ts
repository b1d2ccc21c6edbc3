import { providerKeyResolverFor, type ServiceContext } from '@storyreel/shared';
import { elevenLabsMusic } from './adapters/elevenLabsMusic.js';
import type { SoundtrackSource } from './soundtrackSource.js';

/**
 * Where soundtracks come from: composed and synthesised here by default
 * (undefined); with PROVIDERS=cloud, ElevenLabs Music, called with the
 * user's own key when they stored one, else the platform's.
 */
export function soundtrackSourceFor(
  ctx: Pick<ServiceContext, 'client' | 'env' | 'logger'>,
): SoundtrackSource | undefined {
  if (ctx.env.PROVIDERS !== 'cloud') return undefined;
  return elevenLabsMusic({ keys: providerKeyResolverFor(ctx), ffmpegPath: ctx.env.FFMPEG_PATH, logger: ctx.logger });
}
