import { hashString, type Random as Rng, seededRandom } from '@storyreel/shared';
import {
  type Mood,
  type Prop,
  type Setting,
  sceneFeatures,
  type TimeOfDay,
  type Weather,
  wordsOf,
} from '../sceneLexicon.js';

/**
 * What one illustration shows, decided from the prompt's words before any
 * drawing: the words pick time, setting, weather and props; the seed picks
 * only what the words leave open (where the sun sits, how hills roll).
 */
export interface IllustrationPlan {
  time: TimeOfDay;
  /** What fills the land: the first setting the words name, else open country. */
  setting: Setting;
  /** A second setting drawn behind the first (mountains behind a village, a castle above a forest). */
  backdrop: Setting | null;
  weather: Weather | null;
  props: ReadonlySet<Prop>;
  mood: Mood | null;
  /** Horizon height as a share of the frame from the top. */
  horizon: number;
  rng: Rng;
}

const BACKDROPS: ReadonlySet<Setting> = new Set(['mountain', 'castle', 'city', 'forest']);

export function planIllustration(prompt: string, seed: number, aspectPortrait: boolean): IllustrationPlan {
  const rng = seededRandom((hashString(prompt) ^ Math.imul(seed, 0x9e3779b1)) >>> 0);
  const features = sceneFeatures(wordsOf(prompt));
  const props = new Set(features.props);
  const settings = [...features.settings];
  // Sand by the sea is a beach: the sea wins.
  if (settings.includes('sea') && settings.includes('desert')) settings.splice(settings.indexOf('desert'), 1);
  let setting = settings[0];
  if (!setting && (props.has('boat') || props.has('lighthouse'))) setting = 'sea';
  if (!setting) setting = rng.pick(['field', 'field', 'mountain', 'forest'] as const);
  const backdrop = settings.slice(1).find((s) => BACKDROPS.has(s) && s !== setting) ?? null;

  return {
    time: features.time ?? inferTime(features.mood ?? null, features.weather ?? null, props, setting, rng),
    setting,
    backdrop,
    weather: features.weather ?? null,
    props,
    mood: features.mood ?? null,
    horizon: (aspectPortrait ? 0.6 : 0.62) + rng.range(-0.05, 0.04),
    rng,
  };
}

function inferTime(
  mood: Mood | null,
  weather: Weather | null,
  props: ReadonlySet<Prop>,
  setting: Setting,
  rng: Rng,
): TimeOfDay {
  if (setting === 'space' || props.has('moon') || props.has('stars')) return 'night';
  if (props.has('sun')) return 'day';
  if (mood === 'mysterious' || mood === 'tense') return rng.pick(['dusk', 'night'] as const);
  if (mood === 'romantic' || mood === 'sad' || weather === 'storm') return 'dusk';
  if (props.has('fire') || props.has('lighthouse')) return rng.pick(['dusk', 'night'] as const);
  return rng.pick(['day', 'day', 'dawn', 'dusk'] as const);
}
