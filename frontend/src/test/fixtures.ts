import type { Job, Project, Scene } from '../api/types';

export const scene = (id: string, text: string, extra: Partial<Scene> = {}): Scene => ({
  id,
  text,
  imagePrompt: `prompt of ${text}`,
  durationSeconds: 4,
  motion: 'zoom-in',
  transition: { type: 'fade', durationSeconds: 0.8 },
  seed: 7,
  imagePath: `gs://media/users/u/projects/p1/images/${id}.jpg`,
  imageUrl: `/blobs/media/${id}.jpg`,
  ...extra,
});

export const project = (extra: Partial<Project> = {}): Project => ({
  id: 'p1',
  version: 3,
  title: 'The Fox',
  story: 'A fox. A star. The sea.',
  language: 'en',
  languageDetected: true,
  targetSeconds: 60,
  aspect: '16:9',
  style: 'storybook',
  voice: { id: 'en-us-1', speed: 1 },
  music: { mood: 'calm', volume: 0.35 },
  captions: { style: 'karaoke', position: 'bottom' },
  scenes: [
    scene('s1', 'A small red fox lived at the edge of a forest.'),
    scene('s2', 'She watched the stars.'),
    scene('s3', 'She found the sea.'),
  ],
  storyboard: null,
  createdAt: '2026-12-07T06:00:00.000Z',
  updatedAt: '2026-12-07T06:00:00.000Z',
  ...extra,
});

const steps = (status: Job['steps']['images']['status']) =>
  Object.fromEntries(
    ['images', 'narrate', 'align', 'captions', 'music', 'render', 'polish'].map((s) => [s, { status, attempts: 0 }]),
  ) as Job['steps'];

export const job = (extra: Partial<Job> = {}): Job => ({
  id: 'j1',
  projectId: 'p1',
  status: 'running',
  stage: 'narrate',
  progress: 30,
  steps: { ...steps('pending'), images: { status: 'done', attempts: 1 }, narrate: { status: 'running', attempts: 1 } },
  options: { quality: 'draft', resolution: '720p', polish: null, gif: false },
  error: null,
  result: null,
  createdAt: '2026-12-07T06:00:00.000Z',
  updatedAt: '2026-12-07T06:00:00.000Z',
  startedAt: '2026-12-07T06:00:00.000Z',
  finishedAt: null,
  version: 4,
  ...extra,
});

export const madeJob = (extra: Partial<Job> = {}) =>
  job({
    status: 'succeeded',
    stage: 'done',
    progress: 100,
    steps: steps('done'),
    result: {
      videoPath: 'gs://media/m.mp4',
      posterPath: 'gs://media/p.jpg',
      gifPath: null,
      captions: { srt: 'gs://media/c.srt', vtt: 'gs://media/c.vtt', ass: 'gs://media/c.ass' },
      durationSeconds: 17,
      width: 1280,
      height: 720,
    },
    ...extra,
  });
