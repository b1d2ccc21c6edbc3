import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { AppError, type BlobStore, isAppError, runFfmpeg, unprocessable } from '@storyreel/shared';
import { retimeAss } from './captionRetimer.js';
import { ENCODER_SETTINGS } from './encoderSettings.js';
import { buildExtras } from './extrasBuilder.js';
import type { LocalInputs } from './graphBuilder.js';
import type { Quality, RenderManifest } from './manifest.js';
import { type ManifestInput, manifestInputs } from './manifestInputs.js';
import { renderMovieFiles } from './movieRender.js';
import { type InputVersion, RENDERER_VERSION, renderKey } from './renderKey.js';
import type { SegmentPolicy } from './segmentPlan.js';
import { buildTimeline } from './timeline.js';

export type RenderStage = 'checking' | 'downloading' | 'rendering' | 'extras' | 'uploading' | 'done';

export interface RenderProgress {
  stage: RenderStage;
  /** 0-100 over the whole render, not the stage. */
  percent: number;
}

export interface RenderResult {
  videoPath: string;
  posterPath?: string;
  gifPath?: string;
  hlsPath?: string;
  thumbnailsPath?: string;
  thumbnailsVttPath?: string;
  /** One still per scene, in scene order. */
  sceneThumbnailPaths?: string[];
  durationSeconds: number;
  width: number;
  height: number;
  /** Where each scene is fully on screen: the times its narration and captions start. */
  sceneStartsSeconds: number[];
  /** The quality preset and what it means to the encoder (slower presets and lower CRF: better and slower). */
  encoder: { quality: Quality; preset: string; crf: number };
  renderKey: string;
  renderer: string;
  cached: boolean;
}

export interface RenderDeps {
  blobs: BlobStore;
  ffmpegPath?: string;
  /** How long movies are split (movieRender.ts); the default keeps a 10-minute movie under 1 GB. */
  segments?: Partial<SegmentPolicy>;
  /** Parent of each render's private temp folder; os.tmpdir() by default. */
  tempRoot?: string;
}

export interface RenderOptions {
  signal?: AbortSignal;
  onProgress?: (progress: RenderProgress) => void;
}

/** Per-stage share of the overall percentage: FFmpeg's encode is nearly all of the time. */
const STAGE_SPAN: Record<Exclude<RenderStage, 'done'>, [number, number]> = {
  checking: [0, 1],
  downloading: [1, 5],
  rendering: [5, 92],
  extras: [92, 96],
  uploading: [96, 100],
};

const DOWNLOAD_CONCURRENCY = 4;

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.vtt': 'text/vtt',
  '.json': 'application/json',
};

/**
 * Renders a manifest to `<outputPrefix>/<renderKey>/`: movie.mp4 (+ poster,
 * GIF, HLS, thumbnails), then render.json last, so a render.json always
 * describes outputs that exist. An identical manifest over unchanged inputs
 * finds that render.json and returns it without rendering.
 */
export async function renderMovie(
  manifest: RenderManifest,
  deps: RenderDeps,
  options: RenderOptions = {},
): Promise<RenderResult> {
  const report = (stage: RenderStage, stagePercent: number) => {
    if (stage === 'done') return options.onProgress?.({ stage, percent: 100 });
    const [from, to] = STAGE_SPAN[stage];
    options.onProgress?.({ stage, percent: Math.round(from + ((to - from) * stagePercent) / 100) });
  };
  report('checking', 0);
  const inputs = manifestInputs(manifest);
  const versions = await inputVersions(deps.blobs, inputs);
  const key = renderKey(manifest, versions);
  const outDir = `${manifest.outputPrefix}/${key}`;
  const resultPath = `${outDir}/render.json`;

  const stored = await storedResult(deps.blobs, resultPath);
  if (stored) {
    report('done', 100);
    return { ...stored, cached: true };
  }

  const workDir = await mkdtemp(join(deps.tempRoot ?? tmpdir(), 'render-'));
  try {
    report('downloading', 0);
    const local = await download(deps.blobs, inputs, workDir, () => report('downloading', 50));
    const localInputs = await prepareInputs(manifest, inputs, local, workDir);
    const names = describeLocalFiles(inputs, local, workDir);

    const files = {
      video: join(workDir, 'movie.mp4'),
      ...(manifest.outputs.poster ? { poster: join(workDir, 'poster.jpg') } : {}),
      ...(manifest.outputs.sceneThumbnails ? { sceneThumbnails: join(workDir, 'scenes') } : {}),
    };
    report('rendering', 0);
    const movie = await renderMovieFiles(manifest, localInputs, files, {
      workDir,
      ffmpegPath: deps.ffmpegPath,
      signal: options.signal,
      onProgress: (p) => report('rendering', p),
      describeInput: (file) => names.get(file) ?? file,
      ...(deps.segments ? { segments: deps.segments } : {}),
    }).catch((err: unknown) => {
      throw inTermsOfTheManifest(err, names);
    });

    const sceneCount = manifest.scenes.length;
    const result: RenderResult = {
      videoPath: `${outDir}/movie.mp4`,
      ...(files.poster ? { posterPath: `${outDir}/poster.jpg` } : {}),
      ...(files.sceneThumbnails
        ? { sceneThumbnailPaths: Array.from({ length: sceneCount }, (_, i) => `${outDir}/${sceneThumbnailName(i)}`) }
        : {}),
      durationSeconds: movie.timeline.durationSeconds,
      width: movie.size.width,
      height: movie.size.height,
      sceneStartsSeconds: movie.timeline.scenes.map((s) => s.startSeconds),
      encoder: { quality: manifest.quality, ...ENCODER_SETTINGS[manifest.quality] },
      renderKey: key,
      renderer: RENDERER_VERSION,
      cached: false,
    };

    const uploads = [{ local: files.video, gsPath: result.videoPath }];
    if (files.poster && result.posterPath) uploads.push({ local: files.poster, gsPath: result.posterPath });
    if (files.sceneThumbnails) {
      result.sceneThumbnailPaths?.forEach((gsPath, i) => {
        uploads.push({ local: join(workDir, sceneThumbnailName(i)), gsPath });
      });
    }
    uploads.push(
      ...(await makeExtras(manifest, result, files.video, workDir, deps, options, (p) => report('extras', p))),
    );

    report('uploading', 0);
    let uploaded = 0;
    for (const upload of uploads) {
      options.signal?.throwIfAborted();
      await deps.blobs.putFile(upload.gsPath, upload.local, { contentType: contentTypeOf(upload.local) });
      report('uploading', (++uploaded / uploads.length) * 100);
    }
    // Written last: its presence is what makes the outputs above a cache hit.
    await deps.blobs.put(resultPath, JSON.stringify(result, null, 2), { contentType: 'application/json' });
    report('done', 100);
    return result;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function inputVersions(blobs: BlobStore, inputs: readonly ManifestInput[]): Promise<InputVersion[]> {
  const missing: { field: string; path: string }[] = [];
  const versions = await Promise.all(
    inputs.map(async (input) => {
      const info = await blobs.stat(input.gsPath);
      if (!info) missing.push({ field: input.field, path: input.gsPath });
      return { gsPath: input.gsPath, size: info?.size ?? 0, updated: info?.updated ?? '' };
    }),
  );
  if (missing.length > 0) {
    throw unprocessable(`some inputs of the manifest do not exist: ${missing.map((m) => m.field).join(', ')}`, {
      fields: missing.map((m) => ({ field: m.field, message: `no object at ${m.path}` })),
    });
  }
  return versions;
}

async function storedResult(blobs: BlobStore, resultPath: string): Promise<RenderResult | null> {
  if (!(await blobs.exists(resultPath))) return null;
  let result: RenderResult;
  try {
    result = JSON.parse((await blobs.get(resultPath)).toString('utf8')) as RenderResult;
  } catch {
    return null;
  }
  // A result whose movie was deleted (lifecycle rule, manual clean-up) is rendered again.
  return (await blobs.exists(result.videoPath)) ? result : null;
}

/** Each distinct object once, under a name FFmpeg can read by extension. */
async function download(
  blobs: BlobStore,
  inputs: readonly ManifestInput[],
  workDir: string,
  onHalfway: () => void,
): Promise<Map<string, string>> {
  const local = new Map<string, string>();
  const distinct = [...new Set(inputs.map((i) => i.gsPath))];
  distinct.forEach((gsPath, i) => {
    const ext = extname(gsPath).toLowerCase();
    local.set(gsPath, join(workDir, `input-${i}${/^\.[a-z0-9]{1,5}$/.test(ext) ? ext : ''}`));
  });
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < distinct.length) {
      const gsPath = distinct[next++] as string;
      await blobs.getToFile(gsPath, local.get(gsPath) as string);
      if (++done === Math.ceil(distinct.length / 2)) onHalfway();
    }
  };
  await Promise.all(Array.from({ length: Math.min(DOWNLOAD_CONCURRENCY, distinct.length) }, worker));
  return local;
}

async function prepareInputs(
  manifest: RenderManifest,
  inputs: readonly ManifestInput[],
  local: ReadonlyMap<string, string>,
  workDir: string,
): Promise<LocalInputs> {
  const fileOf = (gsPath: string) => local.get(gsPath) as string;
  const narration = manifest.narration;
  let captions: string | undefined;
  if (manifest.captions?.assPath) {
    captions = fileOf(manifest.captions.assPath);
    if (manifest.captions.timeline === 'narration-track' && narration?.kind === 'track') {
      const timeline = buildTimeline(manifest.scenes, manifest.fps);
      const pieces = timeline.scenes.map((timing, i) => ({
        trackOffsetSeconds: narration.sceneOffsetsSeconds[i] ?? 0,
        movieStartSeconds: timing.startSeconds,
        slotSeconds: timing.slotSeconds,
      }));
      const retimed = retimeAss(await readFile(captions, 'utf8'), pieces);
      captions = join(workDir, 'captions.movie.ass');
      await writeFile(captions, retimed);
    }
  }
  return {
    images: inputs.filter((i) => i.role === 'image').map((i) => fileOf(i.gsPath)),
    ...(narration?.kind === 'per-scene'
      ? { narration: { kind: 'per-scene' as const, files: narration.paths.map((p) => (p ? fileOf(p) : null)) } }
      : {}),
    ...(narration?.kind === 'track' ? { narration: { kind: 'track' as const, file: fileOf(narration.path) } } : {}),
    ...(manifest.music ? { music: fileOf(manifest.music.path) } : {}),
    ...(captions ? { captions } : {}),
  };
}

/**
 * Local name -> what the caller calls it (`scenes.1.imagePath gs://…`);
 * the inputs before the work dir that contains them.
 */
function describeLocalFiles(
  inputs: readonly ManifestInput[],
  local: ReadonlyMap<string, string>,
  workDir: string,
): Map<string, string> {
  const names = new Map<string, string>();
  for (const input of inputs) {
    const file = local.get(input.gsPath) as string;
    if (!names.has(file)) names.set(file, `${input.field} (${input.gsPath})`);
  }
  return names.set(workDir, '<render>');
}

/** FFmpeg names the temp files it choked on; the caller knows them by their manifest fields. */
function inTermsOfTheManifest(err: unknown, names: ReadonlyMap<string, string>): unknown {
  if (!isAppError(err) || err.code !== 'internal') return err;
  let message = err.message;
  for (const [file, gsPath] of names) message = message.split(file).join(gsPath);
  const details = err.details as { stderrTail?: string } | undefined;
  let tail = details?.stderrTail ?? '';
  for (const [file, gsPath] of names) tail = tail.split(file).join(gsPath);
  return new AppError('internal', message, { ...(details ?? {}), stderrTail: tail });
}

/** GIF, thumbnails and HLS, made from the finished MP4 in one more FFmpeg run; returns what to upload. */
async function makeExtras(
  manifest: RenderManifest,
  result: RenderResult,
  video: string,
  workDir: string,
  deps: RenderDeps,
  options: RenderOptions,
  onPercent: (percent: number) => void,
): Promise<{ local: string; gsPath: string }[]> {
  const { gif, thumbnails, hls } = manifest.outputs;
  const outDir = result.videoPath.slice(0, result.videoPath.lastIndexOf('/'));
  const partial = {
    gif: join(workDir, 'preview.partial.gif'),
    thumbnails: join(workDir, 'thumbnails.partial.jpg'),
    hls: join(workDir, 'hls.partial'),
  };
  const final = {
    gif: join(workDir, 'preview.gif'),
    thumbnails: join(workDir, 'thumbnails.jpg'),
    hls: join(workDir, 'hls'),
  };
  const command = buildExtras({
    video,
    durationSeconds: result.durationSeconds,
    size: { width: result.width, height: result.height },
    fps: manifest.fps,
    ...(gif ? { gif: partial.gif } : {}),
    ...(thumbnails ? { thumbnails: partial.thumbnails } : {}),
    ...(hls ? { hlsDir: partial.hls } : {}),
  });
  if (!command) return [];
  onPercent(0);
  if (hls) await mkdir(partial.hls);
  const wanted = (['gif', 'thumbnails', 'hls'] as const).filter((k) => manifest.outputs[k]);
  await runFfmpeg(command.args, {
    ffmpegPath: deps.ffmpegPath,
    durationSeconds: result.durationSeconds,
    onProgress: onPercent,
    signal: options.signal,
    outputs: wanted.map((k) => ({ partial: partial[k], final: final[k] })),
  });
  const uploads: { local: string; gsPath: string }[] = [];
  if (gif) {
    result.gifPath = `${outDir}/preview.gif`;
    uploads.push({ local: final.gif, gsPath: result.gifPath });
  }
  if (thumbnails && command.thumbnailsVtt) {
    const vtt = join(workDir, 'thumbnails.vtt');
    await writeFile(vtt, command.thumbnailsVtt);
    result.thumbnailsPath = `${outDir}/thumbnails.jpg`;
    result.thumbnailsVttPath = `${outDir}/thumbnails.vtt`;
    uploads.push(
      { local: final.thumbnails, gsPath: result.thumbnailsPath },
      { local: vtt, gsPath: result.thumbnailsVttPath },
    );
  }
  if (hls) {
    for (const name of (await readdir(final.hls)).sort()) {
      uploads.push({ local: join(final.hls, name), gsPath: `${outDir}/hls/${name}` });
    }
    result.hlsPath = `${outDir}/hls/index.m3u8`;
  }
  return uploads;
}

/** Scene thumbnails sit in `scenes/` beside the movie (and in the work dir), numbered from 0 in scene order. */
function sceneThumbnailName(scene: number): string {
  return `scenes/scene-${String(scene).padStart(3, '0')}.jpg`;
}

function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}
