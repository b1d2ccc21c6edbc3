import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Enough to hold loudnorm's JSON report and FFmpeg's last error lines. */
const STDERR_TAIL_BYTES = 64 * 1024;

export interface FfmpegRunOptions {
  /** Streamed into FFmpeg's stdin (`-i pipe:0`), with backpressure. */
  stdin?: AsyncIterable<Uint8Array>;
  timeoutMs?: number;
}

/**
 * Runs FFmpeg with an argument list (never a shell string) and resolves with
 * the tail of its stderr, where its reports go. A non-zero exit, a run past
 * the timeout, or an input stream that fails rejects, so a half-fed FFmpeg
 * never passes for a finished one.
 */
export async function runFfmpeg(
  ffmpegPath: string,
  args: readonly string[],
  options: FfmpegRunOptions = {},
): Promise<string> {
  const child = spawn(ffmpegPath, ['-hide_banner', '-nostdin', '-nostats', '-y', ...args], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 900_000);
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', (err) => reject(new Error(`could not start ${ffmpegPath}: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg failed (${signal ?? `exit ${code}`}): ${stderr.slice(-2000).trim()}`));
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
  if (!options.stdin) child.stdin.end();
  const fed = options.stdin ? pipeline(Readable.from(source(options.stdin)), child.stdin) : Promise.resolve();
  const [feeding, exit] = await Promise.allSettled([fed, exited]);
  clearTimeout(timer);
  // Blame the first cause: the audio source failing, then FFmpeg failing (or never starting).
  // A broken pipe after a clean exit means FFmpeg had read all it needed (atrim, -t).
  if (sourceError !== undefined) throw sourceError;
  if (exit.status === 'rejected') throw exit.reason;
  if (feeding.status === 'rejected' && (feeding.reason as NodeJS.ErrnoException).code !== 'EPIPE') throw feeding.reason;
  return stderr;
}
