/** A note of one part, in beats from the start of the piece (tempo-free, so parts stay pure). */
export interface NoteEvent {
  pitch: number;
  startBeat: number;
  beats: number;
  /** 0..1 */
  velocity: number;
}
