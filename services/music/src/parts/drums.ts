import type { PiecePlan } from '../piecePlan.js';
import type { NoteEvent } from './noteEvent.js';

const KICK = 36;
const SNARE = 38;
const CRASH = 49;
const STEP = 0.25;

/**
 * The mood's bar patterns repeated up to the final chord, an optional snare
 * run into it, then one kick + crash on the final chord and silence, so the
 * kit stops with the harmony instead of running into the fade.
 */
export function drumPart(plan: PiecePlan): NoteEvent[] {
  const drums = plan.mood.drums;
  const finalChord = plan.chords.at(-1);
  if (!drums || !finalChord) return [];
  const end = finalChord.startBeat;
  const fillFrom = drums.fill && end >= 2 ? end - 1 : end;
  const stepsPerBar = plan.mood.meter / STEP;
  const notes: NoteEvent[] = [];

  for (let step = 0; step * STEP < fillFrom - 1e-9; step++) {
    for (const lane of drums.lanes) {
      const hit = lane.steps[step % stepsPerBar];
      if (hit === 'x' || hit === 'o') {
        notes.push({
          pitch: lane.key,
          startBeat: step * STEP,
          beats: STEP,
          velocity: drums.level * (hit === 'x' ? 0.9 : 0.55),
        });
      }
    }
  }
  for (let k = 0; fillFrom + k * STEP < end - 1e-9; k++) {
    notes.push({ pitch: SNARE, startBeat: fillFrom + k * STEP, beats: STEP, velocity: drums.level * (0.5 + 0.12 * k) });
  }
  notes.push({ pitch: KICK, startBeat: end, beats: 1, velocity: drums.level * 0.9 });
  notes.push({ pitch: CRASH, startBeat: end, beats: 2, velocity: drums.level * 0.75 });
  return notes;
}
