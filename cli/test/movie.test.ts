import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBlobStore } from '@storyreel/shared';
import { integratedLoudness, probe, rmsDb, topLevelAtoms } from '@storyreel/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../src/apiClient.js';
import { makeMovie } from '../src/makeMovie.js';
import { type RunningMesh, startMesh } from '../src/mesh.js';

/**
 * The whole product on one machine: the real services as separate processes
 * (built dist/), the gateway, the CLI's path through the HTTP API, and real
 * speech, captions, music and video. Needs `npm run build` first (the test
 * command runs it).
 */
const STORY = [
  'A small red fox lived at the edge of a quiet forest.',
  'Every night she watched the stars, wondering where they went at dawn.',
  'One morning she followed the last star over the hill, and found the sea.',
].join(' ');

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];

/** SRT cue text in order, without numbers and timestamps. */
function srtWords(srt: string): string[] {
  return words(
    srt
      .split(/\r?\n/)
      .filter((line) => line.trim() && !/^\d+$/.test(line.trim()) && !line.includes('-->'))
      .join(' '),
  );
}

function srtCues(srt: string): { start: number; end: number }[] {
  const t = (h: string, m: string, s: string, ms: string) =>
    Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000;
  return [...srt.matchAll(/(\d+):(\d+):(\d+),(\d+) --> (\d+):(\d+):(\d+),(\d+)/g)].map((m) => ({
    start: t(m[1]!, m[2]!, m[3]!, m[4]!),
    end: t(m[5]!, m[6]!, m[7]!, m[8]!),
  }));
}

describe('story to movie through the local mesh', () => {
  let mesh: RunningMesh;
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'storyreel-movie-'));
    // Its own ports and data folder: never joins a developer's running mesh.
    mesh = await startMesh({
      dataDir: join(work, 'data'),
      portOffset: 1000,
      extraEnv: { LOG_LEVEL: 'warn', JOB_WORKER: 'off', JOB_LEASE_SECONDS: '4' },
    });
  }, 120_000);

  afterAll(async () => {
    await mesh?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('makes a narrated, captioned, scored 9:16 movie and publishes it', async () => {
    const worker = mesh.startWorker();
    try {
      const storyFile = join(work, 'fox.txt');
      writeFileSync(storyFile, STORY);
      const movie = await makeMovie(
        storyFile,
        { out: join(work, 'fox.mp4'), aspect: '9:16', music: 'calm', quality: 'draft', title: 'The Fox' },
        mesh,
      );

      const info = await probe(movie.file);
      const video = info.streams.find((s) => s.codec_type === 'video');
      const audio = info.streams.find((s) => s.codec_type === 'audio');
      expect(video).toMatchObject({ codec_name: 'h264', width: 720, height: 1280 });
      expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
      const atoms = await topLevelAtoms(movie.file);
      expect(atoms.indexOf('moov')).toBeLessThan(atoms.indexOf('mdat'));

      // Captions: every story word, in order, and none past the movie's end.
      const blobs = createBlobStore(mesh.env);
      const captions = movie.result.captions;
      expect(captions).not.toBeNull();
      const srt = (await blobs.get(captions!.srt)).toString('utf8');
      expect(srtWords(srt)).toEqual(words(STORY));
      const ass = (await blobs.get(captions!.ass)).toString('utf8');
      expect(ass).toContain('[Events]');
      expect(words(ass.split('[Events]')[1] ?? '').join(' ')).toContain('small red fox');

      // The movie lasts as long as its narration (plus short pauses), not longer.
      const duration = Number(info.format.duration);
      const cues = srtCues(srt);
      const narrationEnd = Math.max(...cues.map((c) => c.end));
      expect(narrationEnd).toBeLessThanOrEqual(duration);
      expect(Math.abs(duration - narrationEnd) / narrationEnd).toBeLessThan(0.1);

      expect(Math.abs((await integratedLoudness(movie.file)) + 14)).toBeLessThan(1.5);

      // Music plays under the voice: the pause between the first two cues is not silent.
      const gaps = cues.slice(1).map((c, i) => ({ start: cues[i]!.end, length: c.start - cues[i]!.end }));
      const gap = gaps.sort((a, b) => b.length - a.length)[0];
      const probeAt = gap && gap.length > 0.25 ? gap.start + 0.05 : duration - 0.6;
      expect(await rmsDb(movie.file, probeAt, 0.2)).toBeGreaterThan(-45);

      // The share page unfurls with the movie's poster and video.
      expect(movie.shareUrl).toMatch(/\/share\/[A-Za-z0-9_-]{20,}$/);
      const page = await fetch(movie.shareUrl!);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<meta property="og:title" content="The Fox"');
      const videoUrl = /<meta property="og:video" content="([^"]+)"/.exec(html)?.[1];
      expect(videoUrl).toBeDefined();
      const published = await fetch(videoUrl!.replaceAll('&amp;', '&'));
      expect(published.status).toBe(200);
      expect(published.headers.get('content-type')).toBe('video/mp4');
      expect(Buffer.from(await published.arrayBuffer()).equals(readFileSync(movie.file))).toBe(true);
    } finally {
      worker.kill('SIGTERM');
    }
  }, 300_000);

  it('resumes a job in another worker after its worker is killed, without redoing finished steps', async () => {
    const api = apiClient(mesh.gatewayUrl, 'dev:killtest', mesh.env.APP_CHECK_DEBUG_TOKEN);
    const project = await api.post<{ id: string }>('/compose/v1/projects', {
      title: 'Resume',
      story: STORY,
      aspect: '1:1',
      style: 'noir',
    });
    const boarded = await api.post<{ version: number }>(`/compose/v1/projects/${project.id}/storyboard`);
    await api.patch(`/compose/v1/projects/${project.id}`, {
      version: boarded.version,
      music: { mood: 'dark', volume: 0.3 },
    });
    const { job } = await api.post<{ job: { id: string } }>(`/compose/v1/projects/${project.id}/render`, {
      quality: 'draft',
    });
    type StepView = { status: string; attempts: number; finishedAt?: string };
    type JobView = { status: string; stage: string; steps: Record<string, StepView>; result?: { videoPath: string } };
    const read = async () => (await api.get<{ job: JobView }>(`/compose/v1/jobs/${job.id}`)).job;

    const first = mesh.startWorker();
    let seen: JobView;
    const deadline = Date.now() + 120_000;
    do {
      await new Promise((r) => setTimeout(r, 50));
      seen = await read();
    } while (seen.stage !== 'render' && seen.status !== 'succeeded' && Date.now() < deadline);
    first.kill('SIGKILL');
    expect(seen.stage).toBe('render');
    const finished = Object.entries(seen.steps).filter(([, s]) => s.status === 'done');
    expect(finished.map(([name]) => name)).toEqual(expect.arrayContaining(['images', 'narrate', 'captions']));

    const second = mesh.startWorker();
    try {
      let end: JobView;
      do {
        await new Promise((r) => setTimeout(r, 250));
        end = await read();
      } while ((end.status === 'running' || end.status === 'queued') && Date.now() < deadline + 60_000);
      expect(end, JSON.stringify(end)).toMatchObject({ status: 'succeeded' });
      for (const [name, step] of finished) {
        expect(end.steps[name], name).toMatchObject({
          status: 'done',
          finishedAt: step.finishedAt,
          attempts: step.attempts,
        });
      }
      const blobs = createBlobStore(mesh.env);
      expect(await blobs.exists(end.result!.videoPath)).toBe(true);
    } finally {
      second.kill('SIGTERM');
    }
  }, 300_000);
});
