import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unprocessable } from '@storyreel/shared';

/** Mono float samples at one rate: what echogarden calls RawAudio. */
export interface DecodedAudio {
  audioChannels: Float32Array[];
  sampleRate: number;
}

/**
 * Decodes any audio FFmpeg reads into mono 16 kHz samples (what speech
 * alignment works at). From a file, not a pipe: MP4/M4A keep their index at
 * the end and cannot be read from a stream. Undecodable input is the
 * caller's problem (422), not ours.
 */
export async function decodeAudio(audio: Buffer, ffmpegPath: string, sampleRate = 16_000): Promise<DecodedAudio> {
  const dir = await mkdtemp(join(tmpdir(), 'align-decode-'));
  try {
    const input = join(dir, 'input');
    await writeFile(input, audio);
    const args = [
      '-nostdin',
      '-v',
      'error',
      '-i',
      input,
      '-vn',
      '-ac',
      '1',
      '-ar',
      String(sampleRate),
      '-f',
      'f32le',
      'pipe:1',
    ];
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: Buffer; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        const chunks: Buffer[] = [];
        let errors = '';
        child.stdout.on('data', (c: Buffer) => chunks.push(c));
        child.stderr.on('data', (c: Buffer) => {
          errors = (errors + c.toString('utf8')).slice(-2000);
        });
        child.on('error', reject);
        child.on('close', (exitCode) => resolve({ code: exitCode, stdout: Buffer.concat(chunks), stderr: errors }));
      },
    );
    if (code !== 0 || stdout.length < 4) {
      throw unprocessable('the audio could not be decoded', { ffmpeg: stderr.trim().split('\n').slice(-3) });
    }
    const samples = new Float32Array(stdout.buffer, stdout.byteOffset, Math.floor(stdout.length / 4));
    // Own the memory: `stdout` may be a view into Node's shared pool.
    return { audioChannels: [samples.slice()], sampleRate };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
