import { KeyManagementServiceClient } from '@google-cloud/kms';
import type { KeyEncryptionKey } from './port.js';

type Bytes = Uint8Array | string | null | undefined;

/** The part of @google-cloud/kms's client this adapter uses (the promise forms). */
export interface KmsClient {
  encrypt(request: {
    name: string;
    plaintext: Buffer;
    additionalAuthenticatedData: Buffer;
  }): Promise<[{ name?: string | null; ciphertext?: Bytes }, ...unknown[]]>;
  decrypt(request: {
    name: string;
    ciphertext: Buffer;
    additionalAuthenticatedData: Buffer;
  }): Promise<[{ plaintext?: Bytes }, ...unknown[]]>;
  getCryptoKey(request: { name: string }): Promise<[{ primary?: { name?: string | null } | null }, ...unknown[]]>;
  createCryptoKeyVersion(request: {
    parent: string;
    cryptoKeyVersion: object;
  }): Promise<[{ name?: string | null }, ...unknown[]]>;
  updateCryptoKeyPrimaryVersion(request: {
    name: string;
    cryptoKeyVersionId: string;
  }): Promise<[{ primary?: { name?: string | null } | null }, ...unknown[]]>;
}

const bytes = (value: Bytes): Buffer =>
  typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.from(value ?? new Uint8Array());

/**
 * The production KEK: a Cloud KMS symmetric key (`KMS_KEY_NAME`,
 * projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>). KMS keeps the key
 * material; a wrapped data key is the KMS ciphertext, which names the key
 * version that made it, so decrypt needs no version from us. We still store
 * that version (the encrypt response's `name`) to know which records a
 * rotation has not re-wrapped yet.
 */
export function cloudKmsKek(keyName: string, client: KmsClient = defaultClient()): KeyEncryptionKey {
  return {
    async currentVersion() {
      const [key] = await client.getCryptoKey({ name: keyName });
      const version = key.primary?.name;
      if (!version) throw new Error(`the KMS key ${keyName} has no primary version`);
      return version;
    },

    async wrap(dataKey, context) {
      const [res] = await client.encrypt({
        name: keyName,
        plaintext: dataKey,
        additionalAuthenticatedData: Buffer.from(context),
      });
      if (!res.name || !res.ciphertext) throw new Error('KMS encrypt answered without a ciphertext');
      return { wrappedKey: bytes(res.ciphertext).toString('base64'), kekVersion: res.name };
    },

    async unwrap({ wrappedKey }, context) {
      const [res] = await client.decrypt({
        name: keyName,
        ciphertext: Buffer.from(wrappedKey, 'base64'),
        additionalAuthenticatedData: Buffer.from(context),
      });
      return bytes(res.plaintext);
    },

    async rotate() {
      const [version] = await client.createCryptoKeyVersion({ parent: keyName, cryptoKeyVersion: {} });
      const id = version.name?.split('/').pop();
      if (!version.name || !id) throw new Error('KMS created a key version without a name');
      await client.updateCryptoKeyPrimaryVersion({ name: keyName, cryptoKeyVersionId: id });
      return version.name;
    },
  };
}

function defaultClient(): KmsClient {
  return new KeyManagementServiceClient() as unknown as KmsClient;
}
