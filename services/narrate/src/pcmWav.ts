/**
 * Wraps raw 16-bit little-endian PCM (what ElevenLabs' `pcm_*` formats
 * return) in a RIFF/WAVE header, so it is stored like every other narration.
 */
export function pcmToWav(pcm: Buffer, sampleRate: number, channels = 1): Buffer {
  const header = Buffer.alloc(44);
  const byteRate = sampleRate * channels * 2;
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(byteRate, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

export interface WavSamples {
  pcm: Buffer;
  sampleRate: number;
  channels: number;
}

/** The 16-bit PCM samples of a RIFF/WAVE file and their format (to join several into one). */
export function wavSamples(wav: Buffer): WavSamples {
  if (wav.length < 12 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let format: { sampleRate: number; channels: number } | undefined;
  for (let offset = 12; offset + 8 <= wav.length; ) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (wav.readUInt16LE(body) !== 1 || wav.readUInt16LE(body + 14) !== 16) throw new Error('WAVE is not 16-bit PCM');
      format = { channels: wav.readUInt16LE(body + 2), sampleRate: wav.readUInt32LE(body + 4) };
    }
    if (id === 'data') {
      if (!format) throw new Error('WAVE data chunk before its fmt chunk');
      return { pcm: wav.subarray(body, Math.min(body + size, wav.length)), ...format };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAVE file has no data chunk');
}
