import type { Random } from '@storyreel/shared';
import { Chord, Note, Progression, Scale } from 'tonal';
import { type Mood, tonicNumeral } from './moods.js';

/** One chord of the piece and where it sits, in beats from the start. */
export interface ChordSlot {
  numeral: string;
  /** Chord symbol in the piece's key, e.g. `Dm7`. */
  symbol: string;
  /** Pitch class of the root, 0 = C. */
  rootPc: number;
  /** Pitch classes of the chord tones, root first. */
  pcs: readonly number[];
  /**
   * Pitch classes the melody may use over this chord: the mode's scale, with
   * any scale note that shares a letter with an altered chord tone swapped for
   * it (B for Bb over G major in C minor), so the lead never rubs the chord.
   */
  melodyPcs: readonly number[];
  startBeat: number;
  beats: number;
}

/** The time and harmony grid every part of the piece is written on. */
export interface PiecePlan {
  mood: Mood;
  tempo: number;
  durationSeconds: number;
  /** Beats from the start to the requested end; the last chord is held to here. */
  totalBeats: number;
  /** Beats per chord change: a bar, or less when the piece is too short for two bars. */
  slotBeats: number;
  chords: readonly ChordSlot[];
  tonicPc: number;
}

const chroma = (note: string): number => {
  const c = Note.chroma(note);
  if (c === undefined || Number.isNaN(c)) throw new Error(`tonal could not read note ${note}`);
  return c;
};

function chordOf(mood: Mood, numeral: string, scale: readonly string[]) {
  const symbol = Progression.fromRomanNumerals(mood.key, [numeral])[0];
  const chord = symbol ? Chord.get(symbol) : undefined;
  if (!symbol || !chord || chord.empty || chord.notes.length === 0) {
    throw new Error(`mood ${mood.id}: numeral ${numeral} is not a chord tonal can read`);
  }
  const altered = new Map<string, string>();
  for (const note of chord.notes) {
    if (!scale.some((s) => chroma(s) === chroma(note))) altered.set(Note.get(note).letter, note);
  }
  const melodyPcs = scale.map((s) => chroma(altered.get(Note.get(s).letter) ?? s));
  return { numeral, symbol, rootPc: chroma(chord.notes[0] as string), pcs: chord.notes.map(chroma), melodyPcs };
}

/**
 * Picks a tempo in the mood's range. With no tempo requested, it is nudged so
 * a whole number of bars fills the duration exactly and the last chord lands
 * on a bar line instead of being stretched.
 */
export function resolveTempo(mood: Mood, durationSeconds: number, rng: Random, requested?: number): number {
  if (requested !== undefined) return requested;
  const base = rng.int(mood.tempo.min, mood.tempo.max);
  const bars = Math.max(2, Math.round((base * durationSeconds) / 60 / mood.meter));
  const fitted = Math.round(((bars * mood.meter * 60) / durationSeconds) * 1000) / 1000;
  return fitted >= mood.tempo.min && fitted <= mood.tempo.max ? fitted : base;
}

/**
 * Lays out the chords: the mood's loop, then its cadence, so the piece always
 * ends on the tonic. The final chord starts on a slot boundary and is held
 * until the requested end, where it fades.
 */
export function planPiece(mood: Mood, durationSeconds: number, tempo: number): PiecePlan {
  const totalBeats = (durationSeconds * tempo) / 60;
  // A chord per bar when two bars fit; short pieces at slow tempi change chords faster.
  const slotBeats = [mood.meter, 2, 1].find((span) => Math.floor(totalBeats / span + 1e-9) >= 2) ?? totalBeats / 2;
  const slots = Math.max(2, Math.floor(totalBeats / slotBeats + 1e-9));

  const { cadence, progression } = mood;
  const body = Array.from(
    { length: Math.max(0, slots - cadence.length) },
    (_, i) => progression[i % progression.length] as string,
  );
  // The loop may stop on the chord the cadence starts with; a repeated chord there stalls the ending.
  if (body.length > 0 && body.at(-1) === cadence[0]) {
    const neighbours = [body.at(-2), cadence[0]];
    body[body.length - 1] = [tonicNumeral(mood), ...progression].find((n) => !neighbours.includes(n)) as string;
  }
  const numerals = slots >= cadence.length ? [...body, ...cadence] : cadence.slice(cadence.length - slots);

  const scale = Scale.get(`${mood.key} ${mood.mode}`).notes;
  if (scale.length === 0) throw new Error(`mood ${mood.id}: tonal has no scale ${mood.key} ${mood.mode}`);
  const chords = numerals.map((numeral, i): ChordSlot => {
    const startBeat = i * slotBeats;
    const beats = i === numerals.length - 1 ? totalBeats - startBeat : slotBeats;
    return { ...chordOf(mood, numeral, scale), startBeat, beats };
  });

  return { mood, tempo, durationSeconds, totalBeats, slotBeats, chords, tonicPc: chroma(mood.key) };
}
