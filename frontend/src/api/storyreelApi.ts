import type { HttpClient } from './client';
import type {
  Job,
  JobLog,
  JobMedia,
  KeyProvider,
  Mood,
  NewProject,
  Project,
  ProjectPatch,
  ProjectSummary,
  Publication,
  Quota,
  RenderOptions,
  Scene,
  SceneEdit,
  Sli,
  StoredKey,
  StoredUpload,
  Style,
  VoiceInfo,
} from './types';

const enc = encodeURIComponent;

/** The typed calls the wizard makes, one per route it uses. */
export function storyreelApi(http: HttpClient) {
  return {
    http,
    styles: () => http.json<{ styles: Style[] }>('compose', 'GET', '/v1/styles').then((r) => r.styles),
    listProjects: () =>
      http.json<{ projects: ProjectSummary[] }>('compose', 'GET', '/v1/projects').then((r) => r.projects),
    createProject: (body: NewProject) => http.json<Project>('compose', 'POST', '/v1/projects', { body }),
    project: (id: string) => http.json<Project>('compose', 'GET', `/v1/projects/${enc(id)}`),
    patchProject: (id: string, version: number, patch: ProjectPatch) =>
      http.json<Project>('compose', 'PATCH', `/v1/projects/${enc(id)}`, { body: { version, ...patch } }),
    deleteProject: (id: string) => http.json<void>('compose', 'DELETE', `/v1/projects/${enc(id)}`),
    storyboard: (id: string, version?: number) =>
      http.json<Project>('compose', 'POST', `/v1/projects/${enc(id)}/storyboard`, {
        body: version === undefined ? {} : { version },
      }),
    editScenes: (id: string, version: number, scenes: SceneEdit[]) =>
      http.json<Project>('compose', 'PATCH', `/v1/projects/${enc(id)}/scenes`, { body: { version, scenes } }),
    drawImages: (id: string) =>
      http
        .json<{ generated: number; cached: number; project: Project }>(
          'compose',
          'POST',
          `/v1/projects/${enc(id)}/images`,
        )
        .then((r) => r.project),
    regenerateImage: (id: string, sceneId: string, change: { prompt?: string; reroll?: boolean } = {}) =>
      http.json<{ cached: boolean; version: number; scene: Scene }>(
        'compose',
        'POST',
        `/v1/projects/${enc(id)}/scenes/${enc(sceneId)}/image`,
        { body: change },
      ),
    setSceneImage: (id: string, sceneId: string, path: string) =>
      http.json<{ version: number; scene: Scene }>(
        'compose',
        'PUT',
        `/v1/projects/${enc(id)}/scenes/${enc(sceneId)}/image`,
        { body: { path } },
      ),

    render: (id: string, options: Partial<RenderOptions>) =>
      http
        .json<{ job: Job }>('compose', 'POST', `/v1/projects/${enc(id)}/render`, { body: options })
        .then((r) => r.job),
    projectJobs: (id: string) =>
      http.json<{ jobs: Job[] }>('compose', 'GET', `/v1/projects/${enc(id)}/jobs`).then((r) => r.jobs),
    job: (jobId: string) => http.json<{ job: Job }>('compose', 'GET', `/v1/jobs/${enc(jobId)}`).then((r) => r.job),
    jobLogs: (jobId: string) =>
      http.json<{ logs: JobLog[] }>('compose', 'GET', `/v1/jobs/${enc(jobId)}/logs`).then((r) => r.logs),
    jobMedia: (jobId: string) => http.json<JobMedia>('compose', 'GET', `/v1/jobs/${enc(jobId)}/media`),
    cancelJob: (jobId: string) =>
      http.json<{ job: Job }>('compose', 'POST', `/v1/jobs/${enc(jobId)}/cancel`).then((r) => r.job),
    retryJob: (jobId: string) =>
      http.json<{ job: Job }>('compose', 'POST', `/v1/jobs/${enc(jobId)}/retry`).then((r) => r.job),

    publish: (id: string, jobId: string) =>
      http.json<Publication>('compose', 'POST', `/v1/projects/${enc(id)}/publish`, { body: { jobId } }),
    publication: (id: string) => http.json<Publication>('compose', 'GET', `/v1/projects/${enc(id)}/publish`),
    unpublish: (id: string) => http.json<void>('compose', 'DELETE', `/v1/projects/${enc(id)}/publish`),

    voices: () => http.json<{ voices: VoiceInfo[] }>('narrate', 'GET', '/v1/voices').then((r) => r.voices),
    voicePreview: (voiceId: string, text: string, signal?: AbortSignal) =>
      http
        .fetch('narrate', 'POST', `/v1/voices/${enc(voiceId)}/preview`, { body: { text }, signal })
        .then((r) => r.blob()),
    moods: () => http.json<{ moods: Mood[] }>('music', 'GET', '/v1/moods').then((r) => r.moods),
    moodPreview: (moodId: string, signal?: AbortSignal) =>
      http.fetch('music', 'POST', `/v1/moods/${enc(moodId)}/preview`, { signal }).then((r) => r.blob()),

    ingestUrl: (projectId: string, url: string) =>
      http.json<StoredUpload>('upload', 'POST', '/v1/ingest-url', { body: { projectId, url } }),

    quota: () => http.json<Quota>('compose', 'GET', '/v1/quota'),
    keys: () => http.json<{ keys: StoredKey[] }>('api-key', 'GET', '/v1/keys').then((r) => r.keys),
    saveKey: (provider: KeyProvider, key: string) =>
      http.json<StoredKey>('api-key', 'PUT', `/v1/keys/${enc(provider)}`, { body: { apiKey: key } }),
    testKey: (provider: KeyProvider) => http.json<StoredKey>('api-key', 'POST', `/v1/keys/${enc(provider)}/test`),
    removeKey: (provider: KeyProvider) => http.json<void>('api-key', 'DELETE', `/v1/keys/${enc(provider)}`),
    sli: () => http.json<Sli>('compose', 'GET', '/v1/sli'),
  };
}

export type StoryreelApi = ReturnType<typeof storyreelApi>;
