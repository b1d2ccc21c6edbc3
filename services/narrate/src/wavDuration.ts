/**
 * Duration of a PCM RIFF/WAVE file, read from its `fmt ` and `data` chunks.
 * Throws on anything else: a broken file must not be stored as narration.
 */
export function wavDuration(wav: Buffer): number {
  if (wav.length < 12 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let byteRate: number | undefined;
  let offset = 12;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') byteRate = wav.readUInt32LE(body + 8);
    if (id === 'data') {
      if (!byteRate) throw new Error('WAVE data chunk before its fmt chunk');
      // Streams written before their length was known carry a 0 or 0xFFFFFFFF size.
      const dataBytes = Math.min(size, wav.length - body);
      return dataBytes / byteRate;
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAVE file has no data chunk');
}
