import { describe, expect, it } from 'vitest';
import { buildGraph, type LocalInputs } from '../src/graphBuilder.js';
import { RenderManifest, type RenderManifestInput } from '../src/manifest.js';

const media = 'gs://storyreel-media/users/alice/projects/p1';

function manifest(overrides: Partial<RenderManifestInput> = {}): RenderManifest {
  return RenderManifest.parse({
    version: 1,
    outputPrefix: `${media}/renders`,
    scenes: [
      {
        imagePath: `${media}/0.png`,
        durationSeconds: 2,
        motion: 'zoom-in',
        transition: { type: 'fade', durationSeconds: 0.5 },
      },
      {
        imagePath: `${media}/1.jpg`,
        durationSeconds: 1.5,
        motion: 'pan-left',
        fit: 'blur',
        transition: { type: 'cut' },
      },
      {
        imagePath: `${media}/2.png`,
        durationSeconds: 2,
        motion: 'none',
        transition: { type: 'wipe', durationSeconds: 1 },
      },
      {
        imagePath: `${media}/3.png`,
        durationSeconds: 1,
        motion: 'zoom-out',
        transition: { type: 'slide', durationSeconds: 0.4 },
      },
      { imagePath: `${media}/4.png`, durationSeconds: 1, motion: 'pan-right', transition: { type: 'dissolve' } },
    ],
    narration: { kind: 'per-scene', paths: [`${media}/n0.wav`, null, `${media}/n2.wav`, null, null] },
    music: { path: `${media}/m.wav`, volume: 0.25 },
    captions: { assPath: `${media}/c.ass` },
    ...overrides,
  });
}

const local: LocalInputs = {
  images: ['/w/i0.png', '/w/i1.jpg', '/w/i2.png', '/w/i3.png', '/w/i4.png'],
  narration: { kind: 'per-scene', files: ['/w/n0.wav', null, '/w/n2.wav', null, null] },
  music: '/w/m.wav',
  captions: '/w/c.ass',
};

const outputs = { video: '/w/movie.partial.mp4', poster: '/w/poster.partial.jpg' };

function graphOf(args: string[]): string[] {
  const at = args.indexOf('-filter_complex');
  expect(at).toBeGreaterThan(-1);
  return (args[at + 1] ?? '').split(';');
}

/** The value that follows a flag, for flags given once. */
function flag(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
}

describe('graph builder', () => {
  it('decodes each still once: one -i per image and no -loop', () => {
    const { args } = buildGraph(manifest(), local, outputs);
    expect(args).not.toContain('-loop');
    for (const image of local.images) expect(args.filter((a) => a === image)).toHaveLength(1);
    expect(args.filter((a) => a === '-i')).toHaveLength(5 + 2 + 1);
  });

  it('scales, converts to yuv444p once and only then makes the motion, per scene', () => {
    const { args, timeline } = buildGraph(manifest(), local, outputs);
    const graph = graphOf(args);
    timeline.scenes.forEach((timing, i) => {
      const chain = graph.find((c) => c.endsWith(`[v${i}]`)) ?? '';
      const zoompan = chain.indexOf('zoompan=');
      expect(chain.indexOf('format=yuv444p')).toBeGreaterThan(-1);
      expect(chain.indexOf('format=yuv444p')).toBeLessThan(zoompan);
      expect(chain).toContain(`:d=${timing.visualFrames}:s=1280x720:fps=30`);
    });
    expect(graph.join(';').match(/format=yuv444p/g)).toHaveLength(5);
    // The still for "none" goes through zoompan too, at zoom 1.
    expect(graph.find((c) => c.endsWith('[v2]'))).toContain('zoompan=z=1:x=0:y=0:');
  });

  it('never stretches: cover scales up to fill and crops, blur puts the contained image over a blurred fill', () => {
    const graph = graphOf(buildGraph(manifest(), local, outputs).args).join(';');
    for (const scale of graph.match(/scale=1280:720[^,;[]*/g) ?? []) {
      expect(scale).toMatch(/force_original_aspect_ratio=(increase|decrease)/);
    }
    expect(graph).toContain(
      '[0:v]trim=end_frame=1,scale=1280:720:force_original_aspect_ratio=increase:flags=lanczos,crop=1280:720',
    );
    expect(graph).toMatch(/\[1:v\]trim=end_frame=1,split=2\[s1bg\]\[s1fg\]/);
    expect(graph).toMatch(/\[s1bg\]scale=1280:720:force_original_aspect_ratio=increase[^;]*crop=1280:720,boxblur=24:2/);
    expect(graph).toMatch(/\[s1fg\]scale=1280:720:force_original_aspect_ratio=decrease/);
    expect(graph).toContain('[s1blur][s1fit]overlay=x=(W-w)/2:y=(H-h)/2');
  });

  it('joins scenes with xfade at the timeline offsets, and cuts with concat', () => {
    const graph = graphOf(buildGraph(manifest(), local, outputs).args);
    const joins = graph.filter((c) => /xfade|concat=n=2:v=1/.test(c));
    expect(joins).toEqual([
      '[v0][v1]xfade=transition=fade:duration=0.5:offset=2[j0]',
      '[j0][v2]concat=n=2:v=1:a=0,settb=1/30[j1]',
      '[j1][v3]xfade=transition=wipeleft:duration=1:offset=6[j2]',
      '[j2][v4]xfade=transition=slideleft:duration=0.4:offset=8[j3]',
    ]);
  });

  it('converts to yuv420p once after the chain and burns the captions after that, poster before them', () => {
    const graph = graphOf(buildGraph(manifest(), local, outputs).args);
    expect(graph.join(';').match(/format=yuv420p/g)).toHaveLength(1);
    const at = graph.findIndex((c) => c.startsWith('[j3]format=yuv420p'));
    expect(graph[at]).toBe('[j3]format=yuv420p,split=2[vmain][vposter]');
    expect(graph[at + 1]).toBe('[vmain]null,ass=filename=/w/c.ass[vout]');
    expect(graph[at + 2]).toBe('[vposter]trim=start_frame=30:end_frame=31,setpts=PTS-STARTPTS[poster]');
  });

  it('escapes a captions path that the filter parser would otherwise split', () => {
    const graph = graphOf(buildGraph(manifest(), { ...local, captions: "/tmp/a:b,c;d'e/c.ass" }, outputs).args).join(
      ';',
    );
    expect(graph).toContain("ass=filename=/tmp/a\\\\:b\\,c\\;d\\\\\\'e/c.ass[vout]");
  });

  it('places each narration in its scene slot and ducks the looped music under it', () => {
    const { args, timeline } = buildGraph(manifest(), local, outputs);
    const graph = graphOf(args);
    // Slots in samples at 48 kHz: scene i's slot is d_i + t_i.
    const slots = timeline.scenes.map((s) => Math.round(s.slotSeconds * 48_000));
    expect(slots).toEqual([120_000, 72_000, 144_000, 67_200, 48_000]);
    expect(graph[graph.findIndex((c) => c.endsWith('[n0]'))]).toBe(
      '[5:a]aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,atrim=end_sample=120000,apad=whole_len=120000[n0]',
    );
    expect(graph.find((c) => c.endsWith('[n1]'))).toMatch(/^anullsrc=r=48000:cl=stereo,atrim=end_sample=72000/);
    expect(graph.find((c) => c.endsWith('[voice]'))).toMatch(
      /^\[n0\]\[n1\]\[n2\]\[n3\]\[n4\]concat=n=5:v=0:a=1,acompressor/,
    );
    const musicAt = args.indexOf('/w/m.wav');
    expect(args.slice(musicAt - 3, musicAt)).toEqual(['-stream_loop', '-1', '-i']);
    expect(graph.find((c) => c.endsWith('[music]'))).toContain(
      `atrim=end_sample=${timeline.totalFrames * 1600},volume=0.25`,
    );
    expect(graph).toContain('[voice]asplit=2[voicemix][voicekey]');
    expect(graph.find((c) => c.startsWith('[music][voicekey]sidechaincompress='))).toBeDefined();
    expect(graph).toContain('[voicemix][ducked]amix=inputs=2:duration=first:dropout_transition=0:normalize=0[mix]');
  });

  it('mixes without ducking when asked', () => {
    const m = manifest({ music: { path: `${media}/m.wav`, duck: false } });
    const graph = graphOf(buildGraph(m, local, outputs).args).join(';');
    expect(graph).not.toContain('sidechaincompress');
    expect(graph).toContain('[voice][music]amix=inputs=2');
  });

  it('keeps 48 kHz up to loudnorm and resamples and sets the layout after it', () => {
    const graph = graphOf(buildGraph(manifest(), local, outputs).args);
    expect(graph.find((c) => c.endsWith('[aout]'))).toBe(
      '[mix]aformat=sample_rates=48000,loudnorm=I=-14:TP=-1.5:LRA=11,aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo[aout]',
    );
  });

  it('cuts a combined narration track at the scene offsets, one seeked input per piece', () => {
    const m = manifest({
      narration: { kind: 'track', path: `${media}/all.wav`, sceneOffsetsSeconds: [0, 1.9, 2.5, 4.0, 4.6] },
    });
    const { args } = buildGraph(m, { ...local, narration: { kind: 'track', file: '/w/all.wav' } }, outputs);
    const pieces: string[][] = [];
    args.forEach((a, i) => {
      if (a === '/w/all.wav') pieces.push(args.slice(i - 5, i));
    });
    // Each piece runs to the next offset, or to the end of its slot if that comes first.
    expect(pieces).toEqual([
      ['-ss', '0', '-t', '1.9', '-i'],
      ['-ss', '1.9', '-t', '0.6', '-i'],
      ['-ss', '2.5', '-t', '1.5', '-i'],
      ['-ss', '4', '-t', '0.6', '-i'],
      ['-ss', '4.6', '-t', '1', '-i'],
    ]);
  });

  it('gives a movie without narration or music a silent track instead of none', () => {
    const m = manifest({ narration: undefined, music: undefined });
    const { args, timeline } = buildGraph(m, { images: local.images }, outputs);
    const graph = graphOf(args);
    expect(graph.find((c) => c.endsWith('[aout]'))).toMatch(
      new RegExp(`^anullsrc=r=48000:cl=stereo,atrim=end_sample=${timeline.totalFrames * 1600},`),
    );
    expect(graph.join(';')).not.toContain('loudnorm');
  });

  it('encodes H.264 High yuv420p + AAC 48 kHz 160k with faststart, a keyframe every 6 s of the movie', () => {
    const { args } = buildGraph(manifest({ quality: 'high' }), local, outputs);
    expect(args.slice(0, 2)).toEqual(['-loglevel', 'error']);
    expect(flag(args, '-c:v')).toBe('libx264');
    expect(flag(args, '-profile:v')).toBe('high');
    expect(flag(args, '-pix_fmt')).toBe('yuv420p');
    expect([flag(args, '-preset'), flag(args, '-crf')]).toEqual(['medium', '20']);
    expect(flag(args, '-force_key_frames')).toBe('expr:gte(n,n_forced*180+0)');
    expect(args).not.toContain('-x264-params');
    expect([flag(args, '-c:a'), flag(args, '-b:a'), flag(args, '-ar'), flag(args, '-ac')]).toEqual([
      'aac',
      '160k',
      '48000',
      '2',
    ]);
    expect(flag(args, '-movflags')).toBe('+faststart');
    const video = args.indexOf('/w/movie.partial.mp4');
    expect(args.slice(video - 3, video)).toEqual(['+faststart', '-f', 'mp4']);
    expect(args.slice(video + 1)).toEqual([
      '-map',
      '[poster]',
      '-frames:v',
      '1',
      '-q:v',
      '2',
      '-f',
      'image2',
      '-update',
      '1',
      '/w/poster.partial.jpg',
    ]);
  });

  it('sizes the frame from the aspect and resolution', () => {
    const { size, args } = buildGraph(manifest({ aspect: '9:16', resolution: '1080p' }), local, outputs);
    expect(size).toEqual({ width: 1080, height: 1920 });
    expect(graphOf(args)[0]).toContain('s=1080x1920');
  });

  it('leaves the poster out when it is not wanted', () => {
    const m = manifest({ outputs: { poster: false } });
    const { args } = buildGraph(m, local, outputs);
    expect(args).not.toContain('[poster]');
    expect(graphOf(args).find((c) => c.endsWith('[vout]'))).toBe('[j3]format=yuv420p,ass=filename=/w/c.ass[vout]');
  });

  it('is pure: the same manifest and files give the same command', () => {
    expect(buildGraph(manifest(), local, outputs)).toEqual(buildGraph(manifest(), local, outputs));
  });
});
