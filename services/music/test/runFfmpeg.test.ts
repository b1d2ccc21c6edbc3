import { describe, expect, it } from 'vitest';
import { runFfmpeg } from '../src/runFfmpeg.js';

const SECOND_OF_STEREO_FLOAT = 48_000 * 8;
const rawInput = ['-f', 'f32le', '-ar', '48000', '-ac', '2', '-i', 'pipe:0'];

async function* silence(seconds: number, failAt?: number) {
  for (let s = 0; s < seconds; s++) {
    if (s === failAt) throw new Error('synth broke');
    yield Buffer.alloc(SECOND_OF_STEREO_FLOAT);
  }
}

describe('runFfmpeg', () => {
  it('streams stdin through FFmpeg and returns its report', async () => {
    const report = await runFfmpeg('ffmpeg', [...rawInput, '-af', 'volumedetect', '-f', 'null', '-'], {
      stdin: silence(3),
    });
    expect(report).toMatch(/n_samples: 288000/);
  });

  it('fails when the input stream fails, even though FFmpeg would finish on the shortened input', async () => {
    await expect(runFfmpeg('ffmpeg', [...rawInput, '-f', 'null', '-'], { stdin: silence(5, 2) })).rejects.toThrow(
      'synth broke',
    );
  });

  it('accepts FFmpeg closing its input early once it has what it asked for', async () => {
    const report = await runFfmpeg('ffmpeg', [...rawInput, '-af', 'atrim=end=1,volumedetect', '-f', 'null', '-'], {
      stdin: silence(120),
    });
    expect(report).toMatch(/n_samples: 96000/);
  });

  it('rejects with FFmpeg`s own error, and when the binary is missing', async () => {
    await expect(
      runFfmpeg('ffmpeg', [...rawInput, '-af', 'nosuchfilter', '-f', 'null', '-'], { stdin: silence(2) }),
    ).rejects.toThrow(/ffmpeg failed \(exit \d+\).*nosuchfilter/s);
    await expect(runFfmpeg('/nonexistent/ffmpeg', ['-version'])).rejects.toThrow(/could not start/);
    await expect(
      runFfmpeg('/nonexistent/ffmpeg', [...rawInput, '-f', 'null', '-'], { stdin: silence(2) }),
    ).rejects.toThrow(/could not start/);
  });

  it('kills a run that outlives its timeout', async () => {
    await expect(
      runFfmpeg('ffmpeg', ['-f', 'lavfi', '-i', 'anullsrc', '-f', 'null', '-'], { timeoutMs: 300 }),
    ).rejects.toThrow(/SIGKILL/);
  });
});
