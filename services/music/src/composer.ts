import { seededRandom } from '@storyreel/shared';
import tonejsMidi from '@tonejs/midi';
import type { Mood } from './moods.js';
import { bassPart } from './parts/bass.js';
import { drumPart } from './parts/drums.js';
import { melodyPart } from './parts/melody.js';
import type { NoteEvent } from './parts/noteEvent.js';
import { padPart } from './parts/pad.js';
import { type ChordSlot, planPiece, resolveTempo } from './piecePlan.js';

// @tonejs/midi is CommonJS: its named export is not visible to an ESM import.
const { Midi } = tonejsMidi;
export type Midi = InstanceType<typeof Midi>;

export const DRUM_CHANNEL = 9;

export interface CompositionRequest {
  mood: Mood;
  durationSeconds: number;
  /** Beats per minute; omitted, the mood's range and the duration decide. */
  tempo?: number;
  seed: number;
}

export interface Composition {
  midi: Midi;
  /** The chords in order; the last is the tonic, held to the end. */
  chords: readonly ChordSlot[];
  tempo: number;
  durationSeconds: number;
}

interface Mix {
  name: string;
  channel: number;
  program: number;
  /** CC values, 0..1 */
  volume: number;
  pan: number;
  chorus: number;
}

const CC_VOLUME = 7;
const CC_PAN = 10;
const CC_EXPRESSION = 11;
const CC_REVERB = 91;
const CC_CHORUS = 93;
const CENTRE = 64 / 127;
/** Expression the final chord fades down to; the mastering fade takes it to silence. */
const FADE_FLOOR = 0.3;
const FADE_STEPS_PER_BEAT = 8;

function addPart(midi: Midi, mix: Mix, notes: readonly NoteEvent[], reverb: number, finalChord: ChordSlot): void {
  const track = midi.addTrack();
  const ticks = (beats: number) => Math.round(beats * midi.header.ppq);
  track.name = mix.name;
  track.channel = mix.channel;
  track.instrument.number = mix.program;
  for (const [number, value] of [
    [CC_VOLUME, mix.volume],
    [CC_PAN, mix.pan],
    [CC_REVERB, reverb],
    [CC_CHORUS, mix.chorus],
    [CC_EXPRESSION, 1],
  ] as const) {
    track.addCC({ number, value, ticks: 0 });
  }
  for (const note of notes) {
    track.addNote({
      midi: note.pitch,
      ticks: ticks(note.startBeat),
      durationTicks: ticks(note.beats),
      velocity: note.velocity,
    });
  }
  const steps = Math.max(1, Math.round(finalChord.beats * FADE_STEPS_PER_BEAT));
  for (let k = 1; k <= steps; k++) {
    const value = 1 - (1 - FADE_FLOOR) * (k / steps);
    track.addCC({ number: CC_EXPRESSION, value, ticks: ticks(finalChord.startBeat + (finalChord.beats * k) / steps) });
  }
}

/**
 * Writes a piece in the given mood that lasts `durationSeconds` and ends on a
 * cadence into the tonic, held and fading. Pure and deterministic: the same
 * request always gives the same MIDI bytes.
 */
export function compose(request: CompositionRequest): Composition {
  const { mood, durationSeconds, seed } = request;
  const rng = seededRandom(seed);
  const tempo = resolveTempo(mood, durationSeconds, rng, request.tempo);
  const plan = planPiece(mood, durationSeconds, tempo);
  const finalChord = plan.chords.at(-1) as ChordSlot;

  const midi = new Midi();
  midi.name = `storyreel ${mood.id} ${seed}`;
  midi.header.setTempo(tempo);
  midi.header.timeSignatures = [{ ticks: 0, timeSignature: [mood.meter, 4] }];
  midi.header.update();

  const { pad, lead, bass } = mood.instruments;
  const parts: [Mix, NoteEvent[]][] = [
    [{ name: 'pad', channel: 0, program: pad, volume: 0.68, pan: 0.42, chorus: 0.3 }, padPart(plan)],
    [{ name: 'lead', channel: 1, program: lead, volume: 0.85, pan: 0.58, chorus: 0.1 }, melodyPart(plan, rng)],
    [{ name: 'bass', channel: 2, program: bass, volume: 0.8, pan: CENTRE, chorus: 0 }, bassPart(plan)],
  ];
  if (mood.drums) {
    parts.push([
      { name: 'drums', channel: DRUM_CHANNEL, program: 0, volume: 0.75, pan: CENTRE, chorus: 0 },
      drumPart(plan),
    ]);
  }
  for (const [mix, notes] of parts) addPart(midi, mix, notes, mood.reverb, finalChord);

  return { midi, chords: plan.chords, tempo, durationSeconds };
}
