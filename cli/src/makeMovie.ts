import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createBlobStore } from '@storyreel/shared';
import { apiClient } from './apiClient.js';
import { type RunningMesh, startMesh } from './mesh.js';
import { jobProgressBar } from './progressBar.js';
import { readStoryFile } from './storyFile.js';

export interface MakeOptions {
  out?: string;
  title?: string;
  voice?: string;
  speed?: number;
  aspect?: '16:9' | '9:16' | '1:1';
  music?: string;
  style?: string;
  seconds?: number;
  resolution?: '720p' | '1080p';
  quality?: 'draft' | 'standard' | 'high';
  user?: string;
  /** Publish the movie behind a share page (default true). */
  publish?: boolean;
}

interface Project {
  id: string;
  version: number;
  scenes: unknown[];
}

export interface JobResult {
  videoPath: string;
  posterPath: string | null;
  captions: { srt: string; vtt: string; ass: string } | null;
  durationSeconds: number;
  width: number;
  height: number;
}

interface Job {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  stage: string;
  progress: number;
  error?: string;
  result?: JobResult;
}

export interface MadeMovie {
  file: string;
  projectId: string;
  jobId: string;
  durationSeconds: number;
  watchUrl: string;
  shareUrl?: string;
  result: JobResult;
}

/** The user's path through the product, over the same HTTP API the wizard uses. */
export async function makeMovie(storyFile: string, options: MakeOptions, running?: RunningMesh): Promise<MadeMovie> {
  const { title, story } = readStoryFile(storyFile, readFileSync(storyFile, 'utf8'));
  const mesh = running ?? (await startMesh());
  try {
    const api = apiClient(mesh.gatewayUrl, `dev:${options.user ?? 'local'}`, mesh.env.APP_CHECK_DEBUG_TOKEN);
    const created = await api.post<Project>('/compose/v1/projects', {
      title: options.title ?? title,
      story,
      aspect: options.aspect ?? '16:9',
      style: options.style ?? 'storybook',
      ...(options.seconds ? { targetSeconds: options.seconds } : {}),
    });
    const boarded = await api.post<Project>(`/compose/v1/projects/${created.id}/storyboard`);
    await api.patch<Project>(`/compose/v1/projects/${created.id}`, {
      version: boarded.version,
      voice: { id: options.voice ?? 'en-us-1', speed: options.speed ?? 1 },
      music: options.music === 'none' ? null : { mood: options.music ?? 'calm', volume: 0.35 },
    });
    process.stdout.write(`storyboard: ${boarded.scenes.length} scenes\n`);
    const { job } = await api.post<{ job: Job }>(`/compose/v1/projects/${created.id}/render`, {
      resolution: options.resolution ?? '720p',
      quality: options.quality ?? 'standard',
    });
    const bar = jobProgressBar();
    let current = job;
    while (current.status === 'queued' || current.status === 'running') {
      await new Promise((r) => setTimeout(r, 500));
      current = (await api.get<{ job: Job }>(`/compose/v1/jobs/${job.id}`)).job;
      bar.update(current.progress, current.stage);
    }
    bar.stop();
    if (current.status !== 'succeeded' || !current.result) {
      throw new Error(`the movie job ${current.status}: ${current.error ?? 'no result'}`);
    }
    const file = resolve(options.out ?? `out/${created.id}.mp4`);
    mkdirSync(dirname(file), { recursive: true });
    const blobs = createBlobStore(mesh.env);
    await blobs.getToFile(current.result.videoPath, file);
    const watchUrl = await blobs.signedUrl(current.result.videoPath, 7 * 24 * 3600);
    const published =
      options.publish === false
        ? undefined
        : await api.post<{ shareUrl: string }>(`/compose/v1/projects/${created.id}/publish`, { jobId: job.id });
    return {
      file,
      projectId: created.id,
      jobId: job.id,
      durationSeconds: current.result.durationSeconds,
      watchUrl,
      result: current.result,
      ...(published ? { shareUrl: published.shareUrl } : {}),
    };
  } finally {
    if (!running) await mesh.stop();
  }
}
