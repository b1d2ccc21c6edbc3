import { providerKeyResolverFor, type ServiceContext } from '@storyreel/shared';
import { dtwAligner } from './adapters/dtwAligner.js';
import { googleSttAligner } from './adapters/googleSttAligner.js';
import type { Aligner } from './aligner.js';

/**
 * The aligner behind align-captions' port: DTW offline by default; with
 * PROVIDERS=cloud, Google Speech-to-Text word offsets, called with the
 * user's own key when they stored one, else the platform's.
 */
export function alignerFor(ctx: Pick<ServiceContext, 'client' | 'env' | 'logger'>): Aligner {
  const ffmpegPath = ctx.env.FFMPEG_PATH;
  if (ctx.env.PROVIDERS !== 'cloud') return dtwAligner({ ffmpegPath });
  return googleSttAligner({ keys: providerKeyResolverFor(ctx), ffmpegPath, logger: ctx.logger });
}
