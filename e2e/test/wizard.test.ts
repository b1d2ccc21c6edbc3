import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMesh, startMesh } from '../../cli/src/mesh.js';
import { REPO_ROOT } from '../../cli/src/repoRoot.js';
import { launchChromium, screenshotTaker, seriousViolations } from './wizardBrowser.js';

/**
 * The wizard in a real browser against the whole local mesh: story →
 * storyboard edits → voice → music → render → watch → publish → share page,
 * with axe-core on every screen and a screenshot of each step. Needs the
 * services built (`npm run build`); builds the frontend itself.
 */
const STORY = [
  'A small red fox lived at the edge of a quiet forest.',
  'Every night she watched the stars, wondering where they went at dawn.',
  'One morning she followed the last star over the hill, and found the sea.',
].join(' ');

const SCREENSHOTS = join(REPO_ROOT, '.out', 'screenshots', 'wizard');

describe('the wizard, story to share page, in chromium', () => {
  let mesh: RunningMesh;
  let work: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let shot: ReturnType<typeof screenshotTaker>;
  const problems: string[] = [];

  /** Screenshot and axe check of the screen as it is now; every finding is kept for one assertion at the end. */
  async function checkScreen(name: string) {
    await shot(page, name);
    for (const v of await seriousViolations(page)) {
      problems.push(`${name}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'storyreel-wizard-'));
    rmSync(SCREENSHOTS, { recursive: true, force: true });
    shot = screenshotTaker(SCREENSHOTS);
    // The production build, as Hosting serves it: dev auth (no Firebase config) and no baked-in debug token.
    const build = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build'], {
      cwd: join(REPO_ROOT, 'frontend'),
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
    mesh = await startMesh({ dataDir: join(work, 'data'), portOffset: 1500, extraEnv: { LOG_LEVEL: 'warn' } });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // No debug token is set here: the page asks the gateway for the mesh's, as it does under `npm start`.
    page = await context.newPage();
    console.log(`wizard screenshots: ${SCREENSHOTS}`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await mesh?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('walks every step and publishes a movie whose share page plays it', async () => {
    const serverErrors: string[] = [];
    page.on('response', (res) => {
      if (res.status() >= 500) serverErrors.push(`${res.status()} ${res.url()}`);
    });

    // Sign in (the local dev auth).
    await page.goto(mesh.gatewayUrl);
    await page.waitForURL(/\/signin$/);
    await checkScreen('signin');
    await page.getByLabel('Your name').fill('Wizard Walker');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    // Story.
    await page.waitForURL(/\/new$/);
    await page.getByLabel('Title').fill('The Fox and the Sea');
    await page.getByLabel('Your story').fill(STORY);
    await page.getByLabel('Target length').selectOption('30');
    await page.getByRole('radio', { name: /Vertical/ }).check();
    await expect.poll(() => page.getByText(/characters · \d+ words/).textContent()).toContain(`${STORY.length}`);
    await checkScreen('story');
    await page.getByRole('button', { name: 'Make the storyboard' }).click();

    // Storyboard: pictures drawn, one text edited, scenes reordered by keyboard.
    await page.waitForURL(/\/storyboard$/);
    const cards = page.locator('li.scene-card');
    await expect.poll(() => cards.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const pictured = async () => page.locator('li.scene-card img').count();
    /** Every scene card on screen shows its picture. */
    const allPictured = async () => {
      const scenes = await cards.count();
      return scenes > 0 && (await pictured()) === scenes;
    };
    await expect.poll(allPictured, { timeout: 60_000 }).toBe(true);
    const firstText = cards.nth(0).getByLabel('Narration');
    const edited = 'A small red fox lived alone at the edge of a quiet, snowy forest.';
    await firstText.fill(edited);
    const saved = page.waitForResponse((r) => r.url().endsWith('/scenes') && r.request().method() === 'PATCH');
    await cards.nth(0).getByRole('button', { name: 'Save text' }).click();
    expect((await saved).status()).toBe(200);
    await expect.poll(allPictured, { timeout: 60_000 }).toBe(true);
    const secondText = await cards.nth(1).getByLabel('Narration').inputValue();
    const moved = page.waitForResponse((r) => r.url().endsWith('/scenes') && r.request().method() === 'PATCH');
    await page.getByRole('button', { name: 'Move scene 1' }).focus();
    // dnd-kit measures the drop targets after the pick-up, so the keys come at a person's pace.
    for (const key of ['Space', 'ArrowRight', 'Space']) {
      await page.keyboard.press(key);
      await page.waitForTimeout(300);
    }
    expect((await moved).status()).toBe(200);
    await expect.poll(() => cards.nth(0).getByLabel('Narration').inputValue()).toBe(secondText);
    await expect.poll(() => cards.nth(1).getByLabel('Narration').inputValue()).toBe(edited);
    await cards.nth(0).getByLabel('Into next scene').selectOption('fade');
    // The last scene gets the user's own picture, through the resumable upload API.
    const last = cards.nth((await cards.count()) - 1);
    const ownPicture = await sharp({
      create: { width: 960, height: 540, channels: 3, background: { r: 255, g: 122, b: 89 } },
    })
      .png()
      .toBuffer();
    const adopted = page.waitForResponse(
      (r) => /\/scenes\/[^/]+\/image$/.test(r.url()) && r.request().method() === 'PUT',
    );
    await last.getByLabel(/^Upload a picture for scene/).setInputFiles({
      name: 'my-picture.png',
      mimeType: 'image/png',
      buffer: ownPicture,
    });
    expect((await adopted).status()).toBe(200);
    await expect.poll(() => last.locator('img').getAttribute('src')).toContain('/uploads/');
    await expect.poll(allPictured, { timeout: 60_000 }).toBe(true);
    await checkScreen('storyboard');

    // Voice: a preview of the first scene, then a choice.
    await page.getByRole('button', { name: 'Choose a voice' }).click();
    await page.waitForURL(/\/voice$/);
    const voiceCards = page.locator('.voice-card');
    await expect.poll(() => voiceCards.count()).toBeGreaterThan(1);
    const preview = page.waitForResponse((r) => /\/voices\/[^/]+\/preview$/.test(r.url()));
    await voiceCards
      .nth(1)
      .getByRole('button', { name: /^Play a preview/ })
      .click();
    const previewResponse = await preview;
    expect(previewResponse.status()).toBe(200);
    expect(JSON.parse(previewResponse.request().postData() ?? '{}').text).toContain(secondText.slice(0, 20));
    const voiceSaved = page.waitForResponse(
      (r) => /\/v1\/projects\/[^/]+$/.test(r.url()) && r.request().method() === 'PATCH',
    );
    await voiceCards.nth(1).getByRole('radio').check();
    expect((await voiceSaved).status()).toBe(200);
    await checkScreen('voice');

    // Music: a mood's preview, the mood, and its volume.
    await page.getByRole('button', { name: 'Choose music' }).click();
    await page.waitForURL(/\/music$/);
    await page.getByRole('radio', { name: /Calm/ }).check();
    const moodPreview = page.waitForResponse((r) => /\/moods\/calm\/preview$/.test(r.url()), { timeout: 60_000 });
    await page.getByRole('button', { name: 'Play a preview of Calm' }).click();
    expect((await moodPreview).status()).toBe(200);
    await checkScreen('music');

    // Render: draft quality; leaving and coming back shows the same job.
    await page.getByRole('button', { name: 'Make the movie' }).click();
    await page.waitForURL(/\/render$/);
    await page.getByRole('radio', { name: /Draft/ }).check();
    const started = page.waitForResponse((r) => r.url().endsWith('/render') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Make my movie' }).click();
    const jobId = ((await (await started).json()) as { job: { id: string } }).job.id;
    const progress = page.getByRole('progressbar', { name: 'Movie progress' });
    await expect
      .poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout: 60_000 })
      .toBeGreaterThan(0);
    await checkScreen('render-progress');
    const jobsReread = page.waitForResponse((r) => r.url().endsWith('/jobs'));
    await page.reload();
    const jobsRead = await jobsReread;
    expect(((await jobsRead.json()) as { jobs: { id: string }[] }).jobs[0]?.id).toBe(jobId);
    await page.getByRole('heading', { name: 'Your movie is ready' }).waitFor({ timeout: 240_000 });
    await page.getByText('Show the log').click();
    await expect.poll(() => page.locator('.job-log li').count()).toBeGreaterThan(2);
    await checkScreen('render-done');

    // Watch: the movie plays, with a captions track.
    await page.getByRole('button', { name: 'Watch your movie' }).click();
    await page.waitForURL(/\/watch$/);
    const video = page.locator('video');
    await video.waitFor();
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => (v.readyState >= 1 ? v.duration : 0)), { timeout: 30_000 })
      .toBeGreaterThan(5);
    const cues = await page.locator('track').evaluate(
      (t: HTMLTrackElement) =>
        new Promise<number>((resolve) => {
          t.track.mode = 'hidden';
          const count = () => t.track.cues?.length ?? 0;
          if (count() > 0) resolve(count());
          t.addEventListener('load', () => resolve(count()));
          setTimeout(() => resolve(count()), 5000);
        }),
    );
    expect(cues).toBeGreaterThan(0);
    const mp4 = await page.getByRole('link', { name: 'MP4 video' }).getAttribute('href');
    const download = await page.request.get(new URL(mp4 ?? '', mesh.gatewayUrl).toString());
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toBe('video/mp4');
    await checkScreen('watch');

    // Publish, then open the share page as a viewer would.
    await page.getByRole('button', { name: 'Publish and get a link' }).click();
    const shareInput = page.getByLabel('Share link');
    await shareInput.waitFor();
    const shareUrl = await shareInput.inputValue();
    expect(shareUrl).toMatch(/\/share\/[A-Za-z0-9_-]{10,}$/);
    await checkScreen('published');
    const viewer = await context.newPage();
    const shared = await viewer.goto(shareUrl);
    expect(shared?.status()).toBe(200);
    expect(await viewer.locator('meta[property="og:title"]').getAttribute('content')).toBe('The Fox and the Sea');
    const sharedVideo = viewer.locator('video');
    await expect
      .poll(() => sharedVideo.evaluate((v: HTMLVideoElement) => (v.readyState >= 1 ? v.duration : 0)), {
        timeout: 30_000,
      })
      .toBeGreaterThan(5);
    const sharePage = page;
    page = viewer;
    await checkScreen('share-page');
    page = sharePage;

    // My movies, at phone width.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'My movies' }).click();
    await page.locator('.movie-card').first().waitFor();
    await expect.poll(() => page.locator('.movie-card .badge').first().textContent()).toBe('Ready');
    await checkScreen('movies-phone');
    // The same movie's storyboard and player, on the phone.
    await page.getByRole('link', { name: 'Open' }).first().click();
    await page.waitForURL(/\/watch$/);
    await page.locator('video').waitFor();
    await checkScreen('watch-phone');
    await page.getByRole('link', { name: /Storyboard/ }).click();
    await page.waitForURL(/\/storyboard$/);
    await expect.poll(allPictured, { timeout: 30_000 }).toBe(true);
    await checkScreen('storyboard-phone');

    expect(serverErrors).toEqual([]);
    expect(problems).toEqual([]);
    expect(statSync(join(SCREENSHOTS, '01-signin.png')).size).toBeGreaterThan(10_000);
  }, 420_000);
});
