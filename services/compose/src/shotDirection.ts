/**
 * Camera motion over a still (Ken Burns) and the transition to the next
 * scene, chosen from the words so the film moves with the story: close
 * moments zoom in, wide or rising ones zoom out, journeys pan, a sudden
 * event is a cut and a jump in time a fade. Without such words, motions
 * alternate so neighbours never repeat. The names are the render
 * manifest's (services/render/src/manifest.ts).
 */
export const MOTIONS = ['zoom-in', 'zoom-out', 'pan-left', 'pan-right', 'none'] as const;
export type Motion = (typeof MOTIONS)[number];

export const TRANSITION_TYPES = ['cut', 'fade', 'dissolve', 'wipe', 'slide'] as const;
export type TransitionType = (typeof TRANSITION_TYPES)[number];

export interface Transition {
  type: TransitionType;
  durationSeconds: number;
}

const TRANSITION_SECONDS: Record<TransitionType, number> = { cut: 0, fade: 0.8, dissolve: 0.6, wipe: 0.5, slide: 0.5 };

const MOTION_CUES: readonly [RegExp, Motion][] = [
  [/\b(?:face|eyes|closer|whisper\w*|letter|hand|heart|tears?|looked at|stared|fell|sank|deep|beneath)\b/i, 'zoom-in'],
  [
    /\b(?:horizon|vast|endless|whole|world|far away|distance|farewell|goodbye|the end|ever after|rose|soar\w*|fl(?:y|ew)|sky|stars)\b/i,
    'zoom-out',
  ],
  [/\b(?:walk\w*|road|path|journey|travel\w*|rode|ride|sail\w*|march\w*|across|along|set off|left)\b/i, 'pan-right'],
  [/\b(?:return\w*|came back|went back|home again|remember\w*|once|long ago)\b/i, 'pan-left'],
];

const CUT_CUES = /\b(?:suddenly|sudden|bang|boom|crash\w*|slam\w*|shot|scream\w*|snap\w*)\b|[!！]{2,}/i;
const FADE_CUES =
  /\b(?:later|years|months|days passed|next (?:morning|day|night)|the next|meanwhile|long ago|in the end|finally)\b/i;

const ROTATION: readonly Motion[] = ['zoom-in', 'pan-right', 'zoom-out', 'pan-left'];

export function chooseMotion(text: string, index: number, previous: Motion | undefined): Motion {
  for (const [cue, motion] of MOTION_CUES) {
    if (cue.test(text) && motion !== previous) return motion;
  }
  const rotated = ROTATION[index % ROTATION.length] as Motion;
  return rotated === previous ? (ROTATION[(index + 1) % ROTATION.length] as Motion) : rotated;
}

/**
 * The transition from a scene to the one after it, read from the next
 * scene's words (the render manifest ignores it on the last scene).
 */
export function chooseTransition(nextText: string | undefined, nextStartsParagraph: boolean): Transition {
  let type: TransitionType = 'dissolve';
  if (nextText === undefined) type = 'fade';
  else if (CUT_CUES.test(nextText)) type = 'cut';
  else if (nextStartsParagraph || FADE_CUES.test(nextText)) type = 'fade';
  return transitionOf(type);
}

export function transitionOf(type: TransitionType): Transition {
  return { type, durationSeconds: TRANSITION_SECONDS[type] };
}
