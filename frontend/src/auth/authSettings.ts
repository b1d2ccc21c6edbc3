import type { AuthBackend } from './authBackend';
import { devAuth } from './devAuth';

/**
 * Firebase when the build was given a Firebase web config (VITE_FIREBASE_*),
 * else the local mesh's dev auth. Firebase is imported only when used, so
 * the local app never loads it.
 */
export async function createAuthBackend(
  env: ImportMetaEnv = import.meta.env,
  // Spelled out in full: vite.config.ts `define`s this expression, not a field of import.meta.env.
  debugToken: string = import.meta.env.VITE_APP_CHECK_DEBUG_TOKEN ?? '',
): Promise<AuthBackend> {
  if (!env.VITE_FIREBASE_API_KEY) return devAuth(debugToken);
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
