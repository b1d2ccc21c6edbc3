import { contentHash, formatGsPath, unprocessable, type WordTiming } from '@storyreel/shared';
import type { Job, JobResult, PolishChoice, StepName } from './job.js';
import type { StepContext, StepDefinition } from './jobStep.js';
import type {
  CallOptions,
  CaptionFiles,
  MusicReply,
  NarratedScene,
  PolishReply,
  ProgressCallOptions,
  RenderBody,
  RenderReply,
} from './meshCalls.js';
import { movieTimeline } from './movieTimeline.js';

/**
 * The movie job's steps, in order. Each one calls its service and returns
 * its output, which the runner stores on the job; later steps read it there.
 * Outputs are content-hash keyed in the services, so a repeated call costs
 * nothing but comes back `cached: true`.
 */

interface StepOutputs {
  images: { scenes: { id: string; imagePath: string }[] };
  narrate: { scenes: (NarratedScene & { input: string })[] };
  /** Word timings of the scenes narration came without, by scene id. */
  align: { scenes: Record<string, { audioPath: string; words: WordTiming[] }> };
  captions: CaptionFiles;
  music: MusicReply;
  render: RenderReply;
  polish: PolishReply;
}

/** A finished step's output; undefined when it was skipped. */
function outputOf<N extends StepName>(job: Job, name: N): StepOutputs[N] | undefined {
  const step = job.steps[name];
  return step.status === 'done' ? (step.output as StepOutputs[N]) : undefined;
}

function required<N extends StepName>(job: Job, name: N): StepOutputs[N] {
  const output = outputOf(job, name);
  if (!output) throw new Error(`the ${name} step has not finished`);
  return output;
}

/** Scenes narrated per call: small enough to save progress often, large enough to keep calls few. */
const NARRATION_BATCH = 4;
const MIN_MUSIC_SECONDS = 5;
/** How often a render's or polish's own progress is read while it runs. */
const PROGRESS_POLL_MS = 1_000;
const SHORT_SIDE = { '720p': 720, '1080p': 1080 } as const;
/**
 * A movie asked for smooth motion is rendered at this rate: zoompan draws
 * every frame of a Ken Burns move exactly, at about twice the cost of 30 fps,
 * where motion interpolation afterwards (the polish service's minterpolate)
 * guesses them at 10-20 times the cost of the render.
 */
const SMOOTH_FPS = 60;

/** Frame size by the render service's rule: the short side is the resolution's line count. */
function frameSize(aspect: string, resolution: keyof typeof SHORT_SIDE) {
  const short = SHORT_SIDE[resolution];
  const long = Math.round((short * 16) / 9);
  if (aspect === '9:16') return { width: short, height: long };
  if (aspect === '1:1') return { width: short, height: short };
  return { width: long, height: short };
}

function timelineOf(job: Job) {
  const narrated = new Map((outputOf(job, 'narrate')?.scenes ?? []).map((s) => [s.id, s]));
  return movieTimeline(
    job.project.scenes.map((scene) => ({
      id: scene.id,
      transition: scene.transition,
      narrationSeconds: narrated.get(scene.id)?.durationSeconds ?? null,
    })),
  );
}

const outputPrefix = (ctx: Pick<StepContext, 'job' | 'mediaBucket'>) =>
  formatGsPath(ctx.mediaBucket, `users/${ctx.job.owner}/projects/${ctx.job.projectId}/renders/${ctx.job.id}`);

const images: StepDefinition = {
  name: 'images',
  weight: 15,
  async run(ctx) {
    const { job } = ctx;
    const drawn = await ctx.generateMissingImages({
      uid: job.owner,
      projectId: job.projectId,
      signal: ctx.signal,
      onProgress: (done, total) => ctx.progress(total ? done / total : 1),
    });
    const paths = new Map(drawn.scenes.map((s) => [s.id, s.imagePath]));
    const scenes = job.project.scenes.map((scene, i) => {
      const imagePath = paths.get(scene.id);
      // Edited or removed after the render was asked for: trying again will not help.
      if (!imagePath)
        throw unprocessable(`scene ${i + 1} has no current image: it changed after the render started; render again`);
      return { id: scene.id, imagePath };
    });
    await ctx.log(`images ready for ${scenes.length} scenes (${drawn.generated} drawn now)`);
    return { scenes } satisfies StepOutputs['images'];
  },
};

const narrate: StepDefinition = {
  name: 'narrate',
  weight: 20,
  skip: (job) => (job.project.scenes.some((s) => s.text.trim()) ? undefined : 'no scene has text to speak'),
  async run(ctx) {
    const { project } = ctx.job;
    const spoken = project.scenes.filter((s) => s.text.trim());
    const inputOf = (text: string) => contentHash({ text, voice: project.voice.id, speed: project.voice.speed });
    const done = new Map<string, StepOutputs['narrate']['scenes'][number]>();
    for (const scene of (ctx.saved as StepOutputs['narrate'] | undefined)?.scenes ?? []) done.set(scene.id, scene);
    const todo = spoken.filter((s) => done.get(s.id)?.input !== inputOf(s.text));
    if (todo.length < spoken.length)
      await ctx.log(`narration of ${spoken.length - todo.length} scenes kept from an earlier try`);
    for (let i = 0; i < todo.length; i += NARRATION_BATCH) {
      const batch = todo.slice(i, i + NARRATION_BATCH);
      const body = {
        projectId: project.id,
        voice: project.voice.id,
        speed: project.voice.speed,
        scenes: batch.map(({ id, text }) => ({ id, text })),
      };
      const reply = await ctx.calls.narrate(body, ctx.call(body));
      const texts = new Map(batch.map((s) => [s.id, s.text]));
      for (const scene of reply.scenes) done.set(scene.id, { ...scene, input: inputOf(texts.get(scene.id) ?? '') });
      await ctx.save({ scenes: [...done.values()] });
      ctx.progress((spoken.length - todo.length + i + batch.length) / spoken.length);
    }
    const scenes = spoken.map((s) => done.get(s.id)).filter((s) => s !== undefined);
    const cached = scenes.filter((s) => s.cached).length;
    await ctx.log(`narrated ${scenes.length} scenes (${cached} reused)`);
    return { scenes } satisfies StepOutputs['narrate'];
  },
};

const align: StepDefinition = {
  name: 'align',
  weight: 10,
  async run(ctx) {
    const { job } = ctx;
    const texts = new Map(job.project.scenes.map((s) => [s.id, s.text]));
    const unaligned = (outputOf(job, 'narrate')?.scenes ?? []).filter((s) => !s.words);
    const saved = (ctx.saved as StepOutputs['align'] | undefined)?.scenes ?? {};
    const scenes: StepOutputs['align']['scenes'] = {};
    for (const [i, narrated] of unaligned.entries()) {
      const kept = saved[narrated.id];
      if (kept?.audioPath === narrated.path) {
        scenes[narrated.id] = kept;
        continue;
      }
      const body = { audioPath: narrated.path, text: texts.get(narrated.id) ?? '', language: job.project.language };
      const reply = await ctx.calls.align(body, ctx.call(body));
      scenes[narrated.id] = { audioPath: narrated.path, words: reply.words };
      await ctx.save({ scenes: { ...saved, ...scenes } });
      ctx.progress((i + 1) / unaligned.length);
    }
    await ctx.log(
      unaligned.length
        ? `aligned words for ${unaligned.length} scenes`
        : 'narration came with word timings; nothing to align',
    );
    return { scenes } satisfies StepOutputs['align'];
  },
};

/** Each spoken scene's words, placed where the scene plays in the movie. */
function captionScenes(job: Job) {
  const spoken = new Map((outputOf(job, 'narrate')?.scenes ?? []).map((s) => [s.id, s.words]));
  const aligned = outputOf(job, 'align')?.scenes ?? {};
  return timelineOf(job).scenes.flatMap(({ id, offsetSeconds, durationSeconds }) => {
    const words = spoken.get(id) ?? aligned[id]?.words ?? [];
    return words.length ? [{ id, offsetSeconds, durationSeconds, words }] : [];
  });
}

const captions: StepDefinition = {
  name: 'captions',
  weight: 5,
  skip(job) {
    if (!job.project.captions) return 'captions are off for this project';
    return captionScenes(job).length ? undefined : 'there are no spoken words to caption';
  },
  async run(ctx) {
    const { job } = ctx;
    // skip() lets the step run only with captions on.
    const look = job.project.captions as NonNullable<Job['project']['captions']>;
    const body = {
      projectId: job.projectId,
      scenes: captionScenes(job),
      style: look.style,
      position: look.position,
      aspect: job.project.aspect,
      ...frameSize(job.project.aspect, job.options.resolution),
    };
    const reply = await ctx.calls.captions(body, ctx.call(body));
    await ctx.log(`${reply.cues} caption cues${reply.cached ? ' (reused)' : ''}`);
    return reply.paths satisfies StepOutputs['captions'];
  },
};

const music: StepDefinition = {
  name: 'music',
  weight: 10,
  skip: (job) => (job.project.music ? undefined : 'no music was chosen'),
  async run(ctx) {
    const { job } = ctx;
    // skip() lets the step run only with music chosen.
    const chosen = job.project.music as NonNullable<Job['project']['music']>;
    const body = {
      projectId: job.projectId,
      mood: chosen.mood,
      // The render loops or trims the soundtrack to the movie; the music service makes no piece under 5 s.
      durationSeconds: Math.max(MIN_MUSIC_SECONDS, Math.ceil(timelineOf(job).durationSeconds)),
      format: 'wav' as const,
    };
    const reply = await ctx.calls.music(body, ctx.call(body));
    await ctx.log(
      `soundtrack ${reply.cached ? 'reused' : 'composed'} (${body.mood}, ${body.durationSeconds.toFixed(1)} s)`,
    );
    return reply satisfies StepOutputs['music'];
  },
};

/** The render manifest (services/render/src/manifest.ts) of everything the earlier steps made. */
export function renderManifest(job: Job, prefix: string): RenderBody {
  const imagesOf = new Map(required(job, 'images').scenes.map((s) => [s.id, s.imagePath]));
  const narrationOf = new Map((outputOf(job, 'narrate')?.scenes ?? []).map((s) => [s.id, s.path]));
  const timeline = timelineOf(job);
  const captionFiles = outputOf(job, 'captions');
  const soundtrack = outputOf(job, 'music');
  const narration = job.project.scenes.map((s) => narrationOf.get(s.id) ?? null);
  return {
    version: 1,
    aspect: job.project.aspect,
    resolution: job.options.resolution,
    quality: job.options.quality,
    ...(job.options.polish?.interpolate ? { fps: SMOOTH_FPS } : {}),
    scenes: job.project.scenes.map((scene, i) => ({
      imagePath: imagesOf.get(scene.id) ?? '',
      durationSeconds: timeline.scenes[i]?.durationSeconds ?? 0,
      motion: scene.motion,
      fit: 'cover',
      transition: scene.transition,
    })),
    ...(narration.some((p) => p !== null) ? { narration: { kind: 'per-scene' as const, paths: narration } } : {}),
    ...(captionFiles ? { captions: { assPath: captionFiles.ass, timeline: 'movie' as const } } : {}),
    ...(soundtrack && job.project.music ? { music: { path: soundtrack.path, volume: job.project.music.volume } } : {}),
    outputs: { poster: true, gif: job.options.gif },
    outputPrefix: prefix,
  };
}

/**
 * Makes a long call that reports its progress under the job's id (render,
 * polish), reading that progress into the step's while the call runs.
 */
async function callWithProgress<T>(
  ctx: StepContext,
  input: unknown,
  call: (options: ProgressCallOptions) => Promise<T>,
  readProgress: (progressId: string, options: Omit<CallOptions, 'idempotencyKey'>) => Promise<{ percent: number }>,
): Promise<T> {
  const options = { ...ctx.call(input), progressId: ctx.job.id };
  let polling = false;
  const poll = setInterval(() => {
    if (polling) return;
    polling = true;
    readProgress(options.progressId, { signal: options.signal, user: options.user })
      .then(({ percent }) => ctx.progress(percent / 100))
      // Progress is a nicety: the call's own answer is what counts.
      .catch(() => undefined)
      .finally(() => {
        polling = false;
      });
  }, PROGRESS_POLL_MS);
  try {
    return await call(options);
  } finally {
    clearInterval(poll);
  }
}

const render: StepDefinition = {
  name: 'render',
  weight: 35,
  async run(ctx) {
    const body = renderManifest(ctx.job, outputPrefix(ctx));
    const reply = await callWithProgress(
      ctx,
      body,
      (options) => ctx.calls.render(body, options),
      ctx.calls.renderProgress,
    );
    await ctx.log(
      `rendered ${reply.durationSeconds.toFixed(1)} s at ${reply.width}x${reply.height}${reply.cached ? ' (reused)' : ''}`,
    );
    return reply satisfies StepOutputs['render'];
  },
};

/** What is left for the polish service: interpolation was done by rendering at 60 fps. */
function polishWork(job: Job): Omit<PolishChoice, 'interpolate'> | undefined {
  const { interpolate: _interpolate, ...rest } = job.options.polish ?? {};
  return rest.upscale || rest.denoise ? rest : undefined;
}

const polish: StepDefinition = {
  name: 'polish',
  weight: 15,
  skip(job) {
    if (!job.options.polish) return 'polish was not asked for';
    return polishWork(job) ? undefined : `the movie was rendered at ${SMOOTH_FPS} fps; nothing else to polish`;
  },
  async run(ctx) {
    // skip() lets the step run only with upscale or denoise asked for.
    const choice = polishWork(ctx.job) as NonNullable<ReturnType<typeof polishWork>>;
    const body = { videoPath: required(ctx.job, 'render').videoPath, ...choice };
    const reply = await callWithProgress(
      ctx,
      body,
      (options) => ctx.calls.polish(body, options),
      ctx.calls.polishProgress,
    );
    const done = [
      choice.upscale && `upscaled to ${reply.width}x${reply.height}`,
      choice.denoise && `denoised (${choice.denoise})`,
    ].filter(Boolean);
    await ctx.log(`polished: ${done.join(', ')}${reply.cached ? ' (reused)' : ''}`);
    return reply satisfies StepOutputs['polish'];
  },
};

export const MOVIE_STEPS: readonly StepDefinition[] = [images, narrate, align, captions, music, render, polish];

/** The movie a finished job made. */
export function movieResult(job: Job): JobResult {
  const rendered = required(job, 'render');
  const polished = outputOf(job, 'polish');
  return {
    videoPath: polished?.videoPath ?? rendered.videoPath,
    posterPath: rendered.posterPath ?? null,
    gifPath: rendered.gifPath ?? null,
    captions: outputOf(job, 'captions') ?? null,
    durationSeconds: rendered.durationSeconds,
    width: polished?.width ?? rendered.width,
    height: polished?.height ?? rendered.height,
  };
}
