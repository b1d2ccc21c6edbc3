import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The fields `entries` names (ffprobe's -show_entries syntax, e.g.
 * `format=duration:stream=codec_type,width`) of a file, as ffprobe's JSON.
 * Rejects with ffprobe's error when the file does not decode.
 */
export async function ffprobeEntries<T>(ffprobePath: string, file: string, entries: string): Promise<T> {
  const { stdout } = await run(ffprobePath, ['-v', 'error', '-show_entries', entries, '-of', 'json', file], {
    timeout: 30_000,
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(stdout) as T;
}
