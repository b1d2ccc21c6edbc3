import type { AuthBackend, SignedInUser } from './authBackend';

const STORAGE_KEY = 'storyreel.devUser';
/** Where a local build without a baked-in debug token looks for one (as Firebase's own debug tokens are set by hand). */
export const DEBUG_TOKEN_KEY = 'storyreel.appCheckDebugToken';

/** The services' dev auth token is `dev:<uid>`; uids are letters, digits, _ and -. */
export function devUid(name: string): string {
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return slug || 'local';
}

/**
 * The local mesh's auth (AUTH_MODE=dev): the user picks a name, the token is
 * `dev:<uid>`, and App Check is the mesh's debug token (handed out by the
 * local gateway, or set in localStorage). The services refuse this mode in
 * production.
 */
export function devAuth(appCheckDebugToken: string, storage: Storage = localStorage): AuthBackend {
  const listeners = new Set<(user: SignedInUser | null) => void>();
  const read = (): SignedInUser | null => {
    try {
      return JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null') as SignedInUser | null;
    } catch {
      return null;
    }
  };
  const write = (user: SignedInUser | null) => {
    if (user) storage.setItem(STORAGE_KEY, JSON.stringify(user));
    else storage.removeItem(STORAGE_KEY);
    for (const listener of listeners) listener(user);
  };
  const hasToken = () => Boolean(appCheckDebugToken || storage.getItem(DEBUG_TOKEN_KEY));
  return {
    kind: 'dev',
    get setupProblem() {
      return hasToken()
        ? undefined
        : 'No App Check debug token came from the local gateway, so the local services will refuse this page. Open the wizard through `npm start` (http://127.0.0.1:8080) or `npm run dev -w frontend`.';
    },
    watch(onUser) {
      listeners.add(onUser);
      onUser(read());
      return () => listeners.delete(onUser);
    },
    idToken: async () => {
      const user = read();
      return user ? `dev:${user.uid}` : null;
    },
    appCheckToken: async () => appCheckDebugToken || storage.getItem(DEBUG_TOKEN_KEY) || null,
    async signInAsGuest() {
      const id = crypto.getRandomValues(new Uint32Array(2)).join('').slice(0, 10);
      write({ uid: `guest-${id}`, name: 'Guest', email: null, anonymous: true });
    },
    async signInAs(name) {
      write({ uid: devUid(name), name: name.trim() || 'Local user', email: null, anonymous: false });
    },
    async signOut() {
      write(null);
    },
  };
}
