import type { Env } from '@storyreel/config';
import type { App } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { unauthenticated } from '../errors.js';
import { firebaseApp } from '../firebaseApp.js';
import { PLANS, type Plan, type UserCaller } from './caller.js';

export interface UserTokenVerifier {
  verify(token: string): Promise<UserCaller>;
}

const planOf = (claim: unknown): Plan => (PLANS.includes(claim as Plan) ? (claim as Plan) : 'free');

/** Firebase ID tokens (the Auth emulator locally when FIREBASE_AUTH_EMULATOR_HOST is set). */
export function firebaseUserTokens(app: App): UserTokenVerifier {
  return {
    async verify(token) {
      try {
        const decoded = await getAuth(app).verifyIdToken(token, true);
        return {
          kind: 'user',
          uid: decoded.uid,
          plan: planOf(decoded.plan),
          ...(decoded.email ? { email: decoded.email } : {}),
        };
      } catch {
        throw unauthenticated('your sign-in has expired or is invalid; sign in again');
      }
    },
  };
}

const DEV_TOKEN = /^dev:([A-Za-z0-9_-]{1,64})(?::(free|pro|enterprise))?$/;

/**
 * The local demo's auth: `Bearer dev:<uid>[:<plan>]`. Config validation
 * refuses AUTH_MODE=dev when NODE_ENV=production, so this never runs there.
 */
export function devUserTokens(): UserTokenVerifier {
  return {
    async verify(token) {
      const match = DEV_TOKEN.exec(token);
      if (!match?.[1]) throw unauthenticated('dev auth expects a token of the form dev:<uid>');
      return { kind: 'user', uid: match[1], plan: planOf(match[2]) };
    },
  };
}

export function userTokensFor(env: Env): UserTokenVerifier {
  return env.AUTH_MODE === 'dev' ? devUserTokens() : firebaseUserTokens(firebaseApp(env));
}
