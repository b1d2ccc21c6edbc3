#!/usr/bin/env node
// The render benchmark: `npm run bench` (it runs scripts/setup.sh first, so a fresh clone needs nothing else).
//
// Builds a fixed 60-second, 12-scene movie (stills drawn with sharp, narration
// spoken by espeak-ng, a music bed, karaoke captions) in a temp folder and
// renders it at 720p and 1080p through the render service's renderer
// (services/render/dist/movieRender.js, the code the service runs), and, in
// the same run, through a minimal hand-written FFmpeg command with the same
// inputs, effects and encoder settings: the lower bound. Then a 46-scene,
// 10-minute movie at 720p, for the memory target.
//
// Peak RSS is the most memory the FFmpeg processes of a render held at once
// (their VmRSS summed, sampled every 50 ms from /proc), and, as a bound that
// sampling cannot miss, the sum of the high-water marks (VmHWM) of the
// processes alive at the same time.
//
// Last, the whole product path at 720p: samples/lighthouse.txt asked for as a
// 60-second movie through a fresh local mesh (its own ports and data folder,
// so no cache helps), over the HTTP API the wizard uses, with the time of each
// step of the movie job.
//
//   npm run bench                     everything (about 8 minutes on 2 vCPUs)
//   npm run bench -- --skip-long      without the 10-minute movie
//   npm run bench -- --runs 3         repeat each 60 s render (the median is printed)
//   npm run bench -- --skip-story     without the story -> MP4 run
//   npm run bench -- --skip-render    without the 60 s renders
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const skipLong = args.includes('--skip-long');
const skipStory = args.includes('--skip-story');
const skipRender = args.includes('--skip-render');
const RESOLUTIONS = skipRender ? [] : ['720p', '1080p'];
const runs = Math.max(1, Number(args[args.indexOf('--runs') + 1]) || 1);

const { renderMovieFiles } = await import(join(root, 'services/render/dist/movieRender.js'));
const { RenderManifest } = await import(join(root, 'services/render/dist/manifest.js'));
const { ENCODER_SETTINGS } = await import(join(root, 'services/render/dist/encoderSettings.js'));
const { default: sharp } = await import('sharp');

const GIB = 1024 ** 3;
const FPS = 30;
const FADE = 0.5;
const QUALITY = 'standard';
const work = mkdtempSync(join(tmpdir(), 'storyreel-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// ---------------------------------------------------------------- inputs

const LINES = [
  'The lighthouse keeper climbed the stairs at dusk.',
  'Far below, the sea was restless and grey.',
  'A small boat rounded the rocks without a light.',
  'She lit the great lamp and turned the lens.',
  'The beam swept across the water, slow and bright.',
  'On the boat, a child looked up and waved.',
  'The keeper waved back, though no one could see.',
  'The wind rose, and the waves grew taller.',
  'The boat found the channel, guided by the light.',
  'At the harbour, lanterns answered one by one.',
  'The keeper wrote the night into her log.',
  'And when the sun came up, she finally slept.',
];
/** Stills of many shapes: wide, tall, square, larger and smaller than the frame. */
const SHAPES = [
  [1600, 900],
  [1200, 1600],
  [1000, 1000],
  [2400, 1000],
  [800, 600],
  [1920, 1080],
  [900, 1400],
  [3000, 2000],
  [640, 640],
  [1280, 720],
  [1500, 1100],
  [2000, 1500],
];
const MOTIONS = ['zoom-in', 'zoom-out', 'pan-left', 'pan-right', 'none'];

async function still(file, index, width, height) {
  const hue = (index * 47) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="hsl(${hue},60%,35%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},70%,65%)"/>
    </linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    ${Array.from({ length: 14 }, (_, k) => {
      const x = ((k * 137 + index * 53) % 100) / 100;
      const y = ((k * 71 + index * 29) % 100) / 100;
      const r = Math.min(width, height) * (0.04 + ((k * 13) % 9) / 80);
      return `<circle cx="${x * width}" cy="${y * height}" r="${r}" fill="hsl(${(hue + k * 25) % 360},80%,${40 + (k % 4) * 12}%)" fill-opacity="0.7"/>`;
    }).join('')}
    <text x="50%" y="50%" font-family="DejaVu Sans" font-size="${Math.min(width, height) / 8}" fill="white" text-anchor="middle">Scene ${index + 1}</text>
  </svg>`;
  await sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toFile(file);
  return file;
}

function speak(file, text) {
  execFileSync('espeak-ng', ['-s', '150', '-w', file, text]);
  return file;
}

function musicBed(file, seconds) {
  // A slow three-note pad with a pulse: something for the ducking to act on.
  const expr = '(0.18*sin(2*PI*220*t)+0.12*sin(2*PI*277.18*t)+0.1*sin(2*PI*329.63*t))*(0.7+0.3*sin(2*PI*0.5*t))';
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `aevalsrc=${expr}:s=48000:d=${seconds}`,
    '-ac',
    '2',
    file,
  ]);
  return file;
}

const stamp = (s) => {
  const cs = Math.round(s * 100);
  const p = (n) => String(n).padStart(2, '0');
  return `${Math.floor(cs / 360000)}:${p(Math.floor(cs / 6000) % 60)}:${p(Math.floor(cs / 100) % 60)}.${p(cs % 100)}`;
};

/** Karaoke captions as align-captions writes them (Karaoke preset, 16:9), one cue per scene at its start. */
function captions(file, lines, starts, hold) {
  const events = lines.map((line, i) => {
    const words = line.split(' ');
    const k = Math.floor((hold * 100 * 0.9) / words.length);
    const text = words.map((w) => `{\\k${k}}${w}`).join(' ');
    return `Dialogue: 0,${stamp(starts[i])},${stamp(starts[i] + hold)},Karaoke,,0,0,0,,${text}`;
  });
  writeFileSync(
    file,
    [
      '[Script Info]',
      'ScriptType: v4.00+',
      'WrapStyle: 0',
      'ScaledBorderAndShadow: yes',
      'PlayResX: 1280',
      'PlayResY: 720',
      '',
      '[V4+ Styles]',
      'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
      'Style: Karaoke,DejaVu Sans,43,&H00FFFFFF,&H0000D7FF,&H00000000,&H80000000,-1,0,0,0,100,100,0,0,1,3,1,2,64,64,50,1',
      '',
      '[Events]',
      'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
      ...events,
      '',
    ].join('\n'),
  );
  return file;
}

/** A movie of `sceneCount` scenes lasting `seconds`, with 0.5 s fades: its files and its manifest. */
async function makeMovie(name, sceneCount, seconds, resolution, quality) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const hold = (seconds - (sceneCount - 1) * FADE) / sceneCount;
  const starts = Array.from({ length: sceneCount }, (_, i) => i * (hold + FADE));
  const lines = Array.from({ length: sceneCount }, (_, i) => LINES[i % LINES.length]);
  const images = await Promise.all(
    lines.map((_, i) => {
      const [w, h] = SHAPES[i % SHAPES.length];
      return still(join(dir, `scene-${i}.jpg`), i, w, h);
    }),
  );
  const narration = lines.map((line, i) => speak(join(dir, `voice-${i}.wav`), line));
  const music = musicBed(join(dir, 'music.wav'), Math.min(seconds, 60));
  const ass = captions(join(dir, 'captions.ass'), lines, starts, hold);
  const media = 'gs://storyreel-media/users/bench/projects/bench';
  const manifest = RenderManifest.parse({
    version: 1,
    aspect: '16:9',
    resolution,
    fps: FPS,
    quality,
    scenes: lines.map((_, i) => ({
      imagePath: `${media}/images/${i}.jpg`,
      durationSeconds: hold,
      motion: MOTIONS[i % MOTIONS.length],
      fit: 'cover',
      transition: { type: 'fade', durationSeconds: FADE },
    })),
    narration: { kind: 'per-scene', paths: lines.map((_, i) => `${media}/voice/${i}.wav`) },
    music: { path: `${media}/music.wav`, volume: 0.3, duck: true },
    captions: { assPath: `${media}/captions.ass` },
    outputs: { poster: false },
    outputPrefix: `${media}/renders`,
  });
  return {
    dir,
    manifest,
    inputs: { images, narration: { kind: 'per-scene', files: narration }, music, captions: ass },
  };
}

// ---------------------------------------------------------------- the lower bound

/**
 * The same movie written by hand the plain way: each still scaled, cropped
 * and moved by zoompan, faded into the next with xfade, captions burned,
 * each narration delayed to its scene and mixed, the music looped and ducked
 * under it, loudness normalised; the same encoder settings and container.
 * None of the service's bookkeeping (slots, levelling, poster, checks).
 */
function lowerBoundArgs(movie, output) {
  const { manifest, inputs } = movie;
  const [w, h] = manifest.resolution === '1080p' ? [1920, 1080] : [1280, 720];
  const n = manifest.scenes.length;
  const hold = manifest.scenes[0].durationSeconds;
  const frames = (s) => Math.round(s * FPS);
  const total = hold * n + FADE * (n - 1);
  const graph = [];
  manifest.scenes.forEach((scene, i) => {
    const d = frames(hold + (i > 0 ? FADE : 0) + (i < n - 1 ? FADE : 0));
    const p = `on/${d - 1}`;
    const [z, x, y] = {
      'zoom-in': [`1+0.12*${p}`, '(iw-iw/zoom)/2', '(ih-ih/zoom)/2'],
      'zoom-out': [`1.12-0.12*${p}`, '(iw-iw/zoom)/2', '(ih-ih/zoom)/2'],
      'pan-left': ['1.12', `(iw-iw/zoom)*(1-${p})`, '(ih-ih/zoom)/2'],
      'pan-right': ['1.12', `(iw-iw/zoom)*${p}`, '(ih-ih/zoom)/2'],
      none: ['1', '0', '0'],
    }[scene.motion];
    graph.push(
      `[${i}:v]scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h},format=yuv444p,` +
        `zoompan=z=${z}:x=${x}:y=${y}:d=${d}:s=${w}x${h}:fps=${FPS}[v${i}]`,
    );
  });
  let last = 'v0';
  for (let i = 1; i < n; i++) {
    const offset = (i * (hold + FADE) - FADE).toFixed(4);
    graph.push(`[${last}][v${i}]xfade=transition=fade:duration=${FADE}:offset=${offset}[x${i}]`);
    last = `x${i}`;
  }
  graph.push(`[${last}]format=yuv420p,ass=${inputs.captions}[vout]`);
  inputs.narration.files.forEach((_, i) => {
    const ms = Math.round(i * (hold + FADE) * 1000);
    graph.push(`[${n + i}:a]adelay=${ms}|${ms}:all=1[n${i}]`);
  });
  graph.push(
    `${inputs.narration.files.map((_, i) => `[n${i}]`).join('')}amix=inputs=${n}:normalize=0,asplit[voice][key]`,
  );
  graph.push(`[${2 * n}:a]atrim=end=${total},volume=0.3[music]`);
  graph.push('[music][key]sidechaincompress=threshold=0.02:ratio=8[ducked]');
  graph.push(
    '[voice][ducked]amix=inputs=2:duration=first:normalize=0,aformat=sample_rates=48000,loudnorm=I=-14:TP=-1.5:LRA=11,aresample=48000[aout]',
  );
  const { preset, crf } = ENCODER_SETTINGS[manifest.quality];
  return [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'],
    ...inputs.images.flatMap((f) => ['-i', f]),
    ...inputs.narration.files.flatMap((f) => ['-i', f]),
    ...['-stream_loop', '-1', '-i', inputs.music],
    ...['-filter_complex', graph.join(';'), '-map', '[vout]', '-map', '[aout]', '-t', String(total)],
    ...['-c:v', 'libx264', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-preset', preset, '-crf', String(crf)],
    ...['-c:a', 'aac', '-b:a', '160k', '-ar', '48000', '-ac', '2', '-movflags', '+faststart', output],
  ];
}

function runLowerBound(movie, output) {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', lowerBoundArgs(movie, output), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`lower bound failed: ${stderr}`))));
  });
}

// ---------------------------------------------------------------- measuring

/** Samples the memory of this process's descendants (the FFmpeg runs) from /proc. */
function memorySampler() {
  const hwm = new Map();
  const cpuTicks = new Map();
  let peakSum = 0;
  let peakHwmSum = 0;
  let processes = 0;
  const status = (pid) => {
    try {
      const text = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
      return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
    } catch {
      return null;
    }
  };
  const descendants = () => {
    const parent = new Map();
    const ticks = new Map();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        parent.set(Number(entry), Number(fields[1]));
        ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
      } catch {
        // exited while we looked
      }
    }
    const mine = new Set([process.pid]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [pid, ppid] of parent) {
        if (!mine.has(pid) && mine.has(ppid)) {
          mine.add(pid);
          grew = true;
        }
      }
    }
    mine.delete(process.pid);
    for (const pid of mine) cpuTicks.set(pid, ticks.get(pid) ?? 0);
    return [...mine];
  };
  const sample = () => {
    let sum = 0;
    let hwmSum = 0;
    for (const pid of descendants()) {
      const s = status(pid);
      if (!s) continue;
      if (!hwm.has(pid)) processes++;
      hwm.set(pid, Math.max(hwm.get(pid) ?? 0, s.hwm));
      sum += s.rss;
      hwmSum += s.hwm;
    }
    peakSum = Math.max(peakSum, sum);
    peakHwmSum = Math.max(peakHwmSum, hwmSum);
  };
  const timer = setInterval(sample, 50);
  return {
    stop() {
      clearInterval(timer);
      // user + system time of the processes, as last seen (clock ticks of 1/100 s)
      const cpu = [...cpuTicks.values()].reduce((a, b) => a + b, 0) / 100;
      return { peakSum, peakHwmSum, processes, cpu };
    },
  };
}

function probeDuration(file) {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
  return Number(String(out).trim());
}

async function measure(label, seconds, render) {
  const sampler = memorySampler();
  const started = process.hrtime.bigint();
  const extra = await render();
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const memory = sampler.stop();
  return { label, seconds, wall, ...memory, ...(extra ?? {}) };
}

async function renderWithService(movie, name) {
  const workDir = mkdtempSync(join(work, `${name}-work-`));
  const video = join(work, `${name}.mp4`);
  const result = await renderMovieFiles(movie.manifest, movie.inputs, { video }, { workDir });
  const duration = probeDuration(video);
  rmSync(video, { force: true });
  return { segments: result.segmentCount, duration };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

// ---------------------------------------------------------------- the runs

const rows = [];
for (const resolution of RESOLUTIONS) {
  console.log(`bench: making the 60 s, 12-scene movie (${resolution})`);
  const movie = await makeMovie(`movie-${resolution}`, 12, 60, resolution, QUALITY);
  const lower = [];
  const ours = [];
  for (let r = 0; r < runs; r++) {
    // Alternated, so drift in a shared machine's speed hits both alike.
    console.log(`bench: ${resolution} run ${r + 1}/${runs}: lower bound`);
    lower.push(
      await measure('lower bound', 60, async () => {
        const out = join(work, 'lower.mp4');
        await runLowerBound(movie, out);
        const duration = probeDuration(out);
        rmSync(out, { force: true });
        return { segments: 1, duration };
      }),
    );
    console.log(`bench: ${resolution} run ${r + 1}/${runs}: render service`);
    ours.push(await measure('render', 60, () => renderWithService(movie, `render-${resolution}`)));
  }
  const pick = (list) => list.find((m) => m.wall === median(list.map((x) => x.wall)));
  const lowerRow = pick(lower);
  const ourRow = pick(ours);
  rows.push({ ...lowerRow, label: `${resolution} lower bound (hand-written)`, ratio: 1 });
  rows.push({ ...ourRow, label: `${resolution} render service`, ratio: ourRow.wall / lowerRow.wall });
}

let memoryOk = true;
if (!skipLong) {
  console.log('bench: making the 10-minute, 46-scene movie (720p draft)');
  const long = await makeMovie('movie-10min', 46, 600, '720p', 'draft');
  console.log('bench: rendering the 10-minute movie');
  const row = await measure('10 min', 600, () => renderWithService(long, 'render-10min'));
  memoryOk = row.peakHwmSum < GIB;
  rows.push({ ...row, label: '720p draft, 10 min, 46 scenes: render service' });
}

// ---------------------------------------------------------------- story -> MP4

/** The whole path a user takes, step by step: mesh start, project + storyboard, then each movie job step. */
async function storyToMovie() {
  const { startMesh } = await import(join(root, 'cli/dist/mesh.js'));
  const { makeMovie } = await import(join(root, 'cli/dist/makeMovie.js'));
  const { apiClient } = await import(join(root, 'cli/dist/apiClient.js'));
  const started = Date.now();
  const mesh = await startMesh({
    dataDir: join(work, 'story-data'),
    portOffset: 1500,
    extraEnv: { LOG_LEVEL: 'warn' },
  });
  const meshSeconds = (Date.now() - started) / 1000;
  try {
    const asked = Date.now();
    const made = await makeMovie(
      join(root, 'samples/lighthouse.txt'),
      { out: join(work, 'story.mp4'), seconds: 60, resolution: '720p', quality: QUALITY, publish: false },
      mesh,
    );
    const total = (Date.now() - asked) / 1000;
    const api = apiClient(mesh.gatewayUrl, 'dev:local', mesh.env.APP_CHECK_DEBUG_TOKEN);
    const { job } = await api.get(`/compose/v1/jobs/${made.jobId}`);
    const seconds = (from, to) => (Date.parse(to) - Date.parse(from)) / 1000;
    const steps = Object.entries(job.steps)
      .filter(([, step]) => step.startedAt && step.finishedAt)
      .map(([name, step]) => [name, seconds(step.startedAt, step.finishedAt)]);
    const jobSeconds = seconds(job.createdAt, job.finishedAt);
    return { meshSeconds, total, jobSeconds, steps, movieSeconds: made.durationSeconds };
  } finally {
    await mesh.stop();
  }
}

let story;
if (!skipStory) {
  console.log('bench: samples/lighthouse.txt as a 60 s movie at 720p through a fresh local mesh');
  story = await storyToMovie();
}

// ---------------------------------------------------------------- the table

const mb = (bytes) => `${Math.round(bytes / 1024 ** 2)} MB`;
const table = [
  ['render', 'movie', 'wall', 'realtime', 'vs lower bound', 'processes', 'peak RSS (sum)', 'peak HWM (sum)'],
  ...rows.map((r) => [
    r.label,
    `${r.duration.toFixed(2)} s`,
    `${r.wall.toFixed(1)} s`,
    `${(r.seconds / r.wall).toFixed(2)}x`,
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`,
    `${r.segments > 1 ? `${r.segments} seg + audio + join` : '1'}`,
    mb(r.peakSum),
    mb(r.peakHwmSum),
  ]),
];
const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
const line = (row) => `| ${row.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
console.log('');
console.log(
  `machine: ${cpus().length} vCPU ${cpus()[0]?.model ?? ''}, ${Math.round(totalmem() / GIB)} GB, Node ${process.versions.node}, ` +
    `${String(execFileSync('ffmpeg', ['-version'])).split('\n')[0]}, ${new Date().toISOString().slice(0, 10)}`,
);
console.log(line(table[0]));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of table.slice(1)) console.log(line(row));
console.log('');
for (const resolution of RESOLUTIONS) {
  const row = rows.find((r) => r.label === `${resolution} render service`);
  console.log(
    `target: ${resolution} render within 1.1x of the lower bound: ${row.ratio <= 1.1 ? 'met' : 'NOT met'} (${row.ratio.toFixed(2)}x)`,
  );
}
if (!skipLong) {
  console.log(`target: 10-minute movie under 1 GB peak memory: ${memoryOk ? 'met' : 'NOT met'}`);
  if (!memoryOk) process.exitCode = 1;
}
if (story) {
  console.log('');
  console.log(
    `story -> MP4, 720p ${QUALITY}, a ${story.movieSeconds.toFixed(1)} s movie (mesh start ${story.meshSeconds.toFixed(1)} s, not counted):`,
  );
  const rowsOfSteps = [
    ['project + storyboard + settings', story.total - story.jobSeconds],
    ...story.steps.map(([name, s]) => [`  job step: ${name}`, s]),
    ['  job total (queue to done)', story.jobSeconds],
    ['story -> MP4 on disk', story.total],
  ];
  const width = Math.max(...rowsOfSteps.map(([name]) => name.length));
  for (const [name, s] of rowsOfSteps) console.log(`  ${name.padEnd(width)}  ${s.toFixed(1)} s`);
  console.log(
    `target: a 60-second movie end to end at 720p under 45 s: ${story.total < 45 ? 'met' : 'NOT met'} (${story.total.toFixed(1)} s)`,
  );
}
