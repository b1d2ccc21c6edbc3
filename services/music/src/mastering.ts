import { join } from 'node:path';
import { runFfmpeg } from '@storyreel/shared';
import { SAMPLE_RATE } from './synth.js';

export type AudioFormat = 'wav' | 'mp3';

/** A music bed sits under narration: -16 LUFS, peaks kept under -1.5 dBTP. */
export const LOUDNESS = { integrated: -16, truePeak: -1.5, range: 11 } as const;

export const CONTENT_TYPES: Record<AudioFormat, string> = { wav: 'audio/wav', mp3: 'audio/mpeg' };

const CODEC_ARGS: Record<AudioFormat, string[]> = {
  wav: ['-c:a', 'pcm_s16le'],
  mp3: ['-c:a', 'libmp3lame', '-b:a', '192k'],
};

/**
 * Headroom before the 16-bit intermediate: the synth's float output can
 * peak above full scale on dense chords; loudnorm's gain restores the level.
 */
const INTERMEDIATE_GAIN = 0.5;

/** Long enough to hear as an ending, short enough to leave a 5-second clip mostly intact. */
export function fadeOutSeconds(durationSeconds: number): number {
  return Math.min(3, Math.max(1, durationSeconds * 0.15));
}

/** A 15-minute soundtrack masters in well under a minute; a run this long is stuck. */
const MASTER_TIMEOUT_MS = 900_000;

const n = (x: number) => x.toFixed(3);
const loudnormTarget = `I=${LOUDNESS.integrated}:TP=${LOUDNESS.truePeak}:LRA=${LOUDNESS.range}`;

/** What loudnorm's first pass measured; fed back so the second pass is one linear gain. */
export interface LoudnessMeasurement {
  input_i: string;
  input_tp: string;
  input_lra: string;
  input_thresh: string;
  target_offset: string;
}

/**
 * Pass 1: raw float PCM from stdin, cut to the exact length, faded, then
 * split: one copy to a lossless FLAC intermediate, one to loudnorm to measure.
 * The fade is in what is measured, so the finished file lands on the target.
 */
export function measuringArgs(durationSeconds: number, intermediate: string): string[] {
  const fade = fadeOutSeconds(durationSeconds);
  const graph =
    `[0:a]atrim=end=${n(durationSeconds)},volume=${INTERMEDIATE_GAIN},` +
    `afade=t=out:st=${n(durationSeconds - fade)}:d=${n(fade)},aformat=channel_layouts=stereo,asplit=2[keep][probe];` +
    `[probe]loudnorm=${loudnormTarget}:print_format=json[measured]`;
  return [
    ...['-f', 'f32le', '-ar', String(SAMPLE_RATE), '-ac', '2', '-i', 'pipe:0', '-filter_complex', graph],
    ...['-map', '[keep]', '-c:a', 'flac', '-sample_fmt', 's16', intermediate],
    ...['-map', '[measured]', '-f', 'null', '-'],
  ];
}

/** loudnorm prints its JSON report as the last `{...}` block of stderr. */
export function parseLoudnormReport(stderr: string): LoudnessMeasurement {
  const start = stderr.lastIndexOf('{');
  const end = stderr.lastIndexOf('}');
  if (start === -1 || end < start) throw new Error('loudnorm printed no measurement');
  const report = JSON.parse(stderr.slice(start, end + 1)) as Partial<LoudnessMeasurement>;
  const { input_i, input_tp, input_lra, input_thresh, target_offset } = report;
  if (!input_i || !input_tp || !input_lra || !input_thresh || !target_offset) {
    throw new Error('loudnorm measurement is incomplete');
  }
  if (!Number.isFinite(Number(input_i))) throw new Error(`the render is silent (integrated loudness ${input_i})`);
  return { input_i, input_tp, input_lra, input_thresh, target_offset };
}

export interface MasterRequest {
  output: string;
  durationSeconds: number;
  format: AudioFormat;
}

/**
 * Pass 2: the measured gain applied linearly (loudnorm works at 192 kHz
 * inside, so rate and stereo layout are set again after it), encoded.
 */
export function normalisingArgs(intermediate: string, measured: LoudnessMeasurement, request: MasterRequest): string[] {
  const loudnorm =
    `loudnorm=${loudnormTarget}:measured_I=${measured.input_i}:measured_TP=${measured.input_tp}` +
    `:measured_LRA=${measured.input_lra}:measured_thresh=${measured.input_thresh}` +
    `:offset=${measured.target_offset}:linear=true`;
  return [
    ...['-i', intermediate, '-af', `${loudnorm},aresample=${SAMPLE_RATE},aformat=channel_layouts=stereo`],
    ...['-t', n(request.durationSeconds), '-ar', String(SAMPLE_RATE), '-ac', '2', '-map_metadata', '-1'],
    ...CODEC_ARGS[request.format],
    request.output,
  ];
}

/**
 * Streams synthesised PCM into the finished file in two loudnorm passes. The
 * only file between them is a 16-bit FLAC (about 50 MB for 15 minutes): on
 * Cloud Run /tmp is memory, and a float WAV would be 350 MB of it.
 */
export async function master(
  ffmpegPath: string,
  pcm: AsyncIterable<Uint8Array>,
  workDir: string,
  request: MasterRequest,
): Promise<void> {
  const intermediate = join(workDir, 'synth.flac');
  const report = await runFfmpeg(measuringArgs(request.durationSeconds, intermediate), {
    ffmpegPath,
    stdin: pcm,
    timeoutMs: MASTER_TIMEOUT_MS,
  });
  await runFfmpeg(normalisingArgs(intermediate, parseLoudnormReport(report), request), {
    ffmpegPath,
    timeoutMs: MASTER_TIMEOUT_MS,
  });
}
