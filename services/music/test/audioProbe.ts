import { execFileSync, spawnSync } from 'node:child_process';

/** Measurements of an audio file taken with the real ffprobe / FFmpeg, for assertions. */
export interface AudioFacts {
  codec: string;
  sampleRate: number;
  channels: number;
  durationSeconds: number;
  integratedLufs: number;
  samplePeakDb: number;
}

/** FFmpeg writes its analysis reports to stderr. */
function ffmpegStderr(args: string[]): string {
  const run = spawnSync('ffmpeg', ['-hide_banner', '-nostats', ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${run.stderr}`);
  return run.stderr;
}

function number(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  if (!match?.[1]) throw new Error(`no ${pattern} in:\n${text.slice(-1500)}`);
  return match[1] === '-inf' ? Number.NEGATIVE_INFINITY : Number(match[1]);
}

export function probeAudio(file: string): AudioFacts {
  const probe = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file], {
      encoding: 'utf8',
    }),
  ) as { streams: { codec_name: string; sample_rate: string; channels: number }[]; format: { duration: string } };
  const stream = probe.streams[0];
  if (!stream) throw new Error(`${file} has no audio stream`);
  const summary =
    ffmpegStderr(['-i', file, '-af', 'ebur128=peak=sample', '-f', 'null', '-']).split('Summary:').at(-1) ?? '';
  return {
    codec: stream.codec_name,
    sampleRate: Number(stream.sample_rate),
    channels: stream.channels,
    durationSeconds: Number(probe.format.duration),
    integratedLufs: number(summary, /I:\s+(-?[\d.]+|-inf) LUFS/),
    samplePeakDb: number(summary, /Peak:\s+(-?[\d.]+|-inf) dBFS/),
  };
}

/** RMS level in dBFS of `seconds` of audio starting at `start`. */
export function rmsDb(file: string, start: number, seconds: number): number {
  const report = ffmpegStderr([
    '-ss',
    String(start),
    '-t',
    String(seconds),
    '-i',
    file,
    '-af',
    'astats=measure_perchannel=none',
    '-f',
    'null',
    '-',
  ]);
  return number(report, /RMS level dB:\s+(-?[\d.]+|-inf)/);
}
