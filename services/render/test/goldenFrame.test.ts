import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runFfmpeg } from '@storyreel/shared';
import { boxOf, type Frame, frameAt, isBright } from '@storyreel/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../src/graphBuilder.js';
import { type Aspect, type Fit, RenderManifest } from '../src/manifest.js';
import { outputSize } from '../src/outputSize.js';

/**
 * Golden frames: movies rendered through the graph builder, one frame
 * sampled and the bright pixels located, with a tolerance for libass's and
 * x264's edges. They catch captions drawn in the wrong place and pictures
 * stretched out of proportion, which every stream-level check would pass.
 */

const run = promisify(execFile);
const media = 'gs://storyreel-media/users/alice/projects/p1';
/** The font align-captions writes into every style (its CAPTION_FONT). */
const CAPTION_FONT = 'DejaVu Sans';

let dir: string;
let dark: string;
let circle: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'render-golden-test-'));
  dark = join(dir, 'dark.png');
  circle = join(dir, 'circle.png');
  const still = (source: string, file: string) =>
    run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-frames:v', '1', file]);
  await Promise.all([
    still('color=c=0x202020:s=640x360', dark),
    // A white circle 200 px across in the middle of a 4:3 picture: stretched, it is an ellipse.
    still(
      "color=c=0x303030:s=800x600,format=rgb24,geq=r='if(lt(hypot(X-400,Y-300),100),255,48)':g='if(lt(hypot(X-400,Y-300),100),255,48)':b='if(lt(hypot(X-400,Y-300),100),255,48)'",
      circle,
    ),
  ]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A one-scene movie of `image`, no motion, rendered by the graph builder as the render service does. */
async function renderStill(
  name: string,
  image: string,
  options: { aspect: Aspect; fit?: Fit; seconds: number; captions?: string; loglevel?: string },
) {
  const manifest = RenderManifest.parse({
    version: 1,
    aspect: options.aspect,
    quality: 'draft',
    outputPrefix: `${media}/renders`,
    outputs: { poster: false },
    scenes: [{ imagePath: `${media}/still.png`, durationSeconds: options.seconds, motion: 'none', fit: options.fit }],
    ...(options.captions ? { captions: { assPath: `${media}/captions.ass` } } : {}),
  });
  const partial = join(dir, `${name}.partial.mp4`);
  const final = join(dir, `${name}.mp4`);
  const graph = buildGraph(
    manifest,
    { images: [image], ...(options.captions ? { captions: options.captions } : {}) },
    { video: partial },
  );
  const args = options.loglevel
    ? graph.args.map((a, i) => (graph.args[i - 1] === '-loglevel' ? (options.loglevel as string) : a))
    : graph.args;
  const stderr = await runFfmpeg(args, { outputs: [{ partial, final }] });
  return { file: final, stderr, size: outputSize(options.aspect, '720p') };
}

interface CaptionLine {
  style: 'Top' | 'Centre' | 'Bottom';
  text: string;
  from: number;
  to: number;
}

/** An ASS file as align-captions writes it: PlayRes = the frame, one style per position, white text outlined. */
function assFile(
  size: { width: number; height: number },
  marginV: { top: number; bottom: number },
  lines: CaptionLine[],
) {
  const fontSize = Math.round(Math.min(size.width, size.height) * 0.06);
  const side = Math.round(size.width * 0.05);
  const style = (name: string, alignment: number, margin: number) =>
    `Style: ${name},${CAPTION_FONT},${fontSize},&H00FFFFFF,&H00FFFFFF,&H00000000,&H00000000,-1,0,0,0,100,100,0,0,1,2,0,${alignment},${side},${side},${margin},1`;
  const time = (s: number) => `0:00:0${s.toFixed(2)}`;
  return [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${size.width}`,
    `PlayResY: ${size.height}`,
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    style('Top', 8, marginV.top),
    style('Centre', 5, 0),
    style('Bottom', 2, marginV.bottom),
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    ...lines.map((l) => `Dialogue: 0,${time(l.from)},${time(l.to)},${l.style},,0,0,0,,${l.text}`),
    '',
  ].join('\n');
}

const near = (actual: number, expected: number, tolerance: number) =>
  expect(Math.abs(actual - expected), `${actual} should be within ${tolerance} of ${expected}`).toBeLessThanOrEqual(
    tolerance,
  );

describe('golden frames: caption positions', () => {
  // align-captions' title-safe margins: 7 % top and bottom for 16:9; 12 % top and 20 % bottom for 9:16.
  it.each([
    ['16:9', { top: 50, bottom: 50 }],
    ['9:16', { top: 154, bottom: 256 }],
  ] as const)('draws %s captions at the top, centre and bottom where the ASS puts them', async (aspect, marginV) => {
    const size = outputSize(aspect, '720p');
    const ass = join(dir, `positions-${aspect.replace(':', 'x')}.ass`);
    await writeFile(
      ass,
      assFile(size, marginV, [
        { style: 'Top', text: 'Top of the frame', from: 0, to: 0.9 },
        { style: 'Centre', text: 'In the middle', from: 1, to: 1.9 },
        { style: 'Bottom', text: 'At the bottom', from: 2, to: 2.9 },
      ]),
    );
    const { file } = await renderStill(`positions-${aspect.replace(':', 'x')}`, dark, {
      aspect,
      seconds: 3,
      captions: ass,
    });
    const box = async (t: number) => {
      const found = boxOf(await frameAt(file, t));
      if (!found) throw new Error(`no caption at ${t} s`);
      // One line of text, centred across the frame.
      expect(found.bottom - found.top).toBeLessThan(size.height * 0.12);
      near((found.left + found.right) / 2, size.width / 2, size.width * 0.03);
      return found;
    };
    const tolerance = size.height * 0.025;
    near((await box(0.5)).top, marginV.top, tolerance);
    const centre = await box(1.5);
    near((centre.top + centre.bottom) / 2, size.height / 2, tolerance);
    near((await box(2.5)).bottom, size.height - marginV.bottom, tolerance);
  });
});

describe('golden frames: no stretched pictures', () => {
  /** The circle's box: as wide as tall, and as large as the fit scales the picture. */
  function expectCircle(frame: Frame, diameter: number, region?: Parameters<typeof boxOf>[2]) {
    const box = boxOf(frame, isBright, region);
    if (!box) throw new Error('no circle in the frame');
    const width = box.right - box.left;
    const height = box.bottom - box.top;
    expect(Math.abs(width / height - 1)).toBeLessThan(0.03);
    near(width, diameter, diameter * 0.04);
    // A disc fills pi/4 of its box; a box-shaped blob or a smear would not.
    expect(box.count / (width * height)).toBeCloseTo(Math.PI / 4, 1);
    near((box.left + box.right) / 2, frame.width / 2, 3);
    near((box.top + box.bottom) / 2, frame.height / 2, 3);
  }

  it.each([
    ['16:9', 'cover'],
    ['9:16', 'cover'],
    ['1:1', 'cover'],
  ] as const)('keeps a 4:3 picture in proportion in %s (%s: scaled to fill, then cropped)', async (aspect, fit) => {
    const { file, size } = await renderStill(`circle-${aspect.replace(':', 'x')}-${fit}`, circle, {
      aspect,
      fit,
      seconds: 1,
    });
    const scale = Math.max(size.width / 800, size.height / 600);
    expectCircle(await frameAt(file, 0.5), 200 * scale);
  });

  it('keeps a 4:3 picture in proportion in 9:16 with blur (contained over a blurred fill)', async () => {
    const { file, size } = await renderStill('circle-9x16-blur', circle, { aspect: '9:16', fit: 'blur', seconds: 1 });
    const scale = Math.min(size.width / 800, size.height / 600);
    const shown = { width: 800 * scale, height: 600 * scale };
    // Only inside the contained picture: the blurred fill behind it holds a larger, softer circle.
    const top = Math.round((size.height - shown.height) / 2);
    expectCircle(await frameAt(file, 0.5), 200 * scale, {
      left: 0,
      top,
      right: size.width,
      bottom: top + Math.round(shown.height),
    });
  });
});

describe('golden frames: caption glyphs', () => {
  const SCRIPTS = {
    latin: 'Once upon a time, naïve façade',
    cyrillic: 'Жили-были дед да баба',
    greek: 'Μια φορά κι έναν καιρό',
  };
  const codepoints = (text: string) =>
    [...new Set([...text.replace(/[\s,-]/g, '')].map((c) => (c.codePointAt(0) as number).toString(16)))].join(' ');

  it('has the caption font installed, covering every letter of Latin, Cyrillic and Greek captions', async () => {
    for (const [script, text] of Object.entries(SCRIPTS)) {
      const { stdout } = await run('fc-list', [`:family=${CAPTION_FONT}:charset=${codepoints(text)}`, 'family']);
      expect(stdout, `${CAPTION_FONT} should cover the ${script} caption`).toContain(CAPTION_FONT);
    }
    // The check can fail: a character the font lacks finds no match.
    const { stdout } = await run('fc-list', [`:family=${CAPTION_FONT}:charset=e000`, 'family']);
    expect(stdout.trim()).toBe('');
  });

  it('burns Latin, Cyrillic and Greek captions with no missing glyph', async () => {
    const size = outputSize('16:9', '720p');
    const render = async (name: string, texts: string[]) => {
      const ass = join(dir, `${name}.ass`);
      await writeFile(
        ass,
        assFile(
          size,
          { top: 50, bottom: 50 },
          texts.map((text, i) => ({ style: 'Bottom' as const, text, from: i, to: i + 0.9 })),
        ),
      );
      // libass says which glyphs no font had at warning level; the render itself logs errors only.
      return renderStill(name, dark, { aspect: '16:9', seconds: texts.length, captions: ass, loglevel: 'warning' });
    };
    const missingGlyph = /Glyph 0x[0-9A-F]+ not found|failed to find any fallback/i;

    const { file, stderr } = await render('scripts', Object.values(SCRIPTS));
    expect(stderr).not.toMatch(missingGlyph);
    for (const t of [0.5, 1.5, 2.5]) expect(boxOf(await frameAt(file, t))?.count ?? 0).toBeGreaterThan(200);

    // A character no installed font has is reported, so the check above would see one.
    const control = await render('missing', ['Once \uE000 upon']);
    expect(control.stderr).toMatch(missingGlyph);
  });
});
