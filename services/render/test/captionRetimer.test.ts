import { describe, expect, it } from 'vitest';
import { formatAssTime, parseAssTime, retimeAss } from '../src/captionRetimer.js';

const ass = (events: string[]) =>
  [
    '[Script Info]',
    'PlayResX: 1280',
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    ...events,
  ].join('\n');

const dialogues = (text: string) => text.split('\n').filter((l) => l.startsWith('Dialogue:'));

// Track: scene 0 speaks 0–2.4 s, scene 1 from 2.4 s, scene 2 from 4.0 s.
// Movie (timeline.ts): scene 0 at 0 (slot 3 s), scene 1 at 3.0 (slot 2.5 s), scene 2 at 5.5 (slot 2 s).
const pieces = [
  { trackOffsetSeconds: 0, movieStartSeconds: 0, slotSeconds: 3 },
  { trackOffsetSeconds: 2.4, movieStartSeconds: 3, slotSeconds: 2.5 },
  { trackOffsetSeconds: 4, movieStartSeconds: 5.5, slotSeconds: 2 },
];

describe('caption retimer', () => {
  it('moves each cue with the piece of narration it starts in', () => {
    const out = retimeAss(
      ass([
        'Dialogue: 0,0:00:00.00,0:00:02.30,Default,,0,0,0,,{\\k50}Once {\\k50}upon, a time',
        'Dialogue: 0,0:00:02.40,0:00:03.90,Default,,0,0,0,,{\\k40}a fox',
        'Dialogue: 0,0:00:04.10,0:00:05.00,Default,,0,0,0,,ran away',
      ]),
      pieces,
    );
    expect(dialogues(out)).toEqual([
      'Dialogue: 0,0:00:00.00,0:00:02.30,Default,,0,0,0,,{\\k50}Once {\\k50}upon, a time',
      'Dialogue: 0,0:00:03.00,0:00:04.50,Default,,0,0,0,,{\\k40}a fox',
      'Dialogue: 0,0:00:05.60,0:00:06.50,Default,,0,0,0,,ran away',
    ]);
    expect(out.startsWith('[Script Info]\nPlayResX: 1280')).toBe(true);
  });

  it('cuts a cue at the end of its slot, where its audio is cut, and drops one that starts after it', () => {
    const out = retimeAss(
      ass([
        'Dialogue: 0,0:00:00.50,0:00:03.50,Default,,0,0,0,,too long',
        'Dialogue: 0,0:00:04.00,0:00:06.50,Default,,0,0,0,,last',
      ]),
      [pieces[0] as (typeof pieces)[0], { trackOffsetSeconds: 4, movieStartSeconds: 3.5, slotSeconds: 1 }],
    );
    expect(dialogues(out)).toEqual([
      'Dialogue: 0,0:00:00.50,0:00:03.00,Default,,0,0,0,,too long',
      'Dialogue: 0,0:00:03.50,0:00:04.50,Default,,0,0,0,,last',
    ]);
    const dropped = retimeAss(ass(['Dialogue: 0,0:00:03.20,0:00:03.90,Default,,0,0,0,,silence']), [
      pieces[0] as (typeof pieces)[0],
    ]);
    expect(dialogues(dropped)).toEqual([]);
  });

  it('follows the Format line when the fields are in another order', () => {
    const text = [
      '[Events]',
      'Format: Start, End, Layer, Style, Text',
      'Dialogue: 0:00:02.40,0:00:03.00,0,Default,hello, there',
    ].join('\n');
    expect(dialogues(retimeAss(text, pieces))).toEqual(['Dialogue: 0:00:03.00,0:00:03.60,0,Default,hello, there']);
  });

  it('reads and writes ASS times in centiseconds', () => {
    expect(parseAssTime('1:02:03.45')).toBeCloseTo(3723.45, 6);
    expect(parseAssTime('0:00:01.5')).toBeCloseTo(1.5, 6);
    expect(parseAssTime('nonsense')).toBeNull();
    expect(formatAssTime(3723.456)).toBe('1:02:03.46');
    expect(formatAssTime(59.999)).toBe('0:01:00.00');
  });
});
