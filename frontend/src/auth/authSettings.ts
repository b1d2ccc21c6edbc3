import type { AuthBackend } from './authBackend';
import { devAuth } from './devAuth';

/**
 * Firebase when the build was given a Firebase web config (VITE_FIREBASE_*),
 * else the local mesh's dev auth. Firebase is imported only when used, so
 * the local app never loads it.
 */
export async function createAuthBackend(
  env: ImportMetaEnv = import.meta.env,
  // Set only for builds against the Auth emulator; the local gateway hands out the mesh's otherwise.
  debugToken: string = import.meta.env.VITE_APP_CHECK_DEBUG_TOKEN ?? '',
): Promise<AuthBackend> {
  if (!env.VITE_FIREBASE_API_KEY) return devAuth(debugToken || (await localMeshDebugToken()));
  const { firebaseAuth } = await import('./firebaseAuth');
  return firebaseAuth({
    apiKey: env.VITE_FIREBASE_API_KEY,
    authDomain: env.VITE_FIREBASE_AUTH_DOMAIN ?? '',
    projectId: env.VITE_FIREBASE_PROJECT_ID ?? '',
    appId: env.VITE_FIREBASE_APP_ID ?? '',
    recaptchaSiteKey: env.VITE_RECAPTCHA_SITE_KEY ?? '',
    authEmulatorHost: env.VITE_FIREBASE_AUTH_EMULATOR_HOST ?? '',
    appCheckDebugToken: debugToken,
  });
}

/**
 * The local gateway (`npm start`) hands the page its mesh's App Check debug
 * token, so one plain build serves every local mesh; Firebase Hosting has no
 * such route, and the services refuse debug tokens in production anyway.
 */
export const LOCAL_APP_CHECK_PATH = '/__/local-app-check.json';

async function localMeshDebugToken(): Promise<string> {
  try {
    const res = await fetch(LOCAL_APP_CHECK_PATH, { cache: 'no-store' });
    if (!res.ok) return '';
    return ((await res.json()) as { debugToken?: string }).debugToken ?? '';
  } catch {
    return '';
  }
}
