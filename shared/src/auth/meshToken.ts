import { type Env, SERVICE_NAMES } from '@storyreel/config';
import { GoogleAuth, OAuth2Client } from 'google-auth-library';
import { jwtVerify, SignJWT } from 'jose';
import { unauthenticated } from '../errors.js';

/**
 * Service-to-service credentials. On Cloud Run a call carries a Google-signed
 * ID token for the target's URL (Cloud Run's IAM checks it too); in the local
 * mesh the same header carries an HS256 token signed with MESH_SECRET.
 * Sent in X-Serverless-Authorization so Authorization stays free for the user.
 */
export const MESH_HEADER = 'x-serverless-authorization';
const ISSUER = 'storyreel-mesh';
const TTL_SECONDS = 300;

export interface MeshTokens {
  /** A token proving `from` is calling the service at `audience`. */
  issue(from: string, audience: string): Promise<string>;
  /** The calling service's name, or an `unauthenticated` error. */
  verify(token: string, audience: string): Promise<string>;
}

export function hmacMeshTokens(secret: string): MeshTokens {
  const key = new TextEncoder().encode(secret);
  return {
    issue: (from, audience) =>
      new SignJWT({ svc: from })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(`${TTL_SECONDS}s`)
        .sign(key),
    async verify(token, audience) {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience, algorithms: ['HS256'] });
        if (typeof payload.svc !== 'string') throw new Error('no service claim');
        return payload.svc;
      } catch {
        throw unauthenticated('invalid service credentials');
      }
    },
  };
}

/**
 * The service a Google-signed caller is, from its account's email, or
 * undefined. Any Google account can mint an ID token for our URL (Hosting
 * makes every service publicly invokable), so only our own project's
 * `storyreel-<service>` accounts (and Cloud Tasks' `storyreel-tasks`) count.
 */
export function meshCallerOf(email: string, emailVerified: boolean, projectId: string): string | undefined {
  if (!emailVerified) return undefined;
  const suffix = `@${projectId}.iam.gserviceaccount.com`;
  if (!email.endsWith(suffix)) return undefined;
  const name = email.slice(0, -suffix.length).replace(/^storyreel-/, '');
  return email.startsWith('storyreel-') && [...SERVICE_NAMES, 'tasks'].includes(name) ? name : undefined;
}

/** Cloud Run: ID tokens from the metadata server, verified against Google's keys. */
export function googleMeshTokens(projectId: string): MeshTokens {
  const auth = new GoogleAuth();
  const verifier = new OAuth2Client();
  return {
    async issue(_from, audience) {
      const client = await auth.getIdTokenClient(audience);
      return client.idTokenProvider.fetchIdToken(audience);
    },
    async verify(token, audience) {
      let payload: { email?: string; email_verified?: boolean } | undefined;
      try {
        payload = (await verifier.verifyIdToken({ idToken: token, audience })).getPayload();
      } catch {
        throw unauthenticated('invalid service credentials');
      }
      const caller = payload?.email && meshCallerOf(payload.email, payload.email_verified === true, projectId);
      if (!caller) throw unauthenticated('invalid service credentials');
      return caller;
    },
  };
}

export function meshTokensFor(env: Env): MeshTokens {
  return env.MESH_AUTH === 'google' ? googleMeshTokens(env.GCP_PROJECT_ID) : hmacMeshTokens(env.MESH_SECRET ?? '');
}
