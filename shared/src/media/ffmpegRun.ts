import { spawn } from 'node:child_process';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../errors.js';
import { createProgressReader } from './ffmpegProgress.js';

export interface PendingOutput {
  /** The name FFmpeg writes to. */
  partial: string;
  /** The name it gets once FFmpeg has exited 0. */
  final: string;
}

export interface FfmpegRunOptions {
  /** `ffmpeg` on the PATH by default. */
  ffmpegPath?: string;
  /** Expected output length, for the percentage. */
  durationSeconds?: number;
  /** 0-99 as FFmpeg writes the output (read from `-progress pipe:1`, which the runner adds). */
  onProgress?: (percent: number) => void;
  /** Aborting kills FFmpeg; the run rejects with the signal's reason when it is an AppError. */
  signal?: AbortSignal;
  /** Killed past this; no limit by default (a long movie legitimately takes many minutes). */
  timeoutMs?: number;
  /** Files FFmpeg writes: renamed to their final names only after a clean exit, removed otherwise. */
  outputs?: readonly PendingOutput[];
  /** What each `-i` input is, in order, so an error can say which one FFmpeg choked on. */
  inputLabels?: readonly string[];
  /** Streamed into FFmpeg's stdin (`-i pipe:0`), with backpressure. */
  stdin?: AsyncIterable<Uint8Array>;
}

/** Enough to hold loudnorm's JSON report and FFmpeg's last error lines. */
const STDERR_TAIL_CHARS = 64 * 1024;
const MESSAGE_LINES = 6;
/** Never an interactive prompt, never a banner or stats line in the stderr a caller parses. */
const GLOBAL_ARGS = ['-hide_banner', '-nostdin', '-nostats', '-y'];

/**
 * Runs one FFmpeg process with an argument list (never a shell string) and
 * resolves with the tail of its stderr, where its reports go (loudnorm's
 * JSON, volumedetect). Outputs are written under partial names and renamed
 * only after a clean exit, so a failed, cancelled or timed-out run never
 * leaves a file that looks finished.
 */
export async function runFfmpeg(args: readonly string[], options: FfmpegRunOptions = {}): Promise<string> {
  const outputs = options.outputs ?? [];
  try {
    if (options.signal?.aborted) throw cancelled(options.signal);
    const stderr = await run(args, options);
    for (const output of outputs) await rename(output.partial, output.final);
    return stderr;
  } catch (err) {
    await Promise.all(outputs.map((o) => rm(o.partial, { recursive: true, force: true })));
    throw err;
  }
}

async function run(args: readonly string[], options: FfmpegRunOptions): Promise<string> {
  const { signal, onProgress } = options;
  const progressArgs = onProgress ? ['-progress', 'pipe:1'] : [];
  const child = spawn(options.ffmpegPath ?? 'ffmpeg', [...GLOBAL_ARGS, ...progressArgs, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  if (onProgress)
    child.stdout.setEncoding('utf8').on('data', createProgressReader(options.durationSeconds ?? 0, onProgress));
  else child.stdout.resume();

  /** Why we killed FFmpeg ourselves, which is then the error, not its exit status. */
  let stoppedBecause: AppError | undefined;
  const stop = (reason: AppError) => {
    stoppedBecause ??= reason;
    child.kill('SIGKILL');
  };
  const onAbort = () => stop(cancelled(signal as AbortSignal));
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(
          () =>
            stop(
              new AppError('deadline_exceeded', `FFmpeg ran past its ${options.timeoutMs} ms limit and was stopped`),
            ),
          options.timeoutMs,
        );

  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', (err) => reject(new AppError('internal', `could not start FFmpeg: ${err.message}`)));
    child.on('close', (code, killedBy) => {
      if (code === 0) return resolve();
      const exit = killedBy ? `killed by ${killedBy}` : `exit code ${code}`;
      reject(
        new AppError('internal', `FFmpeg failed (${exit}): ${readableTail(stderr, options.inputLabels ?? [])}`, {
          exitCode: code,
          signal: killedBy,
          stderrTail: stderr.slice(-2_000),
        }),
      );
    });
  });

  let sourceError: unknown;
  /** Passes the input through, noting its own failures apart from FFmpeg's end of the pipe. */
  async function* source(input: AsyncIterable<Uint8Array>) {
    const chunks = input[Symbol.asyncIterator]();
    try {
      for (;;) {
        let step: IteratorResult<Uint8Array>;
        try {
          step = await chunks.next();
        } catch (err) {
          sourceError = err;
          throw err;
        }
        if (step.done) return;
        yield step.value;
      }
    } finally {
      await chunks.return?.();
    }
  }
  let fed: Promise<void> = Promise.resolve();
  if (options.stdin) {
    fed = pipeline(Readable.from(source(options.stdin)), child.stdin);
  } else {
    // A process that failed to start makes ending its stdin emit EPIPE: the exit says why.
    child.stdin.on('error', () => {});
    child.stdin.end();
  }
  const [feeding, exit] = await Promise.allSettled([fed, exited]);
  if (timer) clearTimeout(timer);
  signal?.removeEventListener('abort', onAbort);
  // Blame the first cause: the input failing, then our own kill, then FFmpeg failing (or never starting).
  // A broken pipe after a clean exit means FFmpeg had read all it needed (atrim, -t).
  if (sourceError !== undefined) throw sourceError;
  if (stoppedBecause) throw stoppedBecause;
  if (exit.status === 'rejected') throw exit.reason;
  if (feeding.status === 'rejected' && (feeding.reason as NodeJS.ErrnoException).code !== 'EPIPE') throw feeding.reason;
  return stderr;
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

function cancelled(signal: AbortSignal): AppError {
  return signal.reason instanceof AppError
    ? signal.reason
    : new AppError('unavailable', 'the FFmpeg run was cancelled');
}
