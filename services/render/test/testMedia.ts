import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Small inputs made at test time: nothing binary lives in the repo. */
export async function makeStill(path: string, width: number, height: number, source = 'testsrc2'): Promise<string> {
  await run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `${source}=s=${width}x${height}`,
    '-frames:v',
    '1',
    path,
  ]);
  return path;
}

export async function makeSpeech(path: string, text: string): Promise<string> {
  await run('espeak-ng', ['-w', path, text]);
  return path;
}

export async function makeTone(path: string, seconds: number, frequency = 440): Promise<string> {
  await run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=${frequency}:duration=${seconds}`,
    path,
  ]);
  return path;
}

/** A file named like a PNG that is not one. */
export async function makeCorruptImage(path: string): Promise<string> {
  await writeFile(path, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(200, 7)]));
  return path;
}

export const KARAOKE_ASS = `[Script Info]
ScriptType: v4.00+
PlayResX: 1280
PlayResY: 720

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,DejaVu Sans,56,&H00FFFFFF,&H0000FFFF,&H00000000,&H64000000,1,0,0,0,100,100,0,0,1,3,0,2,60,60,60,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:00.00,0:00:01.80,Default,,0,0,0,,{\\k60}Once {\\k60}upon {\\k60}a time
Dialogue: 0,0:00:02.50,0:00:04.00,Default,,0,0,0,,{\\k75}a fox {\\k75}appeared
`;
