import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, type DocStore, unavailable } from '@storyreel/shared';
import { createTestService, type TestService } from '@storyreel/shared/testing';
import type { GenerateMissingImages, JobDeps, JobSettings, MeshCalls } from '../../src/jobs/index.js';
import { jobRoutes } from '../../src/jobs/index.js';
import type { Job } from '../../src/jobs/job.js';
import type { CallOptions } from '../../src/jobs/meshCalls.js';
import { PROJECTS, type ProjectData } from '../../src/projectModel.js';

export const MEDIA = 'storyreel-media';
export const silentLogger = createLogger('compose', 'silent');

/** Fast clocks so a whole job runs in milliseconds. */
export const FAST: Partial<JobSettings> = {
  leaseMs: 2_000,
  watchMs: 25,
  retryBaseMs: 40,
  pollMs: 20,
  events: { pollMs: 50, heartbeatMs: 100 },
};

export interface RecordedCall {
  name: string;
  body: unknown;
  options: CallOptions;
  at: number;
}

type Handlers = { [K in keyof MeshCalls]: MeshCalls[K] };

const path = (key: string) => `gs://${MEDIA}/users/alice/projects/${key}`;

/** Replies the way the real services would; tests replace single handlers to fail, hang or count. */
function defaultHandlers(): Handlers {
  return {
    narrate: async (body) => ({
      // Every other scene comes without word timings, so align has work to do.
      scenes: body.scenes.map((s, i) => ({
        id: s.id,
        path: path(`narration/${s.id}.wav`),
        durationSeconds: 1.5,
        words: i % 2 === 0 ? [{ text: s.text.split(' ')[0] ?? 'x', start: 0.1, end: 0.6 }] : null,
        cached: false,
      })),
    }),
    align: async (body) => ({ words: [{ text: body.text.split(' ')[0] ?? 'x', start: 0.2, end: 0.7 }], cached: false }),
    captions: async (body) => ({
      paths: { srt: path('captions/c.srt'), vtt: path('captions/c.vtt'), ass: path('captions/c.ass') },
      cues: body.scenes.length,
      cached: false,
    }),
    music: async () => ({ path: path('music/m.wav'), cached: false }),
    render: async (body) => ({
      videoPath: `${body.outputPrefix}/movie.mp4`,
      posterPath: `${body.outputPrefix}/poster.jpg`,
      durationSeconds: 9.5,
      width: 1280,
      height: 720,
      cached: false,
    }),
    renderProgress: async () => ({ percent: 0 }),
    polish: async (body) => ({
      videoPath: body.videoPath.replace(/movie\.mp4$/, 'polished/k1/movie.mp4'),
      width: body.upscale === '1080p' ? 1920 : 1280,
      height: body.upscale === '1080p' ? 1080 : 720,
      fps: 30,
      durationSeconds: 9.5,
      cached: false,
    }),
    polishProgress: async () => ({ percent: 0 }),
  };
}

/** MeshCalls that record every call and answer through replaceable handlers. */
export function fakeMesh() {
  const calls: RecordedCall[] = [];
  const handlers = defaultHandlers();
  const record =
    <K extends keyof MeshCalls>(name: K) =>
    (body: Parameters<MeshCalls[K]>[0], options: CallOptions) => {
      calls.push({ name, body, options, at: Date.now() });
      return (handlers[name] as (b: typeof body, o: CallOptions) => Promise<unknown>)(body, options);
    };
  const mesh = {
    narrate: record('narrate'),
    align: record('align'),
    captions: record('captions'),
    music: record('music'),
    render: record('render'),
    renderProgress: record('renderProgress'),
    polish: record('polish'),
    polishProgress: record('polishProgress'),
  } as MeshCalls;
  const images: GenerateMissingImages = async ({ projectId, onProgress }) => {
    calls.push({ name: 'images', body: { projectId }, options: undefined as never, at: Date.now() });
    const ids = sceneIds(projectId);
    for (let i = 1; i <= ids.length; i++) onProgress(i, ids.length);
    return { scenes: ids.map((id) => ({ id, imagePath: path(`images/${id}.png`) })), generated: ids.length };
  };
  return {
    mesh,
    images,
    calls,
    handlers,
    count: (name: string) => calls.filter((c) => c.name === name).length,
    names: () => calls.map((c) => c.name),
    deps: (settings: Partial<JobSettings> = FAST): JobDeps => ({
      calls: mesh,
      generateMissingImages: images,
      settings,
    }),
  };
}

export type FakeMesh = ReturnType<typeof fakeMesh>;

/** A handler that waits until the call is aborted (a step stuck in a long render). */
export const hangUntilAborted = (_body: unknown, options: CallOptions) =>
  new Promise<never>((_, reject) => {
    options.signal.addEventListener('abort', () => reject(options.signal.reason), { once: true });
  });

export const alwaysUnavailable = async () => {
  throw unavailable('music is unavailable', 1);
};

const projectScenes = new Map<string, string[]>();
const sceneIds = (projectId: string) => projectScenes.get(projectId) ?? [];

/** Stores a project of `scenes` scenes owned by `owner`. */
export async function seedProject(
  docs: DocStore,
  id: string,
  owner = 'alice',
  scenes = 4,
  extra: Partial<ProjectData> = {},
) {
  const at = new Date().toISOString();
  const ids = Array.from({ length: scenes }, (_, i) => `${id}-s${i}`);
  projectScenes.set(id, ids);
  const project: ProjectData = {
    owner,
    title: 'The lighthouse',
    story: 'A keeper lit the lamp.',
    language: 'en',
    languageDetected: true,
    targetSeconds: 30,
    aspect: '16:9',
    style: 'storybook',
    voice: { id: 'en-us-1', speed: 1 },
    music: { mood: 'calm', volume: 0.3 },
    captions: { style: 'karaoke', position: 'bottom' },
    scenes: ids.map((sceneId, i) => ({
      id: sceneId,
      text: `Scene ${i + 1} where the keeper climbs the stairs.`,
      imagePrompt: 'a lighthouse',
      durationSeconds: 3,
      motion: 'zoom-in',
      transition: { type: i % 2 ? 'cut' : 'fade', durationSeconds: i % 2 ? 0 : 0.8 },
      seed: i,
      imagePath: null,
    })),
    storyboard: null,
    createdAt: at,
    updatedAt: at,
    ...extra,
  };
  await docs.set(PROJECTS, id, project);
  return project;
}

export async function composeService(deps: JobDeps, envOverrides: Record<string, string> = {}): Promise<TestService> {
  return createTestService({ name: 'compose', routes: (ctx) => jobRoutes(ctx, deps), envOverrides });
}

/** Polls until `check` passes (or throws its last failure after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await sleep(15);
    }
  }
}

export async function jobOf(docs: DocStore, id: string): Promise<Job> {
  const doc = await docs.get<Job>('jobs', id);
  if (!doc) throw new Error(`job ${id} is missing`);
  return doc.data;
}

/** Waits for the job to reach one of the statuses. */
export function jobReaches(docs: DocStore, id: string, ...statuses: Job['status'][]) {
  return eventually(async () => {
    const job = await jobOf(docs, id);
    if (!statuses.includes(job.status)) throw new Error(`job ${id} is ${job.status}`);
    return job;
  });
}
