import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';

/** What tests measure in a movie or a sound file: ffprobe's streams, the EBU R128 meter, RMS, MP4 box order. */
const run = promisify(execFile);

export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  profile?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  r_frame_rate?: string;
  sample_rate?: string;
  channels?: number;
  channel_layout?: string;
  nb_frames?: string;
}

export interface Probe {
  streams: ProbedStream[];
  format: { duration: string; format_name: string; size?: string };
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

async function ffmpegStderr(args: readonly string[]): Promise<string> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostats', ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stderr;
}

/** Integrated loudness (LUFS) as ffmpeg's EBU R128 meter reads it. */
export async function integratedLoudness(file: string): Promise<number> {
  const stderr = await ffmpegStderr(['-i', file, '-map', '0:a', '-af', 'ebur128', '-f', 'null', '-']);
  const match = /Integrated loudness:\s*\n\s*I:\s*(-?[\d.]+) LUFS/.exec(stderr);
  if (!match) throw new Error(`no loudness in ffmpeg output: ${stderr.slice(-500)}`);
  return Number(match[1]);
}

/** RMS level in dBFS of `seconds` of audio starting at `start` (-Infinity for silence). */
export async function rmsDb(file: string, start: number, seconds: number): Promise<number> {
  const stderr = await ffmpegStderr([
    '-ss',
    String(start),
    '-t',
    String(seconds),
    '-i',
    file,
    '-map',
    '0:a',
    '-af',
    'astats=measure_perchannel=none',
    '-f',
    'null',
    '-',
  ]);
  const match = /RMS level dB:\s+(-?[\d.]+|-inf)/.exec(stderr);
  if (!match) throw new Error(`no RMS in ffmpeg output: ${stderr.slice(-500)}`);
  return match[1] === '-inf' ? Number.NEGATIVE_INFINITY : Number(match[1]);
}

/** Times at which sound starts after silence (silencedetect also ends a silence at the end of the file: left out). */
export async function soundOnsets(file: string): Promise<number[]> {
  const duration = Number((await probe(file)).format.duration);
  const stderr = await ffmpegStderr([
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

/** Measurements of an audio file: its first stream, length, integrated loudness and sample peak. */
export interface AudioFacts {
  codec: string;
  sampleRate: number;
  channels: number;
  durationSeconds: number;
  integratedLufs: number;
  samplePeakDb: number;
}

export async function probeAudio(file: string): Promise<AudioFacts> {
  const { streams, format } = await probe(file);
  const stream = streams.find((s) => s.codec_type === 'audio');
  if (!stream) throw new Error(`${file} has no audio stream`);
  const summary =
    (await ffmpegStderr(['-i', file, '-map', '0:a', '-af', 'ebur128=peak=sample', '-f', 'null', '-']))
      .split('Summary:')
      .at(-1) ?? '';
  const level = (pattern: RegExp) => {
    const match = pattern.exec(summary);
    if (!match?.[1]) throw new Error(`no ${pattern} in ffmpeg output: ${summary.slice(-500)}`);
    return match[1] === '-inf' ? Number.NEGATIVE_INFINITY : Number(match[1]);
  };
  return {
    codec: stream.codec_name,
    sampleRate: Number(stream.sample_rate),
    channels: stream.channels ?? 0,
    durationSeconds: Number(format.duration),
    integratedLufs: level(/I:\s+(-?[\d.]+|-inf) LUFS/),
    samplePeakDb: level(/Peak:\s+(-?[\d.]+|-inf) dBFS/),
  };
}
