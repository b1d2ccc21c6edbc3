import { providerKeyResolverFor, type ServiceContext } from '@storyreel/shared';
import { elevenLabsEngine } from './adapters/elevenLabsEngine.js';
import { espeakEngine } from './adapters/espeakEngine.js';
import { googleTtsEngine } from './adapters/googleTtsEngine.js';
import type { SpeechEngine } from './speechEngine.js';

/**
 * The engine behind narrate's port: eSpeak offline by default; with
 * PROVIDERS=cloud, ElevenLabs or Google Text-to-Speech
 * (CLOUD_SPEECH_PROVIDER), called with the user's own key when they stored
 * one, else the platform's.
 */
export function speechEngineFor(ctx: Pick<ServiceContext, 'client' | 'env' | 'logger'>): SpeechEngine {
  if (ctx.env.PROVIDERS !== 'cloud') return espeakEngine();
  const keys = providerKeyResolverFor(ctx);
  return ctx.env.CLOUD_SPEECH_PROVIDER === 'google'
    ? googleTtsEngine({ keys, logger: ctx.logger })
    : elevenLabsEngine({ keys, logger: ctx.logger });
}
