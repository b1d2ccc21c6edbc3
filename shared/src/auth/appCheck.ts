import { timingSafeEqual } from 'node:crypto';
import type { Env } from '@storyreel/config';
import type { Request } from 'express';
import { getAppCheck } from 'firebase-admin/app-check';
import { unauthenticated } from '../errors.js';
import { firebaseApp } from '../firebaseApp.js';
import type { RouteDefinition } from '../http/route.js';
import type { Caller } from './caller.js';

/** Sent by the web app's Firebase App Check SDK with every API call. */
export const APP_CHECK_HEADER = 'x-firebase-appcheck';

export type AppCheckMode = Env['APP_CHECK_MODE'];

export interface AppCheckVerifier {
  /** The verified app's id, or a rejection when the token is not a valid App Check token. */
  verify(token: string): Promise<{ appId: string }>;
}

export function firebaseAppCheck(env: Env): AppCheckVerifier {
  return {
    async verify(token) {
      const { appId } = await getAppCheck(firebaseApp(env)).verifyToken(token);
      return { appId };
    },
  };
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Local browsers and CI have no attestation provider, so they send the debug
 * token instead; config refuses APP_CHECK_DEBUG_TOKEN in production.
 */
export function withDebugToken(verifier: AppCheckVerifier, debugToken: string | undefined): AppCheckVerifier {
  if (!debugToken) return verifier;
  return {
    verify: (token) => (sameSecret(token, debugToken) ? Promise.resolve({ appId: 'debug' }) : verifier.verify(token)),
  };
}

/** Mesh calls come from our own services, not from an app App Check could attest. */
export function appCheckApplies(route: Pick<RouteDefinition, 'appCheck'>, caller: Caller): boolean {
  if (route.appCheck === false) return false;
  return !(caller.kind === 'service' || (caller.kind === 'user' && caller.via !== undefined));
}

/**
 * Returns the route-stack step: `enforce` refuses a missing or invalid token
 * with 401, `monitor` only logs it (to measure before enforcing), `off` skips.
 */
export function appCheckGate(mode: AppCheckMode, verifier: AppCheckVerifier) {
  return async (req: Request, route: Pick<RouteDefinition, 'appCheck'>): Promise<void> => {
    if (mode === 'off' || !req.caller || !appCheckApplies(route, req.caller)) return;
    const token = req.header(APP_CHECK_HEADER);
    let problem: string | undefined;
    if (!token) problem = `the ${APP_CHECK_HEADER} header is missing`;
    else {
      try {
        await verifier.verify(token);
      } catch {
        problem = 'the App Check token is invalid or expired';
      }
    }
    if (!problem) return;
    if (mode === 'enforce') throw unauthenticated(`${problem}: this API only answers the storyreel app`);
    req.log.warn({ appCheck: 'failed', path: req.path }, `App Check would refuse this request: ${problem}`);
  };
}
