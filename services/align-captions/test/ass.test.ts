import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assTimestamp, escapeAssText, toAss } from '../src/ass.js';
import { captionStyle } from '../src/captionStyle.js';
import type { Cue } from '../src/cueBreaker.js';

const w = (text: string, start: number, end: number) => ({ text, start, end });
const dir = mkdtempSync(join(tmpdir(), 'align-captions-ass-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CUES: Cue[] = [
  { start: 0.2, end: 1.8, lines: [[w('Hello', 0.2, 0.6), w('brave', 0.7, 1.1)], [w('world.', 1.2, 1.7)]] },
  { start: 2, end: 2.9, lines: [[w('{\\b1}bold?', 2, 2.4), w('C:\\New', 2.5, 2.8)]] },
];

const WIDTH = 320;
const HEIGHT = 180;

/** Renders the ASS with libass (FFmpeg's subtitles filter) over black and returns one RGB frame at `t`. */
function renderAt(ass: string, t: number): Buffer {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.ass`);
  writeFileSync(file, ass);
  return execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      `color=c=black:s=${WIDTH}x${HEIGHT}:d=4:r=25`,
      '-vf',
      `subtitles=${file}`,
      '-ss',
      String(t),
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
}

function countPixels(frame: Buffer, test: (r: number, g: number, b: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < frame.length; i += 3) if (test(frame[i]!, frame[i + 1]!, frame[i + 2]!)) n++;
  return n;
}
const gold = (r: number, g: number, b: number) => r > 200 && g > 160 && g < 240 && b < 80;
const lit = (r: number, g: number, b: number) => r + g + b > 60;

describe('ASS', () => {
  const style = captionStyle({ preset: 'karaoke', aspect: '16:9', width: WIDTH, height: HEIGHT });
  const ass = toAss(CUES, { width: WIDTH, height: HEIGHT, style });

  it('has the three sections, the frame size and a DejaVu Sans style', () => {
    expect(ass).toMatch(/^\[Script Info\]\n/);
    expect(ass).toContain('\n[V4+ Styles]\n');
    expect(ass).toContain('\n[Events]\n');
    expect(ass).toContain(`PlayResX: ${WIDTH}\n`);
    expect(ass).toContain(`PlayResY: ${HEIGHT}\n`);
    expect(ass).toMatch(/\nStyle: Karaoke,DejaVu Sans,\d+,&H00FFFFFF,&H0000D7FF,&H00000000,&H80000000,-1,/);
  });

  it('highlights the current word: one event per word, each colouring only that word', () => {
    const events = ass.split('\n').filter((l) => l.startsWith('Dialogue:'));
    expect(events).toHaveLength(5);
    expect(events[0]).toBe(
      'Dialogue: 0,0:00:00.20,0:00:00.70,Karaoke,,0,0,0,,{\\1c&H00D7FF&}Hello{\\1c} brave\\Nworld.',
    );
    expect(events[1]).toBe(
      'Dialogue: 0,0:00:00.70,0:00:01.20,Karaoke,,0,0,0,,Hello {\\1c&H00D7FF&}brave{\\1c}\\Nworld.',
    );
    expect(events[2]).toBe(
      'Dialogue: 0,0:00:01.20,0:00:01.80,Karaoke,,0,0,0,,Hello brave\\N{\\1c&H00D7FF&}world.{\\1c}',
    );
  });

  it('escapes override braces and backslashes in the story text', () => {
    expect(escapeAssText('{\\b1}bold')).toBe('\\{\\\u2060b1\\}bold');
    const events = ass.split('\n').filter((l) => l.startsWith('Dialogue:'));
    expect(events[3]).toContain('\\{\\\u2060b1\\}bold?');
    expect(events[4]).toContain('C:\\\u2060New');
    // Outside our own highlight tags no override block starts in the text.
    expect(events[4]!.replace(/\{\\1c(&H[0-9A-F]{6}&)?\}/g, '')).not.toMatch(/(^|[^\\])\{/);
  });

  it('renders in libass: gold on the current word during a cue, nothing between cues', () => {
    const during = renderAt(ass, 0.9);
    expect(countPixels(during, gold)).toBeGreaterThan(20);
    expect(countPixels(during, lit)).toBeGreaterThan(countPixels(during, gold) * 2);
    expect(countPixels(renderAt(ass, 1.9), lit)).toBe(0);
    expect(countPixels(renderAt(ass, 3.5), lit)).toBe(0);
  });

  it('writes one plain event per cue for the clean preset', () => {
    const clean = toAss(CUES, {
      width: WIDTH,
      height: HEIGHT,
      style: captionStyle({ preset: 'clean', aspect: '16:9', width: WIDTH, height: HEIGHT }),
    });
    const events = clean.split('\n').filter((l) => l.startsWith('Dialogue:'));
    expect(events).toEqual([
      'Dialogue: 0,0:00:00.20,0:00:01.80,Clean,,0,0,0,,Hello brave\\Nworld.',
      expect.stringMatching(/^Dialogue: 0,0:00:02.00,0:00:02.90,Clean,/),
    ]);
    expect(countPixels(renderAt(clean, 0.9), gold)).toBe(0);
  });

  it('formats centisecond timestamps', () => {
    expect(assTimestamp(0)).toBe('0:00:00.00');
    expect(assTimestamp(3725.456)).toBe('1:02:05.46');
  });
});

describe('caption styles', () => {
  it('places captions inside the safe area of each aspect', () => {
    const wide = captionStyle({ preset: 'karaoke', aspect: '16:9', width: 1280, height: 720 });
    const tall = captionStyle({ preset: 'karaoke', aspect: '9:16', width: 720, height: 1280 });
    expect(wide).toMatchObject({
      fontName: 'DejaVu Sans',
      alignment: 2,
      marginL: 64,
      marginV: 50,
      maxLineChars: 42,
      bold: true,
    });
    // Vertical video keeps clear of the apps' buttons at the bottom and has shorter lines.
    expect(tall.marginV).toBe(256);
    expect(tall.maxLineChars).toBeLessThan(30);
    expect(
      captionStyle({ preset: 'karaoke', position: 'top', aspect: '9:16', width: 720, height: 1280 }),
    ).toMatchObject({ alignment: 8, marginV: 154 });
  });

  it('draws bold-centre large and centred, and clean without highlight', () => {
    const big = captionStyle({ preset: 'bold-centre', aspect: '9:16', width: 1080, height: 1920 });
    expect(big).toMatchObject({ alignment: 5, bold: true });
    expect(big.fontSize).toBeGreaterThan(
      captionStyle({ preset: 'karaoke', aspect: '9:16', width: 1080, height: 1920 }).fontSize,
    );
    expect(captionStyle({ preset: 'clean', aspect: '1:1', width: 720, height: 720 })).toMatchObject({
      highlight: null,
      bold: false,
      alignment: 2,
    });
  });
});
