/** The shapes the services answer with (see each service's routes and /openapi.json). */

export const ASPECTS = ['16:9', '9:16', '1:1'] as const;
export type Aspect = (typeof ASPECTS)[number];

export const MOTIONS = ['zoom-in', 'zoom-out', 'pan-left', 'pan-right', 'none'] as const;
export type Motion = (typeof MOTIONS)[number];

export const TRANSITION_TYPES = ['cut', 'fade', 'dissolve', 'wipe', 'slide'] as const;
export type TransitionType = (typeof TRANSITION_TYPES)[number];

export interface Scene {
  id: string;
  text: string;
  imagePrompt: string;
  durationSeconds: number;
  motion: Motion;
  transition: { type: TransitionType; durationSeconds: number };
  seed: number;
  imagePath: string | null;
  imageUrl: string | null;
}

/** A scene as the wizard sends it back: a new one has no id yet. */
export type SceneEdit = Partial<Omit<Scene, 'text' | 'transition'>> & {
  text: string;
  transition?: TransitionType | Scene['transition'];
};

export interface Voice {
  id: string;
  speed: number;
}

export interface Music {
  mood: string;
  volume: number;
}

export interface Project {
  id: string;
  version: number;
  title: string;
  story: string;
  language: string;
  languageDetected: boolean;
  targetSeconds: number;
  aspect: Aspect;
  style: string;
  voice: Voice;
  music: Music | null;
  captions: { style: string; position: string } | null;
  scenes: Scene[];
  storyboard: {
    createdAt: string;
    unit: 'word' | 'char';
    storyUnits: number;
    keptUnits: number;
    truncated: boolean;
    estimatedSeconds: number;
    targetSeconds: number;
  } | null;
  createdAt: string;
  updatedAt: string;
}

export interface ProjectSummary {
  id: string;
  version: number;
  title: string;
  aspect: Aspect;
  style: string;
  sceneCount: number;
  imagesReady: number;
  estimatedSeconds: number | null;
  coverUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewProject {
  title: string;
  story: string;
  targetSeconds: number;
  aspect: Aspect;
  style: string;
}

export type ProjectPatch = Partial<{
  title: string;
  story: string;
  targetSeconds: number;
  aspect: Aspect;
  style: string;
  voice: Partial<Voice>;
  music: Partial<Music> | null;
}>;

export interface Style {
  id: string;
  label: string;
  swatches: string[];
}

export const JOB_STEPS = ['images', 'narrate', 'align', 'captions', 'music', 'render', 'polish'] as const;
export type JobStep = (typeof JOB_STEPS)[number];
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface RenderOptions {
  quality: 'draft' | 'standard' | 'high';
  resolution: '720p' | '1080p';
  /** What the polish step does (upscale, interpolate, denoise); null or false: no polish. */
  polish: boolean | { upscale?: string; interpolate?: boolean; denoise?: string } | null;
  gif: boolean;
}

export interface Job {
  id: string;
  projectId: string;
  status: JobStatus;
  stage: string;
  progress: number;
  steps: Record<JobStep, { status: StepStatus; attempts: number; error?: string }>;
  options: RenderOptions;
  error: string | null;
  result: {
    videoPath: string;
    posterPath: string | null;
    gifPath: string | null;
    captions: { srt: string; vtt: string; ass: string } | null;
    durationSeconds: number;
    width: number;
    height: number;
  } | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  version: number;
}

export interface JobLog {
  seq: number;
  at: string;
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** Short-lived links to a finished job's files. */
export interface JobMedia {
  videoUrl: string;
  posterUrl: string | null;
  gifUrl: string | null;
  captions: { vttUrl: string; srtUrl: string } | null;
  expiresAt: string;
}

export interface Publication {
  publicId: string;
  shareUrl: string;
  videoUrl: string;
  jobId: string;
  publishedAt: string;
  updatedAt: string;
}

export interface VoiceInfo {
  id: string;
  label: string;
  language: string;
  gender: 'male' | 'female';
  engine: string;
  reads: string[];
  sample: string;
}

export interface Mood {
  id: string;
  label: string;
  description: string;
  key: string;
  mode: string;
  tempo: { min: number; max: number };
  drums: boolean;
}

export interface UploadSession {
  id: string;
  uploadUrl: string;
  size: number;
  offset: number;
  percent: number;
  chunkSize: number;
  minChunkSize: number;
  status: 'open' | 'completing' | 'completed' | 'failed' | 'expired';
  upload: StoredUpload | null;
  error: { code: string; message: string } | null;
}

export interface StoredUpload {
  uploadId: string;
  path: string;
  thumbPath: string | null;
  kind: 'image' | 'audio';
  contentType: string;
  width: number | null;
  height: number | null;
  bytes: number;
}

export interface Quota {
  plan: 'free' | 'pro' | 'enterprise';
  limit: number;
  used: number;
  remaining: number;
  resetsAt: string;
  /** Movies made today with the user's own keys: counted, not charged. */
  byoKeyUsage: number;
  /** Provider calls made today with the user's own keys, per provider. */
  byoCalls: Record<KeyProvider, number>;
}

export const KEY_PROVIDERS = ['gemini', 'fal', 'elevenlabs', 'google-cloud'] as const;
export type KeyProvider = (typeof KEY_PROVIDERS)[number];

export interface StoredKey {
  provider: KeyProvider;
  last4: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** What the provider said when the key was stored or last tested. */
  status: 'verified' | 'rejected' | 'not verified';
}

export interface Sli {
  days: number;
  renderSuccessRate: number | null;
  renderP95Seconds: number | null;
  sharePageAvailability: number | null;
  sharePageP95Seconds: number | null;
  render: { total: number; ok: number; failed: number };
  sharePage: { total: number; ok: number; failed: number };
}
