import type { Plan, WordTiming } from '@storyreel/shared';
import type { PolishChoice } from './job.js';

/**
 * The calls the movie job makes to other services: the one seam between the
 * runner and the mesh, so tests run it with fakes and with real services.
 * Bodies and replies follow each service's routes.ts.
 */

export interface CallOptions {
  /** `${jobId}:${step}:${hash of the call's input}`: the same call repeated is answered once. */
  idempotencyKey: string;
  signal: AbortSignal;
  /** The user the job works for: services store artefacts under them and use their keys. */
  user: { uid: string; plan: Plan };
}

export interface NarrateBody {
  projectId: string;
  voice: string;
  speed: number;
  scenes: { id: string; text: string }[];
}
export interface NarratedScene {
  id: string;
  path: string;
  durationSeconds: number;
  words: WordTiming[] | null;
  cached: boolean;
}

export interface AlignBody {
  audioPath: string;
  text: string;
  language?: string;
}
export interface AlignReply {
  words: WordTiming[];
  cached: boolean;
}

export interface CaptionsBody {
  projectId: string;
  scenes: { id: string; offsetSeconds: number; durationSeconds: number; words: WordTiming[] }[];
  style: string;
  position: string;
  aspect: string;
  width: number;
  height: number;
}
/** gs:// paths of the caption files. */
export interface CaptionFiles {
  srt: string;
  vtt: string;
  ass: string;
}
export interface CaptionsReply {
  paths: CaptionFiles;
  cues: number;
  cached: boolean;
}

export interface MusicBody {
  projectId: string;
  mood: string;
  durationSeconds: number;
  format: 'wav';
}
export interface MusicReply {
  path: string;
  cached: boolean;
}

/** The render manifest (services/render/src/manifest.ts, version 1). */
export interface RenderBody {
  version: 1;
  aspect: string;
  resolution: string;
  quality: string;
  /** 30 when absent. */
  fps?: number;
  scenes: {
    imagePath: string;
    durationSeconds: number;
    motion: string;
    fit: string;
    transition: { type: string; durationSeconds: number };
  }[];
  narration?: { kind: 'per-scene'; paths: (string | null)[] };
  captions?: { assPath: string; timeline: 'movie' };
  music?: { path: string; volume: number };
  outputs: { poster: boolean; gif: boolean };
  outputPrefix: string;
}
export interface RenderReply {
  videoPath: string;
  posterPath?: string;
  gifPath?: string;
  durationSeconds: number;
  width: number;
  height: number;
  cached: boolean;
}

/** services/polish/src/polishRequest.ts: the polished movie goes beside `videoPath`. */
export interface PolishBody extends PolishChoice {
  videoPath: string;
}
export interface PolishReply {
  videoPath: string;
  width: number;
  height: number;
  fps: number;
  durationSeconds: number;
  cached: boolean;
}

/** A name the render or polish service reports the work's progress under, for its caller only. */
export interface ProgressCallOptions extends CallOptions {
  progressId: string;
}

export interface MeshCalls {
  narrate(body: NarrateBody, options: CallOptions): Promise<{ scenes: NarratedScene[] }>;
  align(body: AlignBody, options: CallOptions): Promise<AlignReply>;
  captions(body: CaptionsBody, options: CallOptions): Promise<CaptionsReply>;
  music(body: MusicBody, options: CallOptions): Promise<MusicReply>;
  render(body: RenderBody, options: ProgressCallOptions): Promise<RenderReply>;
  /** How far the render started with this progressId is, 0..100. */
  renderProgress(progressId: string, options: Omit<CallOptions, 'idempotencyKey'>): Promise<{ percent: number }>;
  polish(body: PolishBody, options: ProgressCallOptions): Promise<PolishReply>;
  /** How far the polish started with this progressId is, 0..100. */
  polishProgress(progressId: string, options: Omit<CallOptions, 'idempotencyKey'>): Promise<{ percent: number }>;
}
