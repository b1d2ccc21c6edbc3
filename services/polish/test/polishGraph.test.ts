import { describe, expect, it } from 'vitest';
import { ffmpegUpscaler } from '../src/adapters/ffmpegUpscaler.js';
import { buildPolishArgs } from '../src/polishGraph.js';
import { upscaledSize } from '../src/upscaler.js';

const base = { source: 'in.mp4', output: 'out.mp4', hasAudio: true };
const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('buildPolishArgs', () => {
  it('denoises, then interpolates at the small size, then upscales, in one video chain', async () => {
    const upscale = await ffmpegUpscaler.plan({
      source: { gsPath: 'gs://b/k.mp4', file: 'in.mp4', size: { width: 640, height: 360 } },
      target: { width: 1920, height: 1080 },
      uid: 'alice',
      workDir: '/tmp',
    });
    const args = buildPolishArgs({
      ...base,
      options: { denoise: 'light', interpolate: true, upscale: '1080p' },
      upscale,
    });
    const chain = after(args, '-filter:v')?.split(',') ?? [];
    expect(chain.map((f) => f.split('=')[0])).toEqual(['hqdn3d', 'minterpolate', 'scale', 'unsharp', 'format']);
    expect(chain[1]).toContain('fps=60');
    expect(chain[2]).toBe('scale=1920:1080:flags=lanczos');
    expect(args.filter((a) => a === '-i')).toHaveLength(1);
    // Sound untouched when loudness was not asked for.
    expect(after(args, '-c:a')).toBe('copy');
  });

  it('copies the picture when only the loudness changes, and drops no stream', () => {
    const args = buildPolishArgs({ ...base, options: { loudness: { targetLufs: -14 } }, loudnorm: 'loudnorm=I=-14' });
    expect(after(args, '-c:v')).toBe('copy');
    expect(args).not.toContain('-filter:v');
    expect(after(args, '-filter:a')).toBe('loudnorm=I=-14');
    expect(args.slice(-5)).toEqual(['-movflags', '+faststart', '-f', 'mp4', 'out.mp4']);
  });

  it('takes the picture from a provider-upscaled file and the sound from the source', () => {
    const args = buildPolishArgs({
      ...base,
      options: { upscale: '1080p' },
      upscale: { videoInput: 'upscaled.mp4', filters: ['scale=1920:1080:flags=lanczos'] },
    });
    expect(args.slice(0, 4)).toEqual(['-i', 'in.mp4', '-i', 'upscaled.mp4']);
    expect(args.filter((_, i) => args[i - 1] === '-map')).toEqual(['1:v:0', '0:a:0']);
  });

  it('maps no sound for a silent movie', () => {
    const args = buildPolishArgs({ ...base, hasAudio: false, options: { denoise: 'strong' } });
    expect(args.filter((_, i) => args[i - 1] === '-map')).toEqual(['0:v:0']);
    expect(after(args, '-filter:v')).toMatch(/^nlmeans=/);
  });
});

describe('upscaledSize', () => {
  it('puts the target on the short side and keeps the aspect, with even sides', () => {
    expect(upscaledSize({ width: 160, height: 90 }, 720)).toEqual({ width: 1280, height: 720 });
    expect(upscaledSize({ width: 720, height: 1280 }, 1080)).toEqual({ width: 1080, height: 1920 });
    expect(upscaledSize({ width: 333, height: 333 }, 1440)).toEqual({ width: 1440, height: 1440 });
    expect(upscaledSize({ width: 100, height: 75 }, 721).width % 2).toBe(0);
  });
});
