import type { Random } from '@storyreel/shared';
import type { ChordSlot, PiecePlan } from '../piecePlan.js';
import type { NoteEvent } from './noteEvent.js';

/** A note or rest of a rhythm, relative to the start of its chord. */
interface Beat {
  offset: number;
  beats: number;
  rest: boolean;
}

function rhythm(plan: PiecePlan, rng: Random): Beat[] {
  const { durations, restChance } = plan.mood.melody;
  const cells: Beat[] = [];
  let offset = 0;
  while (offset < plan.slotBeats - 1e-9) {
    const beats = Math.min(rng.weighted(durations), plan.slotBeats - offset);
    // Never rest on a chord's downbeat: the tune would sound like it lost its place.
    cells.push({ offset, beats, rest: offset > 0 && rng.chance(restChance) });
    offset += beats;
  }
  return cells;
}

const pitchesIn = (range: readonly [number, number], pcs: readonly number[]) => {
  const pitches: number[] = [];
  for (let p = range[0]; p <= range[1]; p++) if (pcs.includes(p % 12)) pitches.push(p);
  return pitches;
};

const nearest = (pitches: readonly number[], target: number) =>
  pitches.reduce((best, p) => (Math.abs(p - target) < Math.abs(best - target) ? p : best), pitches[0] as number);

/**
 * The lead line. Motifs repeat (A B A C per four chords) so it sounds like a
 * tune, strong beats and long notes take chord tones, the rest move by step
 * through the scale, and the last two chords walk it home: a chord tone next
 * to the tonic over the dominant, then the tonic itself, held.
 */
export function melodyPart(plan: PiecePlan, rng: Random): NoteEvent[] {
  const { mood, chords } = plan;
  const { range, level } = mood.melody;
  const motifA = rhythm(plan, rng);
  const motifB = rhythm(plan, rng);
  const notes: NoteEvent[] = [];
  let previous = Math.round((range[0] + range[1]) / 2);
  let direction = rng.chance(0.5) ? 1 : -1;

  const tonicNear = (target: number) => nearest(pitchesIn(range, [plan.tonicPc]), target);

  chords.forEach((chord: ChordSlot, i) => {
    const last = i === chords.length - 1;
    if (last) {
      const pitch = tonicNear(previous);
      notes.push({ pitch, startBeat: chord.startBeat, beats: chord.beats, velocity: level });
      return;
    }
    const penultimate = i === chords.length - 2;
    const scale = pitchesIn(range, chord.melodyPcs);
    const chordTones = pitchesIn(range, chord.pcs);
    const cells = i % 2 === 0 ? motifA : i % 4 === 1 ? motifB : rhythm(plan, rng);

    cells.forEach((cell, c) => {
      if (cell.rest) return;
      const strong = cell.offset === 0 || cell.offset === Math.floor(mood.meter / 2) || cell.beats >= 1.5;
      let pitch: number;
      if (penultimate && c === cells.length - 1) {
        // Leading into the final tonic: the chord tone closest to where the tune will land.
        pitch = nearest(chordTones, tonicNear(previous));
      } else if (strong) {
        const closest = [...chordTones].sort((a, b) => Math.abs(a - previous) - Math.abs(b - previous)).slice(0, 3);
        pitch = rng.weighted(closest.map((p, k) => [p, 3 - k] as const));
      } else {
        if (rng.chance(0.3)) direction = -direction;
        const here = scale.indexOf(nearest(scale, previous));
        let index = here + direction * (rng.chance(0.8) ? 1 : 2);
        if (index < 0 || index >= scale.length) {
          direction = -direction;
          index = here + direction;
        }
        pitch = scale[Math.max(0, Math.min(scale.length - 1, index))] as number;
      }
      previous = pitch;
      const accent = strong ? 1 : 0.86;
      notes.push({
        pitch,
        startBeat: chord.startBeat + cell.offset,
        beats: cell.beats >= 1 ? cell.beats * 0.95 : cell.beats * 0.85,
        velocity: Math.min(1, level * accent * (0.93 + rng.next() * 0.1)),
      });
    });
  });
  return notes;
}
