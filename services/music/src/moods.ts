/**
 * The moods a soundtrack can have: everything the composer needs to write a
 * piece in that mood, as data. Roman numerals follow tonal's reading: they
 * count from the tonic's *major* scale and need an explicit quality, so a
 * minor key writes `Im, bVI, bIII, bVII` and a minor chord is `VIm`, not `vi`.
 */

/** A scale name tonal knows (`Scale.get(\`${key} ${mode}\`)`). */
export type Mode = 'major' | 'minor' | 'dorian';

/** How the pad plays each chord. */
export type PadStyle = 'sustain' | 'pulse' | 'arpeggio';

/** How the bass plays each chord. */
export type BassStyle = 'roots' | 'root-fifth' | 'pulse' | 'octaves';

/**
 * One drum sound over one bar, one character per sixteenth note
 * (`x` hit, `o` soft hit, `.` rest); the string is `4 * meter` long.
 */
export interface DrumLane {
  /** General MIDI percussion key (36 kick, 38 snare, 42 closed hi-hat, ...). */
  key: number;
  steps: string;
}

export interface DrumPart {
  lanes: readonly DrumLane[];
  /** Velocity scale of the whole kit, 0..1. */
  level: number;
  /** A snare run in the last beat before the final chord. */
  fill: boolean;
}

export interface Mood {
  id: string;
  label: string;
  description: string;
  /** Tonic pitch class, e.g. `G`, `Eb`. */
  key: string;
  mode: Mode;
  /** The loop the body of the piece cycles through. */
  progression: readonly string[];
  /** The closing chords; the last is always the tonic (`I` or `Im`). */
  cadence: readonly string[];
  tempo: { min: number; max: number };
  /** Beats per bar (quarter notes). */
  meter: 3 | 4;
  /** General MIDI programs, 0-based (0 = Acoustic Grand Piano). */
  instruments: { pad: number; lead: number; bass: number };
  padStyle: PadStyle;
  bassStyle: BassStyle;
  melody: {
    /** Lowest and highest MIDI note of the lead. */
    range: readonly [number, number];
    /** Note lengths in beats the lead picks from, with weights. */
    durations: readonly (readonly [beats: number, weight: number])[];
    /** Chance that a note is a rest instead. */
    restChance: number;
    /** Base velocity, 0..1. */
    level: number;
  };
  /** Reverb send, 0..1: how far away the band sounds. */
  reverb: number;
  /** `null`: no drums at all. */
  drums: DrumPart | null;
}

const KICK = 36;
const SIDE_STICK = 37;
const SNARE = 38;
const CLOSED_HAT = 42;
const LOW_FLOOR_TOM = 41;
const HIGH_FLOOR_TOM = 43;
const RIDE = 51;
const TAMBOURINE = 54;
const MARACAS = 70;
const HIGH_WOOD_BLOCK = 76;
const LOW_WOOD_BLOCK = 77;

export const MOODS: readonly Mood[] = [
  {
    id: 'calm',
    label: 'Calm',
    description: 'Slow, warm pads under a soft flute; no drums. For reflective or quiet stories.',
    key: 'F',
    mode: 'major',
    progression: ['IMaj7', 'IIIm7', 'VIm7', 'IVMaj7'],
    cadence: ['IIm7', 'V', 'I'],
    tempo: { min: 62, max: 76 },
    meter: 4,
    instruments: { pad: 89, lead: 73, bass: 32 },
    padStyle: 'sustain',
    bassStyle: 'roots',
    melody: {
      range: [65, 84],
      durations: [
        [2, 3],
        [1, 3],
        [1.5, 1],
        [4, 1],
      ],
      restChance: 0.2,
      level: 0.55,
    },
    reverb: 0.7,
    drums: null,
  },
  {
    id: 'upbeat',
    label: 'Upbeat',
    description: 'Bright pop groove with electric piano, sax and a steady beat. For cheerful, energetic stories.',
    key: 'G',
    mode: 'major',
    progression: ['I', 'V', 'VIm', 'IV'],
    cadence: ['IV', 'V', 'I'],
    tempo: { min: 110, max: 126 },
    meter: 4,
    instruments: { pad: 4, lead: 65, bass: 33 },
    padStyle: 'pulse',
    bassStyle: 'root-fifth',
    melody: {
      range: [62, 81],
      durations: [
        [0.5, 4],
        [1, 3],
        [0.25, 1],
        [1.5, 1],
      ],
      restChance: 0.12,
      level: 0.7,
    },
    reverb: 0.3,
    drums: {
      lanes: [
        { key: KICK, steps: 'x.....x.x.......' },
        { key: SNARE, steps: '....x.......x...' },
        { key: CLOSED_HAT, steps: 'x.o.x.o.x.o.x.o.' },
        { key: TAMBOURINE, steps: '....o.......o...' },
      ],
      level: 0.85,
      fill: true,
    },
  },
  {
    id: 'dark',
    label: 'Dark',
    description: 'Low strings and a cold pad in C minor with a slow heartbeat. For menace, loss or mystery.',
    key: 'C',
    mode: 'minor',
    progression: ['Im', 'bVI', 'IVm', 'V'],
    cadence: ['IVm', 'V', 'Im'],
    tempo: { min: 64, max: 80 },
    meter: 4,
    instruments: { pad: 95, lead: 42, bass: 43 },
    padStyle: 'sustain',
    bassStyle: 'roots',
    melody: {
      range: [48, 67],
      durations: [
        [2, 3],
        [1, 2],
        [3, 1],
        [0.5, 1],
      ],
      restChance: 0.25,
      level: 0.6,
    },
    reverb: 0.6,
    drums: {
      lanes: [
        { key: KICK, steps: 'x..x............' },
        { key: LOW_FLOOR_TOM, steps: '............o...' },
      ],
      level: 0.7,
      fill: false,
    },
  },
  {
    id: 'epic',
    label: 'Epic',
    description: 'Full strings, horns and big drums in D minor. For battles, journeys and triumphs.',
    key: 'D',
    mode: 'minor',
    progression: ['Im', 'bVI', 'bIII', 'bVII'],
    cadence: ['bVI', 'V', 'Im'],
    tempo: { min: 84, max: 100 },
    meter: 4,
    instruments: { pad: 48, lead: 60, bass: 43 },
    padStyle: 'pulse',
    bassStyle: 'octaves',
    melody: {
      range: [55, 74],
      durations: [
        [1, 3],
        [2, 2],
        [0.5, 2],
        [1.5, 1],
      ],
      restChance: 0.08,
      level: 0.8,
    },
    reverb: 0.55,
    drums: {
      lanes: [
        { key: KICK, steps: 'x..x..x...x.x...' },
        { key: LOW_FLOOR_TOM, steps: 'x.....x.....x.o.' },
        { key: HIGH_FLOOR_TOM, steps: '....x.......x...' },
        { key: SNARE, steps: '....x.......x...' },
      ],
      level: 0.9,
      fill: true,
    },
  },
  {
    id: 'whimsical',
    label: 'Whimsical',
    description: 'Plucked strings, glockenspiel and bassoon hopping along. For playful, funny or fairy-tale stories.',
    key: 'C',
    mode: 'major',
    progression: ['I', 'VIm', 'IIm', 'V'],
    cadence: ['IIm', 'V', 'I'],
    tempo: { min: 100, max: 116 },
    meter: 4,
    instruments: { pad: 45, lead: 9, bass: 70 },
    padStyle: 'pulse',
    bassStyle: 'root-fifth',
    melody: {
      range: [72, 91],
      durations: [
        [0.5, 4],
        [0.25, 2],
        [1, 2],
        [0.75, 1],
      ],
      restChance: 0.18,
      level: 0.6,
    },
    reverb: 0.35,
    drums: {
      lanes: [
        { key: HIGH_WOOD_BLOCK, steps: 'x...o...x...o...' },
        { key: LOW_WOOD_BLOCK, steps: '......x.......x.' },
        { key: CLOSED_HAT, steps: '..o...o...o...o.' },
      ],
      level: 0.6,
      fill: false,
    },
  },
  {
    id: 'romantic',
    label: 'Romantic',
    description: 'A piano melody over slow strings in a gentle waltz. For love stories and tender moments.',
    key: 'Eb',
    mode: 'major',
    progression: ['I', 'V', 'VIm', 'IIIm', 'IV', 'I', 'IIm', 'V'],
    cadence: ['IV', 'V', 'I'],
    tempo: { min: 66, max: 80 },
    meter: 3,
    instruments: { pad: 49, lead: 0, bass: 42 },
    padStyle: 'sustain',
    bassStyle: 'roots',
    melody: {
      range: [63, 82],
      durations: [
        [1, 4],
        [2, 2],
        [0.5, 2],
        [3, 1],
      ],
      restChance: 0.1,
      level: 0.6,
    },
    reverb: 0.6,
    drums: null,
  },
  {
    id: 'mysterious',
    label: 'Mysterious',
    description: 'Celesta over a glassy pad in E dorian with a quiet shaker. For secrets, magic and discovery.',
    key: 'E',
    mode: 'dorian',
    progression: ['Im', 'IV', 'bIII', 'bVII'],
    cadence: ['IV', 'V', 'Im'],
    tempo: { min: 76, max: 92 },
    meter: 4,
    instruments: { pad: 92, lead: 8, bass: 32 },
    padStyle: 'arpeggio',
    bassStyle: 'roots',
    melody: {
      range: [67, 86],
      durations: [
        [1, 3],
        [0.5, 2],
        [2, 2],
        [1.5, 1],
      ],
      restChance: 0.3,
      level: 0.55,
    },
    reverb: 0.75,
    drums: {
      lanes: [
        { key: MARACAS, steps: '..o...o...o...o.' },
        { key: SIDE_STICK, steps: '............o...' },
      ],
      level: 0.5,
      fill: false,
    },
  },
  {
    id: 'hopeful',
    label: 'Hopeful',
    description: 'Rolling piano, violin and a light ride in D major that keeps rising. For new beginnings.',
    key: 'D',
    mode: 'major',
    progression: ['IV', 'I', 'V', 'VIm'],
    cadence: ['IV', 'V', 'I'],
    tempo: { min: 86, max: 100 },
    meter: 4,
    instruments: { pad: 0, lead: 40, bass: 42 },
    padStyle: 'arpeggio',
    bassStyle: 'roots',
    melody: {
      range: [67, 86],
      durations: [
        [1, 3],
        [2, 2],
        [0.5, 2],
        [3, 1],
      ],
      restChance: 0.12,
      level: 0.6,
    },
    reverb: 0.5,
    drums: {
      lanes: [
        { key: KICK, steps: 'x.......x.......' },
        { key: RIDE, steps: 'o...o...o...o...' },
      ],
      level: 0.6,
      fill: false,
    },
  },
];

export const MOOD_IDS = MOODS.map((m) => m.id);

export function findMood(id: string): Mood | undefined {
  return MOODS.find((m) => m.id === id);
}

/** The numeral of the tonic chord every piece in this mood ends on. */
export function tonicNumeral(mood: Mood): 'I' | 'Im' {
  return mood.mode === 'major' ? 'I' : 'Im';
}
