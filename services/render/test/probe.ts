import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  profile?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  sample_rate?: string;
  channels?: number;
  channel_layout?: string;
  nb_frames?: string;
}

export interface Probe {
  streams: ProbedStream[];
  format: { duration: string; format_name: string };
}

export async function probe(file: string): Promise<Probe> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file]);
  return JSON.parse(stdout) as Probe;
}

/** Top-level MP4 boxes in file order: with +faststart, moov comes before mdat. */
export async function topLevelAtoms(file: string): Promise<string[]> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const atoms: string[] = [];
    const header = Buffer.alloc(16);
    let offset = 0;
    while (offset + 8 <= size) {
      await handle.read(header, 0, 16, offset);
      let length = header.readUInt32BE(0);
      atoms.push(header.toString('latin1', 4, 8));
      if (length === 1) length = Number(header.readBigUInt64BE(8));
      if (length === 0) break;
      offset += length;
    }
    return atoms;
  } finally {
    await handle.close();
  }
}

/** Integrated loudness (LUFS) as ffmpeg's EBU R128 meter reads it. */
export async function integratedLoudness(file: string): Promise<number> {
  const { stderr } = await run('ffmpeg', [
    '-hide_banner',
    '-nostats',
    '-i',
    file,
    '-map',
    '0:a',
    '-af',
    'ebur128',
    '-f',
    'null',
    '-',
  ]);
  const match = /Integrated loudness:\s*\n\s*I:\s*(-?[\d.]+) LUFS/.exec(stderr);
  if (!match) throw new Error(`no loudness in ffmpeg output: ${stderr.slice(-500)}`);
  return Number(match[1]);
}

/** Times at which sound starts after silence (silencedetect also ends a silence at the end of the file: left out). */
export async function soundOnsets(file: string): Promise<number[]> {
  const duration = Number((await probe(file)).format.duration);
  const { stderr } = await run('ffmpeg', [
    '-hide_banner',
    '-nostats',
    '-i',
    file,
    '-map',
    '0:a',
    '-af',
    'silencedetect=noise=-45dB:d=0.15',
    '-f',
    'null',
    '-',
  ]);
  return [...stderr.matchAll(/silence_end: (-?[\d.]+)/g)].map((m) => Number(m[1])).filter((t) => t < duration - 0.05);
}
