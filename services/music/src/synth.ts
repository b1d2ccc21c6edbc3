import { readFile } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  BasicMIDI,
  type BasicSoundBank,
  SoundBankLoader,
  SPESSA_BUFSIZE,
  SpessaSynthProcessor,
  SpessaSynthSequencer,
} from 'spessasynth_core';

export const SAMPLE_RATE = 48_000;
/** One second per chunk: bounded memory, and the event loop gets a turn between chunks. */
const CHUNK_FRAMES = SPESSA_BUFSIZE * 375;

/**
 * Small files can come back as a view into Node's shared 8 KB Buffer pool;
 * handing spessasynth `buf.buffer` would give it the whole pool.
 */
const exactArrayBuffer = (bytes: Uint8Array): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

const banks = new Map<string, Promise<BasicSoundBank>>();

/**
 * The sound bank is parsed once per process and shared by every render: it
 * is 40 MB, read-only while rendering, and keeps the samples it has decoded.
 */
export function loadSoundBank(path: string): Promise<BasicSoundBank> {
  let bank = banks.get(path);
  if (!bank) {
    bank = readFile(path).then((bytes) => SoundBankLoader.fromArrayBuffer(exactArrayBuffer(bytes)));
    bank.catch(() => banks.delete(path));
    banks.set(path, bank);
  }
  return bank;
}

export interface SynthOptions {
  soundfontPath: string;
  /** Length of audio to render; the MIDI's tail past it is dropped. */
  seconds: number;
}

/**
 * Plays a MIDI file through a General MIDI sound bank and yields the audio as
 * 48 kHz stereo interleaved 32-bit float (f32le) chunks of one second, so a
 * 15-minute piece needs the same memory as a 10-second one. Float keeps the
 * synth's overs for loudnorm to handle.
 */
export async function* synthesize(midiBytes: Uint8Array, options: SynthOptions): AsyncGenerator<Buffer> {
  const bank = await loadSoundBank(options.soundfontPath);
  const synth = new SpessaSynthProcessor(SAMPLE_RATE, { eventsEnabled: false, effectsEnabled: true });
  synth.soundBankManager.addSoundBank(bank, 'main');
  await synth.processorInitialized;
  synth.setSystemParameter('autoAllocateVoices', true);

  const sequencer = new SpessaSynthSequencer(synth);
  // Must be set before loading: otherwise leading rests are skipped and the music starts early.
  sequencer.skipToFirstNoteOn = false;
  sequencer.loadNewSongList([BasicMIDI.fromArrayBuffer(exactArrayBuffer(midiBytes))]);
  sequencer.play();

  const totalFrames = Math.ceil(options.seconds * SAMPLE_RATE);
  const left = new Float32Array(CHUNK_FRAMES);
  const right = new Float32Array(CHUNK_FRAMES);
  try {
    for (let done = 0; done < totalFrames; ) {
      const frames = Math.min(CHUNK_FRAMES, totalFrames - done);
      left.fill(0);
      right.fill(0);
      for (let at = 0; at < frames; at += SPESSA_BUFSIZE) {
        sequencer.processTick();
        synth.process(left, right, at, Math.min(SPESSA_BUFSIZE, frames - at));
      }
      const interleaved = Buffer.allocUnsafe(frames * 8);
      for (let i = 0; i < frames; i++) {
        interleaved.writeFloatLE(left[i] as number, i * 8);
        interleaved.writeFloatLE(right[i] as number, i * 8 + 4);
      }
      done += frames;
      yield interleaved;
      await nextTurn();
    }
  } finally {
    sequencer.pause();
    synth.stopAllChannels(true);
  }
}
