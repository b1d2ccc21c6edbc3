import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyEncryptionKey, WrappedDataKey } from './kek/port.js';

/** A secret at rest: AES-256-GCM under its own data key, the data key wrapped by the KEK. */
export interface SealedSecret extends WrappedDataKey {
  alg: 'AES-256-GCM';
  /** base64 */
  iv: string;
  ciphertext: string;
  tag: string;
}

const IV_BYTES = 12;

/**
 * Envelope encryption: a fresh 256-bit data key per secret encrypts it, and
 * only the wrapped data key is kept. `context` (whose secret, for what) is
 * bound to both layers as associated data, so a sealed secret copied onto
 * another user's record does not open.
 */
export async function seal(kek: KeyEncryptionKey, plaintext: string, context: string): Promise<SealedSecret> {
  const dataKey = randomBytes(32);
  try {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
    cipher.setAAD(Buffer.from(context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      alg: 'AES-256-GCM',
      iv: iv.toString('base64'),
      ciphertext: ciphertext.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ...(await kek.wrap(dataKey, context)),
    };
  } finally {
    dataKey.fill(0);
  }
}

export async function open(kek: KeyEncryptionKey, sealed: SealedSecret, context: string): Promise<string> {
  const dataKey = await kek.unwrap(sealed, context);
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  } finally {
    dataKey.fill(0);
  }
}

/** The same secret under the KEK's current version: only the data key is unwrapped and wrapped again. */
export async function rewrap(kek: KeyEncryptionKey, sealed: SealedSecret, context: string): Promise<SealedSecret> {
  const dataKey = await kek.unwrap(sealed, context);
  try {
    return { ...sealed, ...(await kek.wrap(dataKey, context)) };
  } finally {
    dataKey.fill(0);
  }
}
