import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { open, rewrap, seal } from '../src/envelope.js';
import { cloudKmsKek, type KmsClient } from '../src/kek/cloudKmsKek.js';

const KEY = 'projects/demo-storyreel/locations/us-central1/keyRings/storyreel/cryptoKeys/api-keys';

/**
 * A stand-in for Cloud KMS that answers in the shapes of the v1 API as the
 * Node client returns them ([response, request, {}]; ciphertext as bytes that
 * carry the key version, as real KMS ciphertexts do). Not a recording of the
 * live service: no test here reached Cloud KMS.
 */
function fakeKms() {
  const versions = new Map<string, Buffer>([[`${KEY}/cryptoKeyVersions/1`, randomBytes(32)]]);
  let primary = `${KEY}/cryptoKeyVersions/1`;
  const calls: { method: string; request: Record<string, unknown> }[] = [];
  const client: KmsClient = {
    async encrypt(request) {
      calls.push({ method: 'encrypt', request });
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', versions.get(primary) as Buffer, iv);
      cipher.setAAD(request.additionalAuthenticatedData);
      const body = Buffer.concat([cipher.update(request.plaintext), cipher.final(), cipher.getAuthTag()]);
      const id = Buffer.from(primary.split('/').pop() as string);
      return [
        { name: primary, ciphertext: new Uint8Array(Buffer.concat([Buffer.from([id.length]), id, iv, body])) },
        request,
        {},
      ];
    },
    async decrypt(request) {
      calls.push({ method: 'decrypt', request });
      const raw = request.ciphertext;
      const idLength = raw[0] ?? 0;
      const version = `${KEY}/cryptoKeyVersions/${raw.subarray(1, 1 + idLength).toString()}`;
      const iv = raw.subarray(1 + idLength, 13 + idLength);
      const rest = raw.subarray(13 + idLength);
      const decipher = createDecipheriv('aes-256-gcm', versions.get(version) as Buffer, iv);
      decipher.setAAD(request.additionalAuthenticatedData);
      decipher.setAuthTag(rest.subarray(rest.length - 16));
      const plaintext = Buffer.concat([decipher.update(rest.subarray(0, rest.length - 16)), decipher.final()]);
      return [{ plaintext: new Uint8Array(plaintext) }, request, {}];
    },
    async getCryptoKey(request) {
      calls.push({ method: 'getCryptoKey', request });
      return [{ name: KEY, primary: { name: primary, state: 'ENABLED' } }, request, {}];
    },
    async createCryptoKeyVersion(request) {
      calls.push({ method: 'createCryptoKeyVersion', request });
      const name = `${KEY}/cryptoKeyVersions/${versions.size + 1}`;
      versions.set(name, randomBytes(32));
      return [{ name, state: 'ENABLED' }, request, {}];
    },
    async updateCryptoKeyPrimaryVersion(request) {
      calls.push({ method: 'updateCryptoKeyPrimaryVersion', request });
      primary = `${KEY}/cryptoKeyVersions/${request.cryptoKeyVersionId}`;
      return [{ name: KEY, primary: { name: primary } }, request, {}];
    },
  };
  return { client, calls };
}

describe('Cloud KMS KEK (fake KMS in the API shapes; not run against the live service)', () => {
  it('wraps data keys with the configured key, binding the context as additional authenticated data', async () => {
    const kms = fakeKms();
    const kek = cloudKmsKek(KEY, kms.client);
    const sealed = await seal(kek, 'secret-key-value', 'api_keys/alice/fal');
    expect(sealed.kekVersion).toBe(`${KEY}/cryptoKeyVersions/1`);
    const encrypt = kms.calls.find((c) => c.method === 'encrypt')?.request;
    expect(encrypt?.name).toBe(KEY);
    expect(String(encrypt?.additionalAuthenticatedData)).toBe('api_keys/alice/fal');
    expect(encrypt?.plaintext).toHaveLength(32);
    expect(await open(kek, sealed, 'api_keys/alice/fal')).toBe('secret-key-value');
    await expect(open(kek, sealed, 'api_keys/bob/fal')).rejects.toThrow();
  });

  it('rotation creates a version and makes it primary; old wraps still open, re-wraps name the new version', async () => {
    const kms = fakeKms();
    const kek = cloudKmsKek(KEY, kms.client);
    const before = await seal(kek, 'secret-key-value', 'c');
    const version = await kek.rotate();
    expect(version).toBe(`${KEY}/cryptoKeyVersions/2`);
    expect(kms.calls.find((c) => c.method === 'updateCryptoKeyPrimaryVersion')?.request).toEqual({
      name: KEY,
      cryptoKeyVersionId: '2',
    });
    expect(await kek.currentVersion()).toBe(version);
    expect(await open(kek, before, 'c')).toBe('secret-key-value');
    const after = await rewrap(kek, before, 'c');
    expect(after.kekVersion).toBe(version);
    expect(await open(kek, after, 'c')).toBe('secret-key-value');
  });
});
