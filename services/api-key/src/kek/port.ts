/**
 * KeyEncryptionKey: the only seam to whatever wraps the data keys of stored
 * secrets (Cloud KMS in production, a local key file on a laptop). The KEK
 * never leaves it; callers see wrapped data keys and the KEK version each was
 * wrapped with.
 */
export interface WrappedDataKey {
  /** base64 of the wrapped data key. */
  wrappedKey: string;
  /** The KEK version that wrapped it: unwrapping uses this version, whatever the current one is. */
  kekVersion: string;
}

export interface KeyEncryptionKey {
  /** The version new data keys are wrapped with. */
  currentVersion(): Promise<string>;
  /** Wraps with the current version; `context` is bound to the result (unwrap needs the same). */
  wrap(dataKey: Buffer, context: string): Promise<WrappedDataKey>;
  unwrap(wrapped: WrappedDataKey, context: string): Promise<Buffer>;
  /** Makes a new version current. Older versions keep unwrapping, so reads never stop during a re-wrap. */
  rotate(): Promise<string>;
}
