import type { WritingSystem } from './writingSystems.js';

export interface Voice {
  /** Stable and URL-safe: stored in projects and used in preview URLs. */
  id: string;
  label: string;
  /** BCP 47 tag of what the voice speaks. */
  language: string;
  /** As the engine reports it (eSpeak's base voices are all male). */
  gender: 'male' | 'female';
  engine: 'espeak';
  /** The engine's exact voice name; the adapter checks it gets this voice and no other. */
  engineVoice: string;
  /** Timbre settings applied on top of the engine voice. */
  tuning?: { klatt?: boolean; pitch?: number };
  /** Every voice also reads Latin letters (names, brands), so Latin is always listed. */
  reads: readonly WritingSystem[];
  /** What a preview says when the caller gives no text. */
  sample: string;
}

const LATIN: readonly WritingSystem[] = ['Latin'];

const SAMPLE = {
  en: 'Once upon a time, a small fox found a golden key under the old oak tree.',
  es: 'Había una vez un pequeño zorro que encontró una llave dorada bajo el viejo roble.',
  de: 'Es war einmal ein kleiner Fuchs, der unter der alten Eiche einen goldenen Schlüssel fand.',
  fr: 'Il était une fois un petit renard qui trouva une clé dorée sous le vieux chêne.',
  it: "C'era una volta una piccola volpe che trovò una chiave d'oro sotto la vecchia quercia.",
  pt: 'Era uma vez uma pequena raposa que encontrou uma chave dourada debaixo do velho carvalho.',
  ru: 'Жила-была маленькая лиса, которая нашла под старым дубом золотой ключик.',
  el: 'Μια φορά κι έναν καιρό, μια μικρή αλεπού βρήκε ένα χρυσό κλειδί κάτω από τη γέρικη βελανιδιά.',
  zh: '从前，一只小狐狸在老橡树下找到了一把金钥匙。',
} as const;

export const VOICES: readonly Voice[] = [
  {
    id: 'en-us-1',
    label: 'English (US)',
    language: 'en-US',
    gender: 'male',
    engine: 'espeak',
    engineVoice: 'gmw/en-US',
    reads: LATIN,
    sample: SAMPLE.en,
  },
  {
    id: 'en-us-2',
    label: 'English (US), Klatt timbre',
    language: 'en-US',
    gender: 'male',
    engine: 'espeak',
    engineVoice: 'gmw/en-US',
    tuning: { klatt: true },
    reads: LATIN,
    sample: SAMPLE.en,
  },
  {
    id: 'en-gb-1',
    label: 'English (UK)',
    language: 'en-GB',
    gender: 'male',
    engine: 'espeak',
    engineVoice: 'gmw/en-GB-x-rp',
    reads: LATIN,
    sample: SAMPLE.en,
  },
  {
    id: 'en-gb-2',
    label: 'English (Scotland)',
    language: 'en-GB',
    gender: 'male',
    engine: 'espeak',
    engineVoice: 'gmw/en-GB-scotland',
    reads: LATIN,
    sample: SAMPLE.en,
  },
  {
    id: 'es-es-1',
    label: 'Spanish (Spain)',
    language: 'es-ES',
    gender: 'male',
    engine: 'espeak',
    engineVoice: 'roa/es',
    reads: LATIN,
    sample: SAMPLE.es,
  },
  {
    id: 'es-419-1',
    label: 'Spanish (Latin America)',
    language: 'es-419',
    gender: 'male',
    engine: 'espeak',
    engineVoice: 'roa/es-419',
    reads: LATIN,
    sample: SAMPLE.es,
  },
  {
    id: 'de-1',
    label: 'German',
    language: 'de-DE',
    gender: 'male',
    engine: 'espeak',
    engineVoice: 'gmw/de',
    reads: LATIN,
    sample: SAMPLE.de,
  },
  {
    id: 'fr-1',
    label: 'French (France)',
    language: 'fr-FR',
    gender: 'male',
    engine: 'espeak',
    engineVoice: 'roa/fr',
    reads: LATIN,
    sample: SAMPLE.fr,
  },
  {
    id: 'it-1',
    label: 'Italian',
    language: 'it-IT',
    gender: 'male',
    engine: 'espeak',
    engineVoice: 'roa/it',
    reads: LATIN,
    sample: SAMPLE.it,
  },
  {
    id: 'pt-br-1',
    label: 'Portuguese (Brazil)',
    language: 'pt-BR',
    gender: 'male',
    engine: 'espeak',
    engineVoice: 'roa/pt-BR',
    reads: LATIN,
    sample: SAMPLE.pt,
  },
  {
    id: 'pt-pt-1',
    label: 'Portuguese (Portugal)',
    language: 'pt-PT',
    gender: 'male',
    engine: 'espeak',
    engineVoice: 'roa/pt',
    reads: LATIN,
    sample: SAMPLE.pt,
  },
  {
    id: 'ru-1',
    label: 'Russian',
    language: 'ru-RU',
    gender: 'male',
    engine: 'espeak',
    engineVoice: 'zle/ru',
    reads: ['Latin', 'Cyrillic'],
    sample: SAMPLE.ru,
  },
  {
    id: 'el-1',
    label: 'Greek',
    language: 'el-GR',
    gender: 'male',
    engine: 'espeak',
    engineVoice: 'grk/el',
    reads: ['Latin', 'Greek'],
    sample: SAMPLE.el,
  },
  {
    id: 'zh-1',
    label: 'Chinese (Mandarin)',
    language: 'zh-CN',
    gender: 'male',
    engine: 'espeak',
    engineVoice: 'sit/cmn',
    reads: ['Latin', 'Han'],
    sample: SAMPLE.zh,
  },
];

export const VOICE_IDS = VOICES.map((v) => v.id) as [string, ...string[]];

export function findVoice(id: string): Voice | undefined {
  return VOICES.find((v) => v.id === id);
}

/** What callers see of a voice; tuning is how we get the timbre, not part of the contract. */
export function publicVoice({ tuning: _tuning, ...shown }: Voice) {
  return shown;
}
