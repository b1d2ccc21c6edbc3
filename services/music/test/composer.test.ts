import tonejsMidi from '@tonejs/midi';
import { Chord } from 'tonal';
import { describe, expect, it } from 'vitest';
import { compose, DRUM_CHANNEL } from '../src/composer.js';
import { findMood, MOODS, type Mood, tonicNumeral } from '../src/moods.js';

const { Midi } = tonejsMidi;

const mood = (id: string): Mood => {
  const found = findMood(id);
  if (!found) throw new Error(`no mood ${id}`);
  return found;
};

describe('moods', () => {
  it('has at least six moods, each with a cadence ending on its tonic and full-bar drum patterns', () => {
    expect(MOODS.length).toBeGreaterThanOrEqual(6);
    expect(new Set(MOODS.map((m) => m.id)).size).toBe(MOODS.length);
    for (const m of MOODS) {
      expect(m.cadence.at(-1), m.id).toBe(tonicNumeral(m));
      expect(m.tempo.min).toBeLessThanOrEqual(m.tempo.max);
      for (const lane of m.drums?.lanes ?? []) expect(lane.steps, m.id).toMatch(new RegExp(`^[xo.]{${m.meter * 4}}$`));
    }
  });
});

describe('compose', () => {
  it('is deterministic: the same request gives the same MIDI bytes, another seed a different tune', () => {
    const a = compose({ mood: mood('upbeat'), durationSeconds: 30, seed: 7 });
    const b = compose({ mood: mood('upbeat'), durationSeconds: 30, seed: 7 });
    const c = compose({ mood: mood('upbeat'), durationSeconds: 30, seed: 8 });
    expect(Buffer.from(a.midi.toArray()).equals(Buffer.from(b.midi.toArray()))).toBe(true);
    expect(Buffer.from(a.midi.toArray()).equals(Buffer.from(c.midi.toArray()))).toBe(false);
  });

  it.each(MOODS.map((m) => m.id))('%s ends on a cadence into the tonic, held to the end and fading', (id) => {
    const m = mood(id);
    for (const durationSeconds of [5, 11, 47, 900]) {
      const { chords, midi, tempo } = compose({ mood: m, durationSeconds, seed: 3 });
      const last = chords.at(-1);
      const beforeLast = chords.at(-2);
      expect(last?.numeral).toBe(tonicNumeral(m));
      const tonic = Chord.get(last?.symbol ?? '');
      expect(tonic.tonic).toBe(m.key);
      expect(tonic.quality).toBe(tonicNumeral(m) === 'I' ? 'Major' : 'Minor');
      // The chord before it is the cadence's dominant (or its last-but-one chord).
      expect(beforeLast?.numeral).toBe(m.cadence.at(-2));
      const repeated = chords.slice(1).filter((c, i) => c.symbol === chords[i]?.symbol);
      expect(repeated, `${id} ${durationSeconds}s`).toEqual([]);

      const beatSeconds = 60 / tempo;
      const endSeconds = ((last?.startBeat ?? 0) + (last?.beats ?? 0)) * beatSeconds;
      expect(endSeconds).toBeCloseTo(durationSeconds, 3);
      expect(midi.duration).toBeLessThanOrEqual(durationSeconds + 0.01);
      expect(midi.duration).toBeGreaterThan(durationSeconds - 0.05);

      const lead = midi.tracks.find((t) => t.name === 'lead');
      const finalNote = lead?.notes.at(-1);
      expect(finalNote && finalNote.midi % 12).toBe(last?.rootPc);
      expect(finalNote?.time).toBeCloseTo((last?.startBeat ?? 0) * beatSeconds, 3);
      const expression = lead?.controlChanges[11] ?? [];
      expect(expression.at(-1)?.value).toBeLessThan(0.5);
      expect(expression.at(-1)?.time).toBeCloseTo(durationSeconds, 2);
    }
  });

  it('sizes the piece in whole chord slots: a bar per chord, and as many bars as fit the duration', () => {
    const m = mood('calm');
    const { chords, tempo } = compose({ mood: m, durationSeconds: 60, seed: 1 });
    const bars = (60 * tempo) / 60 / m.meter;
    expect(chords.slice(0, -1).every((c) => c.beats === m.meter)).toBe(true);
    expect(chords.length).toBe(Math.floor(bars + 1e-9));
    expect(tempo).toBeGreaterThanOrEqual(m.tempo.min);
    expect(tempo).toBeLessThanOrEqual(m.tempo.max);
    expect(chords.slice(0, m.progression.length).map((c) => c.numeral)).toEqual(m.progression);
  });

  it('keeps a requested tempo and holds the last chord over the leftover beats', () => {
    const { chords, tempo } = compose({ mood: mood('epic'), durationSeconds: 10, tempo: 90, seed: 1 });
    expect(tempo).toBe(90);
    expect(chords).toHaveLength(3); // 15 beats: 3 bars of 4, the tonic taking the last 7
    expect(chords.map((c) => c.symbol)).toEqual(['Bb', 'A', 'Dm']);
    expect(chords.at(-1)?.beats).toBeCloseTo(7, 6);
  });

  it('writes a parseable MIDI file with instruments set and drums on channel 9', () => {
    const m = mood('upbeat');
    const { midi } = compose({ mood: m, durationSeconds: 12, seed: 2 });
    const parsed = new Midi(midi.toArray());
    const byName = Object.fromEntries(parsed.tracks.map((t) => [t.name, t]));
    expect(byName.pad?.instrument.number).toBe(m.instruments.pad);
    expect(byName.lead?.instrument.number).toBe(m.instruments.lead);
    expect(byName.bass?.instrument.number).toBe(m.instruments.bass);
    expect(new Set(parsed.tracks.map((t) => t.channel)).size).toBe(parsed.tracks.length);
    const drums = byName.drums;
    expect(drums?.channel).toBe(DRUM_CHANNEL);
    expect(drums?.instrument.percussion).toBe(true);
    expect(drums?.notes.some((n) => n.midi === 36)).toBe(true);
    expect(drums?.notes.some((n) => n.midi === 38)).toBe(true);
    for (const t of parsed.tracks) expect(t.notes.length, t.name).toBeGreaterThan(0);
    expect(parsed.header.tempos[0]?.bpm).toBeCloseTo(compose({ mood: m, durationSeconds: 12, seed: 2 }).tempo, 1);
  });

  it('leaves calm without drums and keeps every part in the key', () => {
    const { midi, chords } = compose({ mood: mood('calm'), durationSeconds: 20, seed: 5 });
    expect(midi.tracks.some((t) => t.channel === DRUM_CHANNEL)).toBe(false);
    const allowed = new Set(chords.flatMap((c) => [...c.melodyPcs, ...c.pcs]));
    for (const t of midi.tracks)
      for (const n of t.notes) expect(allowed.has(n.midi % 12), `${t.name} ${n.name}`).toBe(true);
  });

  it('plays lead notes over a chord only from that chord`s scale (no clash with altered chord tones)', () => {
    const m = mood('dark');
    const { midi, chords, tempo } = compose({ mood: m, durationSeconds: 40, seed: 9 });
    const lead = midi.tracks.find((t) => t.name === 'lead');
    for (const note of lead?.notes ?? []) {
      const beat = (note.time * tempo) / 60;
      const chord = chords.findLast((c) => c.startBeat <= beat + 1e-6);
      expect(chord?.melodyPcs, `${note.name} over ${chord?.symbol}`).toContain(note.midi % 12);
    }
    // Over G major in C minor the lead uses B natural, never Bb.
    const dominant = chords.find((c) => c.symbol === 'G');
    expect(dominant?.melodyPcs).toContain(11);
    expect(dominant?.melodyPcs).not.toContain(10);
  });
});
