import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BlobStore } from '@storyreel/shared';

const run = promisify(execFile);

export const RENDERS = 'gs://storyreel-media/users/alice/projects/p1/renders/job-1/abc';
export const MOVIE = `${RENDERS}/movie.mp4`;
export const MOVIE_SIZE = { width: 160, height: 90 };
export const MOVIE_FPS = 24;

/**
 * A tiny rendered movie made at test time (nothing binary lives in the repo):
 * 2 s of 160x90 testsrc2 at 24 fps, H.264 + AAC, with a quiet tone around
 * -30 LUFS, so a loudness fix has something to do.
 */
export async function makeMovie(
  file: string,
  options: { audio?: boolean; size?: { width: number; height: number } } = {},
): Promise<string> {
  const { width, height } = options.size ?? MOVIE_SIZE;
  const audio = options.audio ?? true;
  await run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=s=${width}x${height}:r=${MOVIE_FPS}:d=2`,
    ...(audio ? ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2,volume=0.03'] : []),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    ...(audio ? ['-c:a', 'aac', '-ar', '48000'] : []),
    '-shortest',
    file,
  ]);
  return file;
}

/** Puts a tiny movie at `gsPath`. */
export async function uploadMovie(blobs: BlobStore, gsPath: string, options: { audio?: boolean } = {}): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'polish-fixture-'));
  try {
    await blobs.putFile(gsPath, await makeMovie(join(dir, 'movie.mp4'), options), { contentType: 'video/mp4' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
