import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { KeyEncryptionKey, WrappedDataKey } from './port.js';

/** The key file: every version ever made (old ones still unwrap), and which one wraps now. */
interface KekFile {
  current: string;
  versions: Record<string, string>;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

async function readKekFile(path: string): Promise<KekFile | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as KekFile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Written whole to an owner-only temp file, then moved into place, so a
 * reader never sees half a key file. `exclusive` (first run) links instead of
 * renaming: of two processes starting together, one key file wins and the
 * other reads it.
 */
async function writeKekFile(path: string, file: KekFile, exclusive = false): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  if (!exclusive) {
    await rename(temp, path);
    return true;
  }
  try {
    await link(temp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await rm(temp, { force: true });
  }
}

const newVersionName = (file: KekFile | undefined) => `local-${Object.keys(file?.versions ?? {}).length + 1}`;

/**
 * The local KEK: 256-bit keys in a JSON file (mode 0600, under the
 * git-ignored .data/), created on first use. Wrapping is AES-256-GCM with the
 * version name and the caller's context as associated data.
 */
export function localKek(path: string): KeyEncryptionKey {
  let loaded: Promise<KekFile> | undefined;

  const create = async (): Promise<KekFile> => {
    const file = { current: 'local-1', versions: { 'local-1': randomBytes(32).toString('base64') } };
    if (await writeKekFile(path, file, true)) return file;
    return (await readKekFile(path)) as KekFile;
  };
  const load = () => {
    loaded ??= readKekFile(path).then((file) => file ?? create());
    return loaded;
  };
  const keyOf = async (version: string): Promise<Buffer> => {
    let file = await load();
    if (!file.versions[version]) {
      // Another process may have rotated since we read the file.
      loaded = undefined;
      file = await load();
    }
    const key = file.versions[version];
    if (!key) throw new Error(`the local key file has no KEK version ${version}`);
    return Buffer.from(key, 'base64');
  };
  const aad = (version: string, context: string) => Buffer.from(`${version}\u0000${context}`);

  return {
    currentVersion: async () => (await load()).current,

    async wrap(dataKey, context) {
      const kekVersion = (await load()).current;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', await keyOf(kekVersion), iv);
      cipher.setAAD(aad(kekVersion, context));
      const sealed = Buffer.concat([cipher.update(dataKey), cipher.final()]);
      return { wrappedKey: Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64'), kekVersion };
    },

    async unwrap({ wrappedKey, kekVersion }: WrappedDataKey, context) {
      const raw = Buffer.from(wrappedKey, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', await keyOf(kekVersion), raw.subarray(0, IV_BYTES));
      decipher.setAAD(aad(kekVersion, context));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    },

    async rotate() {
      loaded = undefined;
      const file = await load();
      const version = newVersionName(file);
      const next = { current: version, versions: { ...file.versions, [version]: randomBytes(32).toString('base64') } };
      await writeKekFile(path, next);
      loaded = Promise.resolve(next);
      return version;
    },
  };
}
