import { describe, expect, it } from 'vitest';
import type { Cue } from '../src/cueBreaker.js';
import { srtTimestamp, toSrt } from '../src/srt.js';
import { toVtt, vttTimestamp } from '../src/vtt.js';

const w = (text: string, start: number, end: number) => ({ text, start, end });

const CUES: Cue[] = [
  { start: 0.5, end: 2.25, lines: [[w('Hello', 0.5, 0.9), w('there,', 1, 1.4)], [w('friend.', 1.5, 2)]] },
  {
    start: 3661.001,
    end: 3662.9996,
    lines: [
      [w('<b>Tom', 3661.001, 3661.5), w('&', 3661.6, 3661.7), w('Jerry</b>', 3661.8, 3662), w('-->', 3662.1, 3662.2)],
    ],
  },
];

const toSeconds = (h: string, m: string, s: string, ms: string) =>
  Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000;

/** A minimal SRT/VTT reader: blocks of an optional index, a timing line and text lines. */
function parse(text: string, separator: ',' | '.') {
  const timing = new RegExp(
    `^(\\d{2}):(\\d{2}):(\\d{2})\\${separator}(\\d{3}) --> (\\d{2}):(\\d{2}):(\\d{2})\\${separator}(\\d{3})$`,
  );
  return text
    .trim()
    .split(/\n\n+/)
    .filter((block) => block !== 'WEBVTT')
    .map((block) => {
      const lines = block.split('\n');
      const at = lines.findIndex((l) => timing.test(l));
      expect(at, block).toBeGreaterThanOrEqual(0);
      const m = timing.exec(lines[at] as string) as RegExpExecArray;
      return {
        index: at > 0 ? Number(lines[0]) : undefined,
        start: toSeconds(m[1]!, m[2]!, m[3]!, m[4]!),
        end: toSeconds(m[5]!, m[6]!, m[7]!, m[8]!),
        text: lines.slice(at + 1),
      };
    });
}

describe('timestamps', () => {
  it('formats hours, minutes, seconds and milliseconds with rounding', () => {
    expect(srtTimestamp(0)).toBe('00:00:00,000');
    expect(srtTimestamp(3661.0015)).toBe('01:01:01,002');
    expect(srtTimestamp(59.9996)).toBe('00:01:00,000');
    expect(vttTimestamp(75.25)).toBe('00:01:15.250');
  });
});

describe('SRT', () => {
  it('parses back to the same cues, numbered from 1', () => {
    const parsed = parse(toSrt(CUES), ',');
    expect(parsed.map((c) => c.index)).toEqual([1, 2]);
    expect(parsed[0]).toMatchObject({ start: 0.5, end: 2.25, text: ['Hello there,', 'friend.'] });
    expect(parsed[1]).toMatchObject({ start: 3661.001, end: 3663 });
  });

  it('defuses an arrow in the text so it cannot end the timing line', () => {
    const parsed = parse(toSrt(CUES), ',');
    expect(parsed[1]!.text[0]).not.toContain('-->');
  });
});

describe('WebVTT', () => {
  it('starts with the WEBVTT header and parses back with dot timestamps', () => {
    const vtt = toVtt(CUES);
    expect(vtt.startsWith('WEBVTT\n\n')).toBe(true);
    const parsed = parse(vtt, '.');
    expect(parsed).toHaveLength(2);
    expect(parsed[0]).toMatchObject({ start: 0.5, end: 2.25, text: ['Hello there,', 'friend.'] });
  });

  it('escapes markup characters in the text', () => {
    const line = parse(toVtt(CUES), '.')[1]!.text[0];
    expect(line).toBe('&lt;b&gt;Tom &amp; Jerry&lt;/b&gt; --&gt;');
  });

  it('writes an empty but valid file for no cues', () => {
    expect(toVtt([])).toBe('WEBVTT\n');
    expect(toSrt([])).toBe('');
  });
});
