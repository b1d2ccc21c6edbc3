import type { ProviderCallContext, WordTiming } from '@storyreel/shared';

/** The port every forced aligner implements (offline DTW, a cloud speech-to-text). */
export interface Aligner {
  /** Goes into artefact hashes: another aligner or version aligns again. */
  readonly name: string;
  readonly version: string;
  /**
   * Word timings of `transcript` as spoken in `audio` (any format FFmpeg
   * decodes), in seconds from the start of the audio, in transcript order.
   * `language` is a BCP 47 tag; detected from the text when absent.
   * `context` says whom it is for: a cloud aligner calls its provider with
   * their key when they stored one.
   */
  align(audio: Buffer, transcript: string, language?: string, context?: ProviderCallContext): Promise<WordTiming[]>;
}
