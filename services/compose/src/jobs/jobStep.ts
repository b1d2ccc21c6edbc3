import type { Job, StepName } from './job.js';
import type { CallOptions, MeshCalls } from './meshCalls.js';

/** Compose's own image generation (src/, not a mesh call): draws the scenes that have no image yet. */
export type GenerateMissingImages = (request: {
  uid: string;
  projectId: string;
  signal: AbortSignal;
  onProgress(done: number, total: number): void;
}) => Promise<{ scenes: { id: string; imagePath: string }[]; generated: number }>;

/** What a step's `run` is given by the runner. */
export interface StepContext {
  /** The job as it was when this try started; earlier steps' outputs are on it. */
  job: Job;
  calls: MeshCalls;
  generateMissingImages: GenerateMissingImages;
  mediaBucket: string;
  /** Fires on cancel, on a lost lease and on shutdown. */
  signal: AbortSignal;
  /** This step's output saved by an earlier, interrupted try: the part it need not do again. */
  saved: unknown;
  /** Options of one mesh call; its idempotency key derives from the call's input, never from the try. */
  call(input: unknown): CallOptions;
  /** The step's own progress, 0..1. */
  progress(fraction: number): void;
  /** Stores a partial output, so a later try resumes after it. */
  save(partial: unknown): Promise<void>;
  log(message: string): Promise<void>;
}

/** One named step of a job: data the runner walks through in order. */
export interface StepDefinition {
  name: StepName;
  /** Share of the job's progress bar. */
  weight: number;
  /** Why this job does without the step, or undefined to run it. */
  skip?(job: Job): string | undefined;
  run(ctx: StepContext): Promise<unknown>;
}
