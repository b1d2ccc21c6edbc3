import { type BlobStore, contentHash, formatGsPath } from '@storyreel/shared';
import { NARRATION_VERSION } from './narration.js';
import { assertVoiceReads, normaliseNarrationText } from './narrationText.js';
import type { SpeechEngine } from './speechEngine.js';
import type { Voice } from './voices.js';

export interface VoicePreview {
  wav: Buffer;
  path: string;
  cached: boolean;
}

/**
 * A short sample of a voice. Previews are not anyone's project data, so they
 * live under one shared prefix, keyed by voice and text: the voice picker's
 * default samples are made once and then read back.
 */
export async function voicePreview(
  deps: { engine: SpeechEngine; blobs: BlobStore; mediaBucket: string },
  voice: Voice,
  text: string | undefined,
): Promise<VoicePreview> {
  const spoken = normaliseNarrationText(text ?? voice.sample);
  assertVoiceReads(voice, [{ field: 'text', text: spoken }]);
  const hash = contentHash({
    text: spoken,
    voice: { id: voice.id, engineVoice: voice.engineVoice, tuning: voice.tuning },
    engine: deps.engine.name,
    engineVersion: deps.engine.version,
    version: NARRATION_VERSION,
  });
  const path = formatGsPath(deps.mediaBucket, `previews/voices/${voice.id}/${hash}.wav`);
  if (await deps.blobs.exists(path)) return { wav: await deps.blobs.get(path), path, cached: true };
  const { wav } = await deps.engine.synthesize(spoken, voice, 1);
  await deps.blobs.put(path, wav, { contentType: 'audio/wav' });
  return { wav, path, cached: false };
}
