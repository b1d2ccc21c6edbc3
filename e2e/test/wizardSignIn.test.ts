import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMesh, startMesh } from '../../cli/src/mesh.js';
import { REPO_ROOT } from '../../cli/src/repoRoot.js';
import { launchChromium, screenshotTaker, seriousViolations } from './wizardBrowser.js';

/**
 * The wizard's Firebase sign-in, the way production signs in, against the
 * Firebase Auth emulator: the services verify the emulator's ID tokens
 * (AUTH_MODE=firebase). The Firebase build is served by `vite preview`
 * from its own folder (proxying /api to the mesh), so it never touches the
 * frontend/dist that the other wizard test builds.
 */
const AUTH_PORT = 9299;
const PREVIEW_PORT = 4273;
const SCREENSHOTS = join(REPO_ROOT, '.out', 'screenshots', 'wizard-signin');
const VITE = join(REPO_ROOT, 'node_modules/vite/bin/vite.js');

async function waitFor(url: string, child: ChildProcess, what: string, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} did not answer within ${seconds}s`);
}

function stop(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

describe('signing in to the wizard with Firebase Auth (emulator)', () => {
  let work: string;
  let emulator: ChildProcess | undefined;
  let preview: ChildProcess | undefined;
  let mesh: RunningMesh;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'storyreel-signin-'));
    writeFileSync(
      join(work, 'firebase.json'),
      JSON.stringify({
        emulators: {
          auth: { host: '127.0.0.1', port: AUTH_PORT },
          hub: { host: '127.0.0.1', port: 4498 },
          logging: { host: '127.0.0.1', port: 4598 },
          ui: { enabled: false },
          singleProjectMode: true,
        },
      }),
    );
    emulator = spawn(
      join(REPO_ROOT, 'node_modules/.bin/firebase'),
      ['emulators:start', '--only', 'auth', '--project', 'demo-storyreel'],
      { cwd: work, env: { ...process.env, HOME: work }, stdio: 'ignore' },
    );
    const emulatorUp = waitFor(`http://127.0.0.1:${AUTH_PORT}/`, emulator, 'the Auth emulator', 120);
    mesh = await startMesh({
      dataDir: join(work, 'data'),
      portOffset: 1600,
      extraEnv: { LOG_LEVEL: 'warn', AUTH_MODE: 'firebase', FIREBASE_AUTH_EMULATOR_HOST: `127.0.0.1:${AUTH_PORT}` },
    });
    const dist = join(work, 'dist');
    const firebaseEnv = {
      ...process.env,
      VITE_FIREBASE_API_KEY: 'emulator-api-key',
      VITE_FIREBASE_AUTH_DOMAIN: 'demo-storyreel.firebaseapp.com',
      VITE_FIREBASE_PROJECT_ID: 'demo-storyreel',
      VITE_FIREBASE_APP_ID: '1:1:web:1',
      VITE_FIREBASE_AUTH_EMULATOR_HOST: `127.0.0.1:${AUTH_PORT}`,
      VITE_APP_CHECK_DEBUG_TOKEN: mesh.env.APP_CHECK_DEBUG_TOKEN ?? '',
      STORYREEL_GATEWAY_URL: mesh.gatewayUrl,
    };
    const build = spawnSync(process.execPath, [VITE, 'build', '--mode', 'mesh', '--outDir', dist, '--emptyOutDir'], {
      cwd: join(REPO_ROOT, 'frontend'),
      env: firebaseEnv,
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
    preview = spawn(
      process.execPath,
      [
        VITE,
        'preview',
        '--mode',
        'mesh',
        '--outDir',
        dist,
        '--port',
        String(PREVIEW_PORT),
        '--strictPort',
        '--host',
        '127.0.0.1',
      ],
      { cwd: join(REPO_ROOT, 'frontend'), env: firebaseEnv, stdio: 'ignore' },
    );
    await waitFor(`http://127.0.0.1:${PREVIEW_PORT}/`, preview, 'vite preview', 60);
    await emulatorUp;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stop(preview);
    await mesh?.stop();
    await stop(emulator, 'SIGINT');
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('offers Google, an email link and a guest trial; a guest makes a storyboard with a verified ID token', async () => {
    const shot = screenshotTaker(SCREENSHOTS);
    console.log(`sign-in screenshots: ${SCREENSHOTS}`);
    await page.goto(`http://127.0.0.1:${PREVIEW_PORT}/`);
    await page.waitForURL(/\/signin$/);
    await expect.poll(() => page.getByRole('button', { name: 'Continue with Google' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Email me a sign-in link' }).count()).toBe(1);
    // The local dev sign-in is not offered when Firebase is configured.
    expect(await page.getByLabel('Your name').count()).toBe(0);
    await shot(page, 'signin-firebase');
    expect(await seriousViolations(page)).toEqual([]);

    const created = page.waitForRequest((r) => r.url().endsWith('/api/compose/v1/projects') && r.method() === 'POST');
    await page.getByRole('button', { name: 'Try it as a guest' }).click();
    await page.waitForURL(/\/new$/);
    await page.getByLabel('Title').fill('A Guest Story');
    await page.getByLabel('Your story').fill('A fox slept under the stars. At dawn she woke and ran to the sea.');
    await page.getByRole('button', { name: 'Make the storyboard' }).click();
    const idToken = (await created).headers().authorization?.replace(/^Bearer /, '') ?? '';
    // An emulator ID token of an anonymous user, which the services verified.
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ aud: 'demo-storyreel', firebase: { sign_in_provider: 'anonymous' } });
    await page.waitForURL(/\/storyboard$/);
    await expect.poll(() => page.locator('li.scene-card').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'Settings' }).click();
    expect(await page.getByText(/movies left today/).textContent()).toMatch(/10 of 10 movies left today/);
    await shot(page, 'settings-guest');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin$/);
  }, 120_000);
});
