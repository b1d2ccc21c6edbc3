/** Who is signed in, as the screens see it. */
export interface SignedInUser {
  uid: string;
  name: string;
  email: string | null;
  /** A trial account: free plan, no email. */
  anonymous: boolean;
}

/**
 * What the session needs from a sign-in system: Firebase Auth in production
 * (or against the Auth emulator), the dev auth mode on the local mesh.
 */
export interface AuthBackend {
  kind: 'firebase' | 'dev';
  /** Set when this build cannot call the API as it is (a local build without an App Check debug token). */
  setupProblem?: string;
  /** Calls back with the current user now and on every change; returns the unsubscribe. */
  watch(onUser: (user: SignedInUser | null) => void): () => void;
  idToken(): Promise<string | null>;
  appCheckToken(): Promise<string | null>;
  signInWithGoogle?(): Promise<void>;
  sendEmailLink?(email: string): Promise<void>;
  signInAsGuest(): Promise<void>;
  /** Dev mode only: sign in as a named local user. */
  signInAs?(name: string): Promise<void>;
  signOut(): Promise<void>;
}
