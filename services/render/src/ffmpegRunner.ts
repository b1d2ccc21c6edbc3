import { spawn } from 'node:child_process';
import { rename, rm } from 'node:fs/promises';
import { AppError } from '@storyreel/shared';
import { createProgressReader } from './ffmpegProgress.js';

export interface PendingOutput {
  /** The name FFmpeg writes to. */
  partial: string;
  /** The name it gets once FFmpeg has exited 0. */
  final: string;
}

export interface RunFfmpegOptions {
  ffmpegPath?: string;
  /** Expected output length, for the percentage. */
  durationSeconds: number;
  onProgress?: (percent: number) => void;
  signal?: AbortSignal;
  outputs: readonly PendingOutput[];
  /** What each `-i` input is, in order, so an error can say which one FFmpeg choked on. */
  inputLabels?: readonly string[];
}

const STDERR_TAIL_CHARS = 8_000;
const MESSAGE_LINES = 6;

/**
 * Runs one FFmpeg process. Outputs are written under their partial names
 * and renamed only after a clean exit, so a failed or killed run never
 * leaves a file that looks finished; partial files are removed.
 */
export async function runFfmpeg(args: readonly string[], options: RunFfmpegOptions): Promise<void> {
  const { signal } = options;
  if (signal?.aborted) throw cancelled(signal);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(options.ffmpegPath ?? 'ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderrTail = '';
      const readProgress = createProgressReader(options.durationSeconds, (p) => options.onProgress?.(p));
      child.stdout.setEncoding('utf8').on('data', readProgress);
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
      });
      const onAbort = () => child.kill('SIGKILL');
      signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (err) => {
        signal?.removeEventListener('abort', onAbort);
        reject(new AppError('internal', `could not start FFmpeg: ${err.message}`));
      });
      child.on('close', (code, killedBy) => {
        signal?.removeEventListener('abort', onAbort);
        if (signal?.aborted) return reject(cancelled(signal));
        if (code === 0) return resolve();
        const exit = killedBy ? `killed by ${killedBy}` : `exit code ${code}`;
        reject(
          new AppError('internal', `FFmpeg failed (${exit}): ${readableTail(stderrTail, options.inputLabels ?? [])}`, {
            exitCode: code,
            signal: killedBy,
            stderrTail: stderrTail.slice(-2_000),
          }),
        );
      });
    });
  } catch (err) {
    await Promise.all(options.outputs.map((o) => rm(o.partial, { recursive: true, force: true })));
    throw err;
  }
  for (const output of options.outputs) await rename(output.partial, output.final);
}

/**
 * The last distinct lines FFmpeg printed (the cause is at the end), with
 * `stream #3:0` named after input 3 and the `[png @ 0x55d…]` pointers, which
 * make identical lines look different, reduced to the component's name.
 */
function readableTail(stderr: string, inputLabels: readonly string[]): string {
  const lines = stderr
    .split('\n')
    .map((l) =>
      l
        .trim()
        .replace(/\[([\w-]+) @ 0x[0-9a-f]+\] /g, '$1: ')
        .replace(/(?:input )?stream #?(\d+):\d+|input #(\d+)/gi, (whole, stream?: string, input?: string) => {
          const label = inputLabels[Number(stream ?? input)];
          return label ? `input ${label}` : whole;
        }),
    )
    .filter((l) => l.length > 0);
  const distinct = lines.filter((l, i) => l !== lines[i - 1]);
  return distinct.slice(-MESSAGE_LINES).join(' | ') || 'no error output';
}

function cancelled(signal: AbortSignal): Error {
  return signal.reason instanceof AppError ? signal.reason : new AppError('unavailable', 'the render was cancelled');
}
