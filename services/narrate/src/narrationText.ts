import { unprocessable } from '@storyreel/shared';
import { VOICES, type Voice } from './voices.js';
import { unreadableWritingSystems } from './writingSystems.js';

/**
 * The text as it is spoken and hashed: runs of whitespace say nothing more
 * than one space, so "a  b" and "a b" share one recording. Control
 * characters are dropped before they reach the synthesizer.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g;

export function normaliseNarrationText(text: string): string {
  return text.replace(CONTROL, '').replace(/\s+/g, ' ').trim();
}

/** Refuses, before any synthesis, text a voice would mangle (an English voice spelling Cyrillic). */
export function assertVoiceReads(voice: Voice, texts: readonly { field: string; text: string }[]): void {
  const fields = texts.flatMap(({ field, text }) => {
    const unreadable = unreadableWritingSystems(text, voice.reads);
    if (unreadable.length === 0) return [];
    const able = VOICES.filter((v) => unreadable.every((system) => v.reads.includes(system))).map((v) => v.id);
    const suggestion = able.length ? `; voices that can: ${able.join(', ')}` : '; no voice reads it yet';
    return [{ field, message: `voice ${voice.id} cannot read ${unreadable.join(', ')} text${suggestion}` }];
  });
  if (fields.length) {
    throw unprocessable(`voice ${voice.id} cannot read the text of ${fields.map((f) => f.field).join(', ')}`, {
      fields,
    });
  }
}
