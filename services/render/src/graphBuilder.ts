import { ENCODER_SETTINGS } from './encoderSettings.js';
import { escapeFilterValue } from './filterEscape.js';
import { kenBurns } from './kenBurns.js';
import type { Fit, RenderManifest, TransitionType } from './manifest.js';
import { type FrameSize, outputSize } from './outputSize.js';
import { buildTimeline, type Timeline, transitionStartFrame } from './timeline.js';

/** Local copies of the manifest's inputs, in the manifest's order. */
export interface LocalInputs {
  images: readonly string[];
  /** per-scene: one file or null per scene; track: the combined narration file. */
  narration?: { kind: 'per-scene'; files: readonly (string | null)[] } | { kind: 'track'; file: string };
  music?: string;
  /** The ASS file, already on the movie's timeline. */
  captions?: string;
}

export interface LocalOutputs {
  video: string;
  /** Written when the manifest asks for a poster. */
  poster?: string;
}

export interface FfmpegGraph {
  args: string[];
  timeline: Timeline;
  size: FrameSize;
  /** The file behind each `-i`, in input order (FFmpeg's errors name inputs by index). */
  inputFiles: string[];
}

export const AUDIO_RATE = 48_000;
export const AUDIO_BITRATE = '160k';

const XFADE: Record<Exclude<TransitionType, 'cut'>, string> = {
  fade: 'fade',
  dissolve: 'dissolve',
  wipe: 'wipeleft',
  slide: 'slideleft',
};

/** Music dips by about 12 dB under speech: threshold ~-34 dBFS on the voice, ratio 8. */
const DUCKING = 'sidechaincompress=threshold=0.02:ratio=8:attack=20:release=350:makeup=1';
/**
 * Narration is evened out before the mix: speech synthesis is peaky, and a
 * single-pass loudnorm then meets the true-peak ceiling before the target
 * (-15.2 LUFS instead of -14 on espeak voices); with 4:1 above -24 dBFS it
 * lands on -14.0 without a second, measuring pass over the audio.
 */
const VOICE_LEVELLER = 'acompressor=threshold=0.06:ratio=4:attack=3:release=80:makeup=2';
const MUSIC_FADE_IN_SECONDS = 0.5;
const MUSIC_FADE_OUT_SECONDS = 2;

const seconds = (value: number) => Number(value.toFixed(6)).toString();

/**
 * The whole movie as one FFmpeg command: a pure function of the manifest
 * and where its inputs were downloaded to, so it is tested without running
 * FFmpeg. Why each step sits where it does: shared/recipes/render-ffmpeg.md.
 */
export function buildGraph(manifest: RenderManifest, inputs: LocalInputs, outputs: LocalOutputs): FfmpegGraph {
  if (inputs.images.length !== manifest.scenes.length) {
    throw new Error(`expected ${manifest.scenes.length} images, got ${inputs.images.length}`);
  }
  const size = outputSize(manifest.aspect, manifest.resolution);
  const timeline = buildTimeline(manifest.scenes, manifest.fps);
  const inputArgs: string[] = [];
  const inputFiles: string[] = [];
  const addInput = (...args: string[]): number => {
    inputArgs.push(...args);
    inputFiles.push(args[args.length - 1] as string);
    return inputFiles.length - 1;
  };
  const chains: string[] = [];

  // Video: each still once through scale/crop/format, then zoompan makes the scene from it.
  manifest.scenes.forEach((scene, i) => {
    const input = addInput('-i', inputs.images[i] as string);
    const timing = timeline.scenes[i];
    if (!timing) throw new Error('timeline is missing a scene');
    const motion = kenBurns(scene.motion, timing.visualFrames, size, manifest.fps);
    // trim: an animated GIF or a video given as a still contributes its first frame, not its length.
    const still = `[${input}:v]trim=end_frame=1`;
    chains.push(`${fitStill(still, scene.fit, size, `s${i}`)},format=yuv444p,${motion}[v${i}]`);
  });
  let joined = 'v0';
  timeline.scenes.slice(0, -1).forEach((timing, i) => {
    const next = `v${i + 1}`;
    const out = `j${i}`;
    const type = manifest.scenes[i]?.transition.type ?? 'cut';
    if (type === 'cut' || timing.transitionOutFrames === 0) {
      // concat re-stamps in microseconds; xfade wants every input on the scenes' 1/fps time base.
      chains.push(`[${joined}][${next}]concat=n=2:v=1:a=0,settb=1/${manifest.fps}[${out}]`);
    } else {
      const duration = seconds(timing.transitionOutFrames / manifest.fps);
      const offset = seconds(transitionStartFrame(timing) / manifest.fps);
      chains.push(`[${joined}][${next}]xfade=transition=${XFADE[type]}:duration=${duration}:offset=${offset}[${out}]`);
    }
    joined = out;
  });
  const posterFrame = Math.floor((timeline.scenes[0]?.holdFrames ?? 1) / 2);
  const captions = inputs.captions ? `,ass=filename=${escapeFilterValue(inputs.captions)}` : '';
  if (manifest.outputs.poster && outputs.poster) {
    // The poster is taken before the captions: a still of the story, not of half a sentence.
    chains.push(`[${joined}]format=yuv420p,split=2[vmain][vposter]`);
    chains.push(`[vmain]null${captions}[vout]`);
    chains.push(`[vposter]trim=start_frame=${posterFrame}:end_frame=${posterFrame + 1},setpts=PTS-STARTPTS[poster]`);
  } else {
    chains.push(`[${joined}]format=yuv420p${captions}[vout]`);
  }

  chains.push(...audioChains(manifest, inputs, timeline, addInput));

  const { preset, crf } = ENCODER_SETTINGS[manifest.quality];
  const args = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-progress',
    'pipe:1',
    '-nostats',
    ...inputArgs,
    '-filter_complex',
    chains.join(';'),
    '-map',
    '[vout]',
    '-map',
    '[aout]',
    '-c:v',
    'libx264',
    '-profile:v',
    'high',
    '-pix_fmt',
    'yuv420p',
    '-preset',
    preset,
    '-crf',
    String(crf),
    '-c:a',
    'aac',
    '-b:a',
    AUDIO_BITRATE,
    '-ar',
    String(AUDIO_RATE),
    '-ac',
    '2',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    '-y',
    outputs.video,
  ];
  if (manifest.outputs.poster && outputs.poster) {
    args.push('-map', '[poster]', '-frames:v', '1', '-q:v', '2', '-f', 'image2', '-update', '1', '-y', outputs.poster);
  }
  return { args, timeline, size, inputFiles };
}

/** Continues the `still` chain to exactly the frame size, never stretched. */
function fitStill(still: string, fit: Fit, size: FrameSize, label: string): string {
  const { width: w, height: h } = size;
  const cover = `scale=${w}:${h}:force_original_aspect_ratio=increase:flags=lanczos,crop=${w}:${h}`;
  if (fit === 'cover') return `${still},${cover},setsar=1`;
  const blurRadius = Math.round(Math.min(w, h) / 30);
  return [
    `${still},split=2[${label}bg][${label}fg]`,
    `[${label}bg]${cover},boxblur=${blurRadius}:2[${label}blur]`,
    `[${label}fg]scale=${w}:${h}:force_original_aspect_ratio=decrease:flags=lanczos[${label}fit]`,
    `[${label}blur][${label}fit]overlay=x=(W-w)/2:y=(H-h)/2:format=yuv444,setsar=1`,
  ].join(';');
}

/** Sample at which a frame starts: every audio boundary lands on a frame boundary of the picture. */
function sampleAt(frame: number, fps: number): number {
  return Math.round((frame * AUDIO_RATE) / fps);
}

function audioChains(
  manifest: RenderManifest,
  inputs: LocalInputs,
  timeline: Timeline,
  addInput: (...args: string[]) => number,
): string[] {
  const { fps } = timeline;
  const totalSamples = sampleAt(timeline.totalFrames, fps);
  const toStereo = `aformat=sample_fmts=fltp:sample_rates=${AUDIO_RATE}:channel_layouts=stereo`;
  const chains: string[] = [];
  let voice: string | undefined;

  if (manifest.narration && inputs.narration) {
    const narration = inputs.narration;
    const sceneOffsets = manifest.narration.kind === 'track' ? manifest.narration.sceneOffsetsSeconds : [];
    // Each scene's speech is padded or cut to its slot and the slots are joined end to end,
    // so scene i's speech starts exactly at S_i (timeline.ts) without mixing N delayed streams.
    const slots = timeline.scenes.map((timing, i) => {
      const slotSamples =
        sampleAt(timing.startFrame + timing.holdFrames + timing.transitionOutFrames, fps) -
        sampleAt(timing.startFrame, fps);
      let source: string | undefined;
      if (narration.kind === 'per-scene') {
        const file = narration.files[i];
        if (file) source = `[${addInput('-i', file)}:a]`;
      } else {
        // One input per piece (seeked by the demuxer) rather than asplit: concat drains the
        // pieces one after another, and asplit would hold all later pieces in memory meanwhile.
        const from = sceneOffsets[i] ?? 0;
        const next = sceneOffsets[i + 1];
        const length = next === undefined ? timing.slotSeconds : Math.min(next - from, timing.slotSeconds);
        source = `[${addInput('-ss', seconds(from), '-t', seconds(length), '-i', narration.file)}:a]`;
      }
      const label = `n${i}`;
      chains.push(
        source
          ? `${source}${toStereo},atrim=end_sample=${slotSamples},apad=whole_len=${slotSamples}[${label}]`
          : `anullsrc=r=${AUDIO_RATE}:cl=stereo,atrim=end_sample=${slotSamples},${toStereo}[${label}]`,
      );
      return `[${label}]`;
    });
    chains.push(`${slots.join('')}concat=n=${slots.length}:v=0:a=1,${VOICE_LEVELLER}[voice]`);
    voice = 'voice';
  }

  let music: string | undefined;
  if (manifest.music && inputs.music) {
    const input = addInput('-stream_loop', '-1', '-i', inputs.music);
    const fadeOutStart = Math.max(timeline.durationSeconds - MUSIC_FADE_OUT_SECONDS, 0);
    chains.push(
      `[${input}:a]${toStereo},atrim=end_sample=${totalSamples},volume=${manifest.music.volume},` +
        `afade=t=in:d=${MUSIC_FADE_IN_SECONDS},afade=t=out:st=${seconds(fadeOutStart)}:d=${MUSIC_FADE_OUT_SECONDS}[music]`,
    );
    music = 'music';
  }

  let mix: string;
  if (voice && music) {
    if (manifest.music?.duck) {
      chains.push(`[${voice}]asplit=2[voicemix][voicekey]`);
      chains.push(`[${music}][voicekey]${DUCKING}[ducked]`);
      chains.push('[voicemix][ducked]amix=inputs=2:duration=first:dropout_transition=0:normalize=0[mix]');
    } else {
      chains.push(`[${voice}][${music}]amix=inputs=2:duration=first:dropout_transition=0:normalize=0[mix]`);
    }
    mix = 'mix';
  } else if (voice ?? music) {
    mix = (voice ?? music) as string;
  } else {
    // Silence still gets an audio track: players and share pages expect one.
    chains.push(`anullsrc=r=${AUDIO_RATE}:cl=stereo,atrim=end_sample=${totalSamples},${toStereo}[aout]`);
    return chains;
  }
  const { integratedLufs, truePeakDb } = manifest.loudness;
  // aformat before loudnorm keeps the mix at 48 kHz (else it is negotiated up to loudnorm's 192 kHz);
  // loudnorm must be followed by a resample and a layout for AAC.
  chains.push(
    `[${mix}]aformat=sample_rates=${AUDIO_RATE},loudnorm=I=${integratedLufs}:TP=${truePeakDb}:LRA=11,` +
      `aresample=${AUDIO_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo[aout]`,
  );
  return chains;
}
