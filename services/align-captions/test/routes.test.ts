import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestService, serviceHeaders, type TestService, userHeaders } from '@storyreel/shared/testing';
import * as Echogarden from 'echogarden';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dtwAligner } from '../src/adapters/dtwAligner.js';
import { alignCaptionsRoutes } from '../src/routes.js';

let svc: TestService;
let media: string;
const dir = mkdtempSync(join(tmpdir(), 'align-routes-'));
const TEXT = 'The fox ran home. It was late, and the moon was high.';

beforeAll(async () => {
  svc = await createTestService({ name: 'align-captions', routes: alignCaptionsRoutes(dtwAligner()) });
  media = svc.ctx.buckets.media;
  Echogarden.setGlobalOption('logLevel', 'warning');
  const speech = await Echogarden.synthesize(TEXT, {
    engine: 'espeak',
    voice: 'gmw/en-GB-x-rp',
    outputAudioFormat: { codec: 'wav' },
  });
  await svc.ctx.blobs.put(
    `gs://${media}/users/alice/projects/p1/narration/n1.wav`,
    Buffer.from(speech.audio as Uint8Array),
    { contentType: 'audio/wav' },
  );
});
afterAll(async () => {
  await svc.close();
  rmSync(dir, { recursive: true, force: true });
});

const align = (body: object, headers: Record<string, string> = userHeaders('alice')) =>
  supertest(svc.app).post('/v1/align').set(headers).send(body);

describe('POST /v1/align', () => {
  it('aligns stored audio to its text with punctuation kept, then reuses the alignment', async () => {
    const body = { audioPath: `gs://${media}/users/alice/projects/p1/narration/n1.wav`, text: TEXT, language: 'en' };
    const first = await align(body).expect(200);
    expect(first.body).toMatchObject({ cached: false, source: 'aligned' });
    expect(first.body.words.map((w: { text: string }) => w.text)).toEqual(TEXT.split(' '));
    const starts = first.body.words.map((w: { start: number }) => w.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const again = await align(body).expect(200);
    expect(again.body).toMatchObject({ cached: true, words: first.body.words });
  }, 60_000);

  it('returns given words without aligning', async () => {
    const words = [{ text: 'Hi.', start: 0, end: 0.4 }];
    const res = await align({
      audioPath: `gs://${media}/users/alice/projects/p1/narration/n1.wav`,
      text: 'Hi.',
      words,
    }).expect(200);
    expect(res.body).toEqual({ words, cached: false, source: 'given' });
  });

  it('refuses paths in other buckets or with traversal (400), before any read', async () => {
    for (const audioPath of [
      'gs://someone-elses-bucket/users/alice/a.wav',
      `gs://${media}/users/alice/../bob/a.wav`,
      '/etc/passwd',
    ]) {
      const res = await align({ audioPath, text: 'hello' }).expect(400);
      expect(res.body.error.code).toBe('invalid_argument');
    }
    // Also when words are given: the path is checked all the same.
    await align({ audioPath: 'gs://someone-elses-bucket/a.wav', text: 'hi', words: [] }).expect(400);
  });

  it("hides another user's audio (404) and missing audio (404)", async () => {
    await align(
      { audioPath: `gs://${media}/users/alice/projects/p1/narration/n1.wav`, text: 'hello' },
      userHeaders('bob'),
    ).expect(404);
    await align({ audioPath: `gs://${media}/users/alice/projects/p1/narration/none.wav`, text: 'hello' }).expect(404);
  });

  it('lets a mesh service read any media path, refuses callers without credentials (401) and bad bodies (422)', async () => {
    const body = { audioPath: `gs://${media}/users/alice/projects/p1/narration/n1.wav`, text: TEXT, language: 'en' };
    const res = await align(body, await serviceHeaders('align-captions')).expect(200);
    expect(res.body.cached).toBe(true);
    await supertest(svc.app).post('/v1/align').send(body).expect(401);
    const bad = await align({
      audioPath: body.audioPath,
      text: '  ',
      language: 'english please',
      words: [{ text: 'x', start: 2, end: 1 }],
    }).expect(422);
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'language',
      'text',
      'words.0.end',
    ]);
  });

  it('answers 422 for audio that is not audio', async () => {
    const path = `gs://${media}/users/alice/projects/p1/narration/junk.wav`;
    await svc.ctx.blobs.put(path, Buffer.from('not audio '.repeat(100)));
    const res = await align({ audioPath: path, text: 'hello there' }).expect(422);
    expect(res.body.error.message).toContain('could not be decoded');
  });
});

const w = (text: string, start: number, end: number) => ({ text, start, end });
const SCENES = [
  {
    id: 's1',
    offsetSeconds: 0,
    durationSeconds: 2.5,
    words: [w('The', 0.1, 0.3), w('fox', 0.35, 0.7), w('ran', 0.75, 1.1), w('home.', 1.15, 1.7)],
  },
  {
    id: 's2',
    offsetSeconds: 2.5,
    durationSeconds: 2,
    words: [w('It', 0.1, 0.3), w('was', 0.35, 0.6), w('{\\b1}late.', 0.65, 1.2)],
  },
];

function probePackets(file: string): number[] {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'packet=pts_time', '-of', 'json', file], {
    encoding: 'utf8',
  });
  return (JSON.parse(out) as { packets: { pts_time: string }[] }).packets.map((p) => Number(p.pts_time));
}

describe('POST /v1/captions', () => {
  it('writes SRT, VTT and ASS of the movie timeline that FFmpeg reads back, then reuses them', async () => {
    const body = { projectId: 'p1', scenes: SCENES, style: 'karaoke', aspect: '9:16' };
    const first = await supertest(svc.app).post('/v1/captions').set(userHeaders('alice')).send(body).expect(200);
    expect(first.body.cached).toBe(false);
    expect(first.body.cues).toBe(2);
    for (const ext of ['srt', 'vtt', 'ass'] as const) {
      const path: string = first.body.paths[ext];
      expect(path).toMatch(new RegExp(`^gs://${media}/users/alice/projects/p1/captions/[0-9a-f]{24}\\.${ext}$`));
      const file = join(dir, `captions.${ext}`);
      writeFileSync(file, await svc.ctx.blobs.get(path));
      // Second scene's cue starts at its offset: 2.5 + 0.1.
      expect(probePackets(file), ext).toEqual(ext === 'ass' ? [0.1, 0.35, 0.75, 1.15, 2.6, 2.85, 3.15] : [0.1, 2.6]);
    }
    const ass = (await svc.ctx.blobs.get(first.body.paths.ass)).toString('utf8');
    expect(ass).toContain('PlayResX: 720\nPlayResY: 1280\n');
    expect(ass).toContain('\\{\\\u2060b1\\}late.');
    const srt = (await svc.ctx.blobs.get(first.body.paths.srt)).toString('utf8');
    expect(srt).toContain('2\n00:00:02,600 --> ');

    const again = await supertest(svc.app).post('/v1/captions').set(userHeaders('alice')).send(body).expect(200);
    expect(again.body).toEqual({ ...first.body, cached: true });
  });

  it('accepts a single timeline and a frame size, and makes new files for another style', async () => {
    const body = {
      projectId: 'p1',
      timeline: { durationSeconds: 2.5, words: SCENES[0]!.words },
      style: 'clean',
      width: 1920,
      height: 1080,
    };
    const res = await supertest(svc.app).post('/v1/captions').set(userHeaders('alice')).send(body).expect(200);
    const ass = (await svc.ctx.blobs.get(res.body.paths.ass)).toString('utf8');
    expect(ass).toContain('PlayResX: 1920\nPlayResY: 1080\n');
    expect(ass).toContain('Style: Clean,DejaVu Sans,');
    const other = await supertest(svc.app)
      .post('/v1/captions')
      .set(userHeaders('alice'))
      .send({ ...body, style: 'bold-centre' })
      .expect(200);
    expect(other.body.paths.ass).not.toBe(res.body.paths.ass);
  });

  it('refuses ambiguous or inconsistent bodies (422), mesh calls for nobody (403) and no credentials (401)', async () => {
    const both = await supertest(svc.app)
      .post('/v1/captions')
      .set(userHeaders('alice'))
      .send({ projectId: 'p1', scenes: SCENES, timeline: { durationSeconds: 1, words: [] } })
      .expect(422);
    expect(both.body.error.details.fields[0].field).toBe('scenes');
    const mismatch = await supertest(svc.app)
      .post('/v1/captions')
      .set(userHeaders('alice'))
      .send({ projectId: 'p1', scenes: SCENES, aspect: '9:16', width: 1280, height: 720 })
      .expect(422);
    expect(mismatch.body.error.details.fields[0].field).toBe('aspect');
    await supertest(svc.app)
      .post('/v1/captions')
      .set(await serviceHeaders('align-captions'))
      .send({ projectId: 'p1', scenes: SCENES })
      .expect(403);
    await supertest(svc.app).post('/v1/captions').send({ projectId: 'p1', scenes: SCENES }).expect(401);
  });
});
