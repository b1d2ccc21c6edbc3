import { AUDIO_RATE } from './encoderSettings.js';
import type { LocalInputs } from './graphBuilder.js';
import type { RenderManifest } from './manifest.js';
import type { Timeline } from './timeline.js';

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

/** Sample at which a frame starts: every audio boundary lands on a frame boundary of the picture. */
function sampleAt(frame: number, fps: number): number {
  return Math.round((frame * AUDIO_RATE) / fps);
}

/**
 * The soundtrack, ending in `[aout]`: each narration in its scene slot,
 * the looped music ducked under it, the mix levelled to the loudness target.
 * Inputs are added through `addInput`, after whatever the caller added.
 */
export function audioChains(
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
