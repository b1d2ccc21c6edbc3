import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { open, rewrap, seal } from '../src/envelope.js';
import { localKek } from '../src/kek/localKek.js';

const dirs: string[] = [];
afterEach(async () => {
  while (dirs.length) await rm(dirs.pop() as string, { recursive: true, force: true });
});

async function kekPath() {
  const dir = await mkdtemp(join(tmpdir(), 'kek-test-'));
  dirs.push(dir);
  return join(dir, '.data', 'kek.json');
}

const SECRET = 'AIzaSyA-the-users-own-gemini-key-0123456';

describe('envelope encryption', () => {
  it('seals a secret under a fresh data key each time and opens it with the same context', async () => {
    const kek = localKek(await kekPath());
    const a = await seal(kek, SECRET, 'api_keys/alice/gemini');
    const b = await seal(kek, SECRET, 'api_keys/alice/gemini');
    expect(a.alg).toBe('AES-256-GCM');
    expect(a.wrappedKey).not.toBe(b.wrappedKey);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(JSON.stringify(a)).not.toContain(SECRET);
    expect(await open(kek, a, 'api_keys/alice/gemini')).toBe(SECRET);
  });

  it("refuses a sealed secret moved to another user's record, or tampered with", async () => {
    const kek = localKek(await kekPath());
    const sealed = await seal(kek, SECRET, 'api_keys/alice/gemini');
    await expect(open(kek, sealed, 'api_keys/mallory/gemini')).rejects.toThrow();
    const flipped = Buffer.from(sealed.ciphertext, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    await expect(
      open(kek, { ...sealed, ciphertext: flipped.toString('base64') }, 'api_keys/alice/gemini'),
    ).rejects.toThrow();
  });
});

describe('local KEK file', () => {
  it('is created on first use, owner-only, and holds no secret of ours', async () => {
    const path = await kekPath();
    const kek = localKek(path);
    expect(await kek.currentVersion()).toBe('local-1');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const file = JSON.parse(await readFile(path, 'utf8'));
    expect(file.current).toBe('local-1');
    expect(Buffer.from(file.versions['local-1'], 'base64')).toHaveLength(32);
  });

  it('two processes starting together end up with one KEK', async () => {
    const path = await kekPath();
    const [one, two] = [localKek(path), localKek(path)];
    const [sealed] = await Promise.all([seal(one, SECRET, 'c'), two.currentVersion()]);
    expect(await open(two, sealed, 'c')).toBe(SECRET);
  });

  it('rotation makes a new version current and keeps old versions able to unwrap; rewrap moves a secret over', async () => {
    const path = await kekPath();
    const kek = localKek(path);
    const old = await seal(kek, SECRET, 'c');
    expect(await kek.rotate()).toBe('local-2');
    expect(await kek.currentVersion()).toBe('local-2');
    expect(await open(kek, old, 'c')).toBe(SECRET);
    const moved = await rewrap(kek, old, 'c');
    expect(moved.kekVersion).toBe('local-2');
    expect(moved.ciphertext).toBe(old.ciphertext);
    expect(await open(kek, moved, 'c')).toBe(SECRET);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('a process that read the file before another rotated still opens what the new version wrapped', async () => {
    const path = await kekPath();
    const early = localKek(path);
    await early.currentVersion();
    const rotator = localKek(path);
    await rotator.rotate();
    const sealed = await seal(rotator, SECRET, 'c');
    expect(sealed.kekVersion).toBe('local-2');
    expect(await open(early, sealed, 'c')).toBe(SECRET);
  });
});
