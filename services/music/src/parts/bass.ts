import type { ChordSlot, PiecePlan } from '../piecePlan.js';
import type { NoteEvent } from './noteEvent.js';

/** E1..D#2 would rumble on most GM basses; roots sit between C2 and B2. */
const rootPitch = (chord: ChordSlot) => 36 + chord.rootPc;

/** One bass note for a given beat of a chord, in the mood's style. */
function beatNote(plan: PiecePlan, chord: ChordSlot, beat: number): NoteEvent[] {
  const root = rootPitch(chord);
  const startBeat = chord.startBeat + beat;
  const onDownbeat = beat % plan.mood.meter === 0;
  const remaining = chord.beats - beat;
  switch (plan.mood.bassStyle) {
    case 'roots':
      return onDownbeat
        ? [{ pitch: root, startBeat, beats: Math.min(plan.mood.meter, remaining) * 0.97, velocity: 0.7 }]
        : [];
    case 'root-fifth': {
      const fifth = beat % plan.mood.meter === Math.floor(plan.mood.meter / 2);
      return [
        {
          pitch: fifth ? root + 7 : root,
          startBeat,
          beats: Math.min(0.8, remaining),
          velocity: onDownbeat ? 0.75 : 0.6,
        },
      ];
    }
    case 'pulse':
      return [0, 0.5].map((offset) => ({
        pitch: root,
        startBeat: startBeat + offset,
        beats: Math.min(0.45, remaining - offset),
        velocity: offset === 0 ? 0.7 : 0.55,
      }));
    case 'octaves':
      return [
        {
          pitch: beat % 2 === 0 ? root : root + 12,
          startBeat,
          beats: Math.min(0.9, remaining),
          velocity: onDownbeat ? 0.8 : 0.62,
        },
      ];
  }
}

/** The bass line: the mood's pattern under every chord, then the tonic root held under the last one. */
export function bassPart(plan: PiecePlan): NoteEvent[] {
  const notes: NoteEvent[] = [];
  plan.chords.forEach((chord, i) => {
    if (i === plan.chords.length - 1) {
      notes.push({ pitch: rootPitch(chord), startBeat: chord.startBeat, beats: chord.beats, velocity: 0.72 });
      return;
    }
    for (let beat = 0; beat < chord.beats; beat++) notes.push(...beatNote(plan, chord, beat));
  });
  return notes.filter((n) => n.beats > 0);
}
