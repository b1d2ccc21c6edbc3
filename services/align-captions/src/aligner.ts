import type { WordTiming } from '@storyreel/shared';

/** The port every forced aligner implements (offline DTW, a cloud speech-to-text). */
export interface Aligner {
  /** Goes into artefact hashes: another aligner or version aligns again. */
  readonly name: string;
  readonly version: string;
  /**
   * Word timings of `transcript` as spoken in `audio` (any format FFmpeg
   * decodes), in seconds from the start of the audio, in transcript order.
   * `language` is a BCP 47 tag; detected from the text when absent.
   */
  align(audio: Buffer, transcript: string, language?: string): Promise<WordTiming[]>;
}
