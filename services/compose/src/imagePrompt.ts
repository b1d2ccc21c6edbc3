import { baseLanguage } from './language.js';
import { isSceneWord, type SceneFeatures, type Setting, sceneFeatures } from './sceneLexicon.js';
import { isStopword } from './stopwords.js';
import type { VisualStyle } from './styles.js';

/**
 * A scene's image prompt, built from its own words: the salient ones (what a
 * picture could show), then setting, time, weather and mood phrases. The
 * visual style is added only when a provider is called (`styledPrompt`), so
 * a change of style never leaves stale words in a stored prompt.
 */
const MAX_KEYWORDS = 6;
export const MAX_PROMPT_CHARS = 400;

const SETTING_PHRASE: Record<string, string> = {
  sea: 'by the sea',
  forest: 'in a forest',
  city: 'in a city',
  castle: 'a castle',
  mountain: 'in the mountains',
  desert: 'in the desert',
  field: 'in open fields',
  village: 'in a village',
  lake: 'by a lake',
  space: 'in outer space',
};
const TIME_PHRASE: Record<string, string> = { night: 'at night', dusk: 'at dusk', dawn: 'at dawn', day: 'in daylight' };
const WEATHER_PHRASE: Record<string, string> = {
  rain: 'in the rain',
  snow: 'in falling snow',
  storm: 'in a storm',
  fog: 'in fog',
};

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const ONLY_KANA = /^[\p{Script=Hiragana}\p{Script=Katakana}ー]+$/u;

/**
 * `place` is where the story last was (`storyPlaces`): a scene whose own
 * words name no place is drawn there, so "Tonight was his last night" after
 * a lighthouse scene stays by the sea instead of landing in a random meadow.
 */
export function imagePromptFor(text: string, language: string, place?: Setting): string {
  const tokens = tokensOf(text, language);
  const keywords = salientWords(tokens, language);
  const features = sceneFeatures(tokens.map((t) => t.word));
  const carried = place && features.settings.length === 0 ? { ...features, settings: [place] } : features;
  const prompt = [keywords.join(', '), ...featurePhrases(carried)].filter(Boolean).join('; ');
  return (prompt || text.replace(/\s+/g, ' ').trim()).slice(0, MAX_PROMPT_CHARS);
}

/** Where the story is at each scene: the last place named so far (a boat or a lighthouse means the sea). */
export function storyPlaces(texts: readonly string[], language: string): (Setting | undefined)[] {
  let place: Setting | undefined;
  return texts.map((text) => {
    const features = sceneFeatures(tokensOf(text, language).map((t) => t.word));
    const here =
      features.settings[0] ?? (features.props.some((p) => p === 'boat' || p === 'lighthouse') ? 'sea' : undefined);
    const before = place;
    place = here ?? place;
    return before;
  });
}

/** The prompt a text-to-image provider receives: scene words, then the style's own words. */
export function styledPrompt(prompt: string, style: VisualStyle): string {
  return `${prompt}. ${style.prompt}`;
}

interface Token {
  word: string;
  /** First word of a sentence: its capital says nothing about it being a name. */
  sentenceStart: boolean;
  /** Within two words after an article or possessive: likely a noun or its adjective. */
  afterDeterminer: boolean;
}

/** Articles and possessives of the languages that have them: the cheapest noun detector there is. */
const DETERMINERS = new Set(
  `the a an his her their its my your our this that these those el la los las un una le les une des der die das den
  dem ein eine einen il lo gli uno o os um uma de het een`.split(/\s+/),
);

const segmenters = new Map<string, Intl.Segmenter>();

function tokensOf(text: string, language: string): Token[] {
  let segmenter = segmenters.get(language);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(language, { granularity: 'word' });
    segmenters.set(language, segmenter);
  }
  const tokens: Token[] = [];
  let sentenceStart = true;
  let sinceDeterminer = Number.POSITIVE_INFINITY;
  for (const { segment, isWordLike } of segmenter.segment(text)) {
    if (!isWordLike || !/[\p{L}\p{N}]/u.test(segment)) {
      if (/[.!?。！？…]/u.test(segment)) sentenceStart = true;
      continue;
    }
    tokens.push({ word: segment, sentenceStart, afterDeterminer: sinceDeterminer <= 2 });
    sentenceStart = false;
    sinceDeterminer = DETERMINERS.has(segment.toLowerCase()) ? 1 : sinceDeterminer + 1;
  }
  return tokens;
}

function salientWords(tokens: readonly Token[], language: string): string[] {
  const english = baseLanguage(language) === 'en';
  const seen = new Set<string>();
  const scored: { word: string; score: number; at: number }[] = [];
  tokens.forEach(({ word: raw, sentenceStart, afterDeterminer }, at) => {
    const lower = raw.toLowerCase();
    if (seen.has(lower) || isStopword(lower, language) || /^\p{N}+$/u.test(raw)) return;
    if (CJK.test(raw) ? ONLY_KANA.test(raw) && raw.length < 3 : raw.length < 3) return;
    seen.add(lower);
    const name = !sentenceStart && /^\p{Lu}\p{Ll}/u.test(raw);
    let score = 1;
    if (isSceneWord(raw)) score += 3;
    // A capital inside a sentence is usually a name: who the picture is about.
    if (name) score += 2;
    if (afterDeterminer) score += 1.5;
    if (raw.length >= 6) score += 0.5;
    if (english && !name && /(?:ly|ing|ed)$/.test(lower)) score -= 1.5;
    scored.push({ word: name ? raw : lower, score, at });
  });
  const ranked = scored.sort((a, b) => b.score - a.score || a.at - b.at);
  // Weak words (verbs, adverbs) only fill in when nothing better is there.
  const strong = ranked.filter((s) => s.score > 1);
  return (strong.length >= 3 ? strong : ranked)
    .slice(0, MAX_KEYWORDS)
    .sort((a, b) => a.at - b.at)
    .map((s) => s.word);
}

function featurePhrases(features: SceneFeatures): string[] {
  const phrases: string[] = [];
  for (const setting of features.settings.slice(0, 2)) phrases.push(SETTING_PHRASE[setting] as string);
  if (features.time) phrases.push(TIME_PHRASE[features.time] as string);
  if (features.weather) phrases.push(WEATHER_PHRASE[features.weather] as string);
  if (features.props.includes('couple')) phrases.push('a couple');
  else if (features.props.includes('figure')) phrases.push('a lone figure');
  if (features.mood) phrases.push(`${features.mood} mood`);
  return phrases;
}
