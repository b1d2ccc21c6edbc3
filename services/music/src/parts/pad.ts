import type { ChordSlot, PiecePlan } from '../piecePlan.js';
import type { NoteEvent } from './noteEvent.js';

const LOW = 48;
const HIGH = 74;
const CENTRE = 60;

/** Every inversion of the chord, stacked upwards from each octave that keeps it in the pad's register. */
function candidateVoicings(pcs: readonly number[]): number[][] {
  const voicings: number[][] = [];
  for (let inversion = 0; inversion < pcs.length; inversion++) {
    const order = [...pcs.slice(inversion), ...pcs.slice(0, inversion)];
    for (let octaveStart = LOW - 12; octaveStart <= HIGH; octaveStart += 12) {
      const stack: number[] = [];
      for (const pc of order) {
        let pitch = octaveStart + pc;
        while (stack.length > 0 && pitch <= (stack.at(-1) as number)) pitch += 12;
        stack.push(pitch);
      }
      if ((stack[0] as number) >= LOW && (stack.at(-1) as number) <= HIGH) voicings.push(stack);
    }
  }
  return voicings;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Movement from the previous voicing; smallest wins, so the pad glides instead of jumping. */
function distance(from: readonly number[], to: readonly number[]): number {
  if (from.length !== to.length) return Math.abs(mean(from) - mean(to)) * to.length;
  return from.reduce((sum, pitch, i) => sum + Math.abs(pitch - (to[i] as number)), 0);
}

export function voiceLead(chords: readonly ChordSlot[]): number[][] {
  let previous = [CENTRE - 4, CENTRE, CENTRE + 3];
  return chords.map((chord) => {
    const candidates = candidateVoicings(chord.pcs);
    let best = candidates[0] ?? chord.pcs.map((pc) => CENTRE + pc);
    for (const candidate of candidates) {
      if (distance(previous, candidate) < distance(previous, best)) best = candidate;
    }
    previous = best;
    return best;
  });
}

/** The chords as the pad plays them: held, pulsed on each beat, or rolled as eighth-note arpeggios. */
export function padPart(plan: PiecePlan): NoteEvent[] {
  const { mood, chords } = plan;
  const voicings = voiceLead(chords);
  const notes: NoteEvent[] = [];
  chords.forEach((chord, i) => {
    const voicing = voicings[i] as number[];
    const last = i === chords.length - 1;
    if (last || mood.padStyle === 'sustain') {
      for (const pitch of voicing) notes.push({ pitch, startBeat: chord.startBeat, beats: chord.beats, velocity: 0.5 });
      return;
    }
    if (mood.padStyle === 'pulse') {
      for (let beat = 0; beat < chord.beats; beat++) {
        const accent = beat % mood.meter === 0 ? 0.62 : 0.48;
        for (const pitch of voicing) {
          notes.push({
            pitch,
            startBeat: chord.startBeat + beat,
            beats: Math.min(0.85, chord.beats - beat),
            velocity: accent,
          });
        }
      }
      return;
    }
    const rising = [...voicing, (voicing[0] as number) + 12];
    const cycle = [...rising, ...rising.slice(1, -1).reverse()];
    for (let step = 0; step * 0.5 < chord.beats; step++) {
      notes.push({
        pitch: cycle[step % cycle.length] as number,
        startBeat: chord.startBeat + step * 0.5,
        beats: Math.min(1, chord.beats - step * 0.5),
        velocity: step % 2 === 0 ? 0.52 : 0.42,
      });
    }
  });
  return notes;
}
