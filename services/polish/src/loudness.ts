import { AppError, runFfmpeg } from '@storyreel/shared';

/** loudnorm's first-pass report: what the second pass needs to apply a linear gain. */
export interface LoudnessMeasurement {
  input_i: string;
  input_tp: string;
  input_lra: string;
  input_thresh: string;
  target_offset: string;
}

/** True peak and loudness range the second pass aims for (EBU R128 / streaming practice). */
const TRUE_PEAK_DB = -1.5;
const LOUDNESS_RANGE = 11;

const target = (targetLufs: number) => `I=${targetLufs}:TP=${TRUE_PEAK_DB}:LRA=${LOUDNESS_RANGE}`;

/**
 * The first pass of two-pass loudnorm: reads the sound alone (no video
 * decode), so it costs a small part of the polish run. One pass lands up to
 * ~1 LU off on peaky speech; measuring first lets the second pass hit the
 * target with one linear gain.
 */
export async function measureLoudness(
  file: string,
  targetLufs: number,
  options: { ffmpegPath?: string; signal?: AbortSignal },
): Promise<LoudnessMeasurement> {
  const stderr = await runFfmpeg(
    ['-i', file, '-map', '0:a:0', '-vn', '-af', `loudnorm=${target(targetLufs)}:print_format=json`, '-f', 'null', '-'],
    { ffmpegPath: options.ffmpegPath, ...(options.signal ? { signal: options.signal } : {}) },
  );
  const json = stderr.slice(stderr.lastIndexOf('{'), stderr.lastIndexOf('}') + 1);
  try {
    const measured = JSON.parse(json) as LoudnessMeasurement;
    if (measured.input_i !== undefined && measured.target_offset !== undefined) return measured;
  } catch {
    // Reported below with the same message.
  }
  throw new AppError('internal', 'FFmpeg did not report the loudness of the movie');
}

/**
 * The second pass: a linear gain to the target, then back to 48 kHz stereo
 * (loudnorm works at 192 kHz and leaves its output's layout open). Silence has
 * no loudness to correct: null, and the sound is copied as it is.
 */
export function loudnormFilter(targetLufs: number, measured: LoudnessMeasurement): string | null {
  if (!Number.isFinite(Number(measured.input_i))) return null;
  return [
    `loudnorm=${target(targetLufs)}:measured_I=${measured.input_i}:measured_TP=${measured.input_tp}:measured_LRA=${measured.input_lra}` +
      `:measured_thresh=${measured.input_thresh}:offset=${measured.target_offset}:linear=true`,
    'aresample=48000',
    'aformat=sample_fmts=fltp:channel_layouts=stereo',
  ].join(',');
}
