import { COLLECTIONS, type DocStore, notFound, type Provider } from '@storyreel/shared';
import { open, type SealedSecret, seal } from './envelope.js';
import type { KeyEncryptionKey } from './kek/port.js';
import type { Verification } from './keyVerifier.js';

/** One user's key for one provider, as stored in `api_keys`: ciphertext and metadata, never the key. */
export interface StoredKey {
  uid: string;
  provider: Provider;
  last4: string;
  status: Verification;
  createdAt: string;
  lastUsedAt: string | null;
  sealed: SealedSecret;
}

/** What a browser may see of a stored key. */
export interface KeyMetadata {
  provider: Provider;
  last4: string;
  status: Verification;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface KeyStoreDeps {
  docs: DocStore;
  kek: KeyEncryptionKey;
}

export const keyDocId = (uid: string, provider: Provider) => `${uid}_${provider}`;

/** Bound to both encryption layers: a sealed key moved to another user's record does not open. */
export const sealContext = (uid: string, provider: Provider) => `api_keys/${uid}/${provider}`;

export const metadataOf = ({ provider, last4, status, createdAt, lastUsedAt }: StoredKey): KeyMetadata => ({
  provider,
  last4,
  status,
  createdAt,
  lastUsedAt,
});

/** Stores (or replaces: a user's own key rotation) the key under a fresh data key. */
export async function storeKey(
  deps: KeyStoreDeps,
  input: { uid: string; provider: Provider; apiKey: string; status: Verification; at: Date },
): Promise<{ key: KeyMetadata; replaced: boolean }> {
  const { uid, provider, apiKey } = input;
  const sealed = await seal(deps.kek, apiKey, sealContext(uid, provider));
  const id = keyDocId(uid, provider);
  const replaced = (await deps.docs.get<StoredKey>(COLLECTIONS.apiKeys, id)) !== null;
  const record: StoredKey = {
    uid,
    provider,
    last4: apiKey.slice(-4),
    status: input.status,
    createdAt: input.at.toISOString(),
    lastUsedAt: null,
    sealed,
  };
  await deps.docs.set<StoredKey>(COLLECTIONS.apiKeys, id, record);
  return { key: metadataOf(record), replaced };
}

export async function listKeys(docs: DocStore, uid: string): Promise<KeyMetadata[]> {
  const stored = await docs.query<StoredKey>(COLLECTIONS.apiKeys, { where: [['uid', '==', uid]] });
  return stored.map((doc) => metadataOf(doc.data)).sort((a, b) => a.provider.localeCompare(b.provider));
}

export async function deleteKey(docs: DocStore, uid: string, provider: Provider): Promise<void> {
  const id = keyDocId(uid, provider);
  if (!(await docs.get(COLLECTIONS.apiKeys, id))) throw notFound(`a stored ${provider} key`);
  await docs.delete(COLLECTIONS.apiKeys, id);
}

/** The plaintext key, for mesh services only (the internal route); null when the user stored none. */
export async function revealKey(deps: KeyStoreDeps, uid: string, provider: Provider): Promise<string | null> {
  const doc = await deps.docs.get<StoredKey>(COLLECTIONS.apiKeys, keyDocId(uid, provider));
  return doc ? open(deps.kek, doc.data.sealed, sealContext(uid, provider)) : null;
}

/** Records what the provider now says of the stored key. */
export async function setKeyStatus(docs: DocStore, uid: string, provider: Provider, status: Verification) {
  const doc = await docs.update<StoredKey>(COLLECTIONS.apiKeys, keyDocId(uid, provider), { status });
  return metadataOf(doc.data);
}

/** Marks the key used; nothing to do when the user deleted it meanwhile. */
export async function markKeyUsed(docs: DocStore, uid: string, provider: Provider, at: Date): Promise<void> {
  await docs
    .update<StoredKey>(COLLECTIONS.apiKeys, keyDocId(uid, provider), { lastUsedAt: at.toISOString() })
    .catch((err: { code?: string }) => {
      if (err?.code !== 'not_found') throw err;
    });
}
