import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceUrl } from '@storyreel/config';
import { type BlobStore, COLLECTIONS, createBlobStore, createDocStore, type DocStore } from '@storyreel/shared';
import { probe } from '@storyreel/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient } from '../../../cli/src/apiClient.js';
import { type RunningMesh, startMesh } from '../../../cli/src/mesh.js';

/**
 * Faults in the local mesh (real services as processes, built dist/, two job
 * workers): a downstream service dies mid-job and comes back, two projects
 * render at once, FFmpeg crashes mid-render, the disk fills up during a
 * render. Needs the build (npm run build) first. Movies are two short sentences
 * at draft quality: the CPU is shared. The worker killed mid-render is
 * cli/test/movie.test.ts.
 */

type StepView = { status: string; attempts: number; error?: string };
interface JobView {
  id: string;
  status: string;
  stage: string;
  error: string | null;
  steps: Record<string, StepView>;
  result: { videoPath: string; width: number; height: number; captions: { srt: string } | null } | null;
}

const STORIES = {
  fox: 'The fox woke at dawn. She ran down to the sea.',
  owl: 'An old owl sat on the tower. Snow fell all night.',
};

let work: string;
let mesh: RunningMesh;
let docs: DocStore;
let blobs: BlobStore;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'storyreel-faults-'));
  mesh = await startMesh({
    dataDir: join(work, 'data'),
    // Not movie.test.ts's offset: the two meshes may run at once.
    portOffset: 1300,
    extraEnv: { LOG_LEVEL: 'warn', JOB_WORKER: 'off', JOB_LEASE_SECONDS: '6' },
  });
  // Two workers, so two jobs can run at once.
  mesh.startWorker();
  mesh.startWorker();
  docs = createDocStore(mesh.env);
  blobs = createBlobStore(mesh.env);
}, 120_000);

afterAll(async () => {
  await docs?.close();
  await mesh?.stop();
  rmSync(work, { recursive: true, force: true });
});

const userApi = (uid: string) => apiClient(mesh.gatewayUrl, `dev:${uid}`, mesh.env.APP_CHECK_DEBUG_TOKEN);

/** A storyboarded project, ready to render. */
async function readyProject(api: ApiClient, story: string, aspect: string): Promise<string> {
  const project = await api.post<{ id: string }>('/compose/v1/projects', { title: 'Fault', story, aspect });
  await api.post(`/compose/v1/projects/${project.id}/storyboard`);
  return project.id;
}

const startRender = async (api: ApiClient, projectId: string) =>
  (await api.post<{ job: JobView }>(`/compose/v1/projects/${projectId}/render`, { quality: 'draft' })).job.id;

const readJob = async (api: ApiClient, jobId: string) =>
  (await api.get<{ job: JobView }>(`/compose/v1/jobs/${jobId}`)).job;

const jobLog = async (api: ApiClient, jobId: string) =>
  (await api.get<{ logs: { message: string }[] }>(`/compose/v1/jobs/${jobId}/logs`)).logs.map((l) => l.message);

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const ended = (api: ApiClient, jobId: string, timeoutMs = 240_000) =>
  waitFor(
    `job ${jobId} to end`,
    async () => {
      const job = await readJob(api, jobId);
      return job.status === 'queued' || job.status === 'running' ? undefined : job;
    },
    timeoutMs,
  );

/** A dead instance on a service's port: every connection is accepted and dropped at once, and counted. */
async function deadService(port: number): Promise<{ connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    count += 1;
    socket.destroy();
  });
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
  return {
    connections: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const srtText = (srt: string) =>
  srt
    .split(/\r?\n/)
    .filter((l) => l.trim() && !/^\d+$/.test(l.trim()) && !l.includes('-->'))
    .join(' ');
const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];

describe('faults in the local mesh', () => {
  it('a downstream service that dies mid-job: its breaker opens, the step retries, the job finishes once it is back', async () => {
    const api = userApi('breaker');
    const projectId = await readyProject(api, STORIES.fox, '1:1');
    const jobId = await startRender(api, projectId);
    // Mid-job: a worker has it and is drawing images; the music step is still ahead.
    await waitFor(
      'the job to start',
      async () => ((await readJob(api, jobId)).status === 'running' ? true : undefined),
      60_000,
    );
    await mesh.stopService('music');
    const musicPort = Number(new URL(serviceUrl(mesh.env, 'music')).port);
    const dead = await deadService(musicPort);
    let restarted = false;
    try {
      expect((await readJob(api, jobId)).steps.music?.status).toBe('pending');
      const secondFailure = await waitFor(
        'the music step to fail twice',
        async () => {
          const job = await readJob(api, jobId);
          if (job.status === 'failed') throw new Error(`the job failed early: ${job.error}`);
          return (await jobLog(api, jobId)).find((m) => m.startsWith('music failed (try 2 of 3)'));
        },
        180_000,
      );
      // Two tries of three attempts would be six connections: the breaker opened after the fifth and failed fast.
      const reached = dead.connections();
      expect(reached).toBeGreaterThan(0);
      expect(reached).toBeLessThanOrEqual(5);
      // The wait before the last try covers the breaker's reset timeout, so that try gets through.
      const waitSeconds = Number(/trying again in ([\d.]+) s/.exec(secondFailure)?.[1]);
      expect(waitSeconds, secondFailure).toBeGreaterThanOrEqual(5);

      await dead.close();
      await mesh.startService('music');
      restarted = true;
      const end = await ended(api, jobId);
      expect(end.status, JSON.stringify(end)).toBe('succeeded');
      expect(end.steps.music).toMatchObject({ status: 'done', attempts: 3 });
      expect(dead.connections()).toBe(reached);
      expect(await blobs.exists(end.result?.videoPath ?? '')).toBe(true);
    } finally {
      if (!restarted) {
        await dead.close().catch(() => undefined);
        await mesh.startService('music');
      }
    }
  }, 300_000);

  it('two projects rendered at once each get their own, correct movie', async () => {
    const alice = userApi('alice');
    const bob = userApi('bob');
    const [foxProject, owlProject] = await Promise.all([
      readyProject(alice, STORIES.fox, '1:1'),
      readyProject(bob, STORIES.owl, '9:16'),
    ]);
    const [foxJob, owlJob] = await Promise.all([startRender(alice, foxProject), startRender(bob, owlProject)]);
    // Both running together: two workers, one job each.
    await waitFor(
      'both jobs to run at once',
      async () => {
        const [a, b] = await Promise.all([readJob(alice, foxJob), readJob(bob, owlJob)]);
        return a.status === 'running' && b.status === 'running' ? true : undefined;
      },
      60_000,
    );
    const [fox, owl] = await Promise.all([ended(alice, foxJob), ended(bob, owlJob)]);
    expect(fox.status, JSON.stringify(fox)).toBe('succeeded');
    expect(owl.status, JSON.stringify(owl)).toBe('succeeded');
    expect(fox.result?.videoPath).toContain(`/users/alice/projects/${foxProject}/`);
    expect(owl.result?.videoPath).toContain(`/users/bob/projects/${owlProject}/`);

    for (const [job, story, size] of [
      [fox, STORIES.fox, { width: 720, height: 720 }],
      [owl, STORIES.owl, { width: 720, height: 1280 }],
    ] as const) {
      const file = join(work, `${job.id}.mp4`);
      await blobs.getToFile(job.result?.videoPath ?? '', file);
      const video = (await probe(file)).streams.find((s) => s.codec_type === 'video');
      expect(video).toMatchObject({ codec_name: 'h264', ...size });
      const srt = (await blobs.get(job.result?.captions?.srt ?? '')).toString('utf8');
      expect(words(srtText(srt))).toEqual(words(story));
    }
  }, 300_000);

  /**
   * Renders a new project with render restarted on a broken FFmpeg (and its
   * own temp folder), then puts the real one back. The job must fail at its
   * render step with a readable error naming `cause`, record no render, leave
   * no object in the project's renders folder and nothing in the temp folder.
   */
  async function failedRender(uid: string, brokenFfmpeg: string[], cause: RegExp): Promise<string> {
    const fake = join(work, `ffmpeg-${uid}`);
    writeFileSync(fake, [...brokenFfmpeg, ''].join('\n'));
    chmodSync(fake, 0o755);
    const renderTmp = join(work, `render-tmp-${uid}`);
    mkdirSync(renderTmp);
    const api = userApi(uid);
    const projectId = await readyProject(api, STORIES.owl, '1:1');
    await mesh.stopService('render');
    await mesh.startService('render', { FFMPEG_PATH: fake, TMPDIR: renderTmp });
    try {
      const jobId = await startRender(api, projectId);
      const failed = await ended(api, jobId);
      expect(failed.status).toBe('failed');
      expect(failed.stage).toBe('render');
      expect(failed.steps.render).toMatchObject({ status: 'failed', attempts: 3 });
      const error = failed.error ?? '';
      expect(error).toMatch(/render/);
      expect(error).toMatch(/FFmpeg/);
      expect(error).toMatch(cause);
      expect(error.length).toBeLessThan(600);
      expect(error).not.toMatch(/\n\s+at |node_modules/);
      expect(failed.result).toBeNull();
      expect(await docs.get(COLLECTIONS.renders, jobId)).toBeNull();
      const renders = await blobs.list(`gs://${mesh.env.MEDIA_BUCKET}/users/${uid}/projects/${projectId}/renders/`);
      expect(renders.map((o) => o.path)).toEqual([]);
      expect(readdirSync(renderTmp)).toEqual([]);
      return jobId;
    } finally {
      await mesh.stopService('render');
      await mesh.startService('render');
    }
  }

  it('FFmpeg crashing mid-render fails the job with a readable error and records nothing as done', async () => {
    // The real FFmpeg starts writing, then dies of SIGSEGV half a second in (or at its end, if it was quicker).
    const jobId = await failedRender(
      'crash',
      [
        '#!/bin/sh',
        'case "$*" in *-version*) exec ffmpeg "$@";; esac',
        'ffmpeg "$@" &',
        'sleep 0.5',
        'kill -SEGV $! 2>/dev/null',
        'wait',
        'kill -SEGV $$',
      ],
      /SIGSEGV/,
    );

    // With FFmpeg whole again, a retry renders for real: nothing half-made was taken for a finished movie.
    const api = userApi('crash');
    await api.post(`/compose/v1/jobs/${jobId}/retry`);
    const again = await ended(api, jobId);
    expect(again.status, JSON.stringify(again)).toBe('succeeded');
    const file = join(work, 'retried.mp4');
    await blobs.getToFile(again.result?.videoPath ?? '', file);
    const info = await probe(file);
    expect(Number(info.format.duration)).toBeGreaterThan(1);
    expect(info.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
  }, 300_000);

  it('a full disk during render fails the job saying so, and records nothing as done', async () => {
    // The real FFmpeg, but the movie it writes goes to /dev/full, where every write fails with ENOSPC.
    await failedRender(
      'diskfull',
      [
        '#!/bin/sh',
        'for a do',
        '  shift',
        '  case "$a" in *movie.partial.mp4) a=/dev/full ;; esac',
        '  set -- "$@" "$a"',
        'done',
        'exec ffmpeg "$@"',
      ],
      /No space left on device/,
    );
  }, 300_000);
});
