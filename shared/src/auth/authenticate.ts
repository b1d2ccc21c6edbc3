import type { Request } from 'express';
import { forbidden, unauthenticated } from '../errors.js';
import { type AuthLevel, type Caller, PLANS, type Plan } from './caller.js';
import { MESH_HEADER, type MeshTokens } from './meshToken.js';
import type { UserTokenVerifier } from './userTokens.js';

/** Headers a mesh service sets to act for a user; trusted only beside valid mesh credentials. */
export const ON_BEHALF_HEADER = 'x-storyreel-user';
export const ON_BEHALF_PLAN_HEADER = 'x-storyreel-plan';

export interface Authenticator {
  users: UserTokenVerifier;
  mesh: MeshTokens;
  /** This service's own URL: the audience mesh tokens must name. */
  audience: string;
}

function bearer(value: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(value ?? '');
  return match?.[1];
}

/**
 * Who is calling. On service-only routes a mesh token may also come in
 * Authorization (Cloud Tasks puts its OIDC token there when it pushes a
 * job); anything else there is read as a user token.
 */
export async function identify(req: Request, auth: Authenticator, level?: AuthLevel): Promise<Caller> {
  const meshToken = bearer(req.header(MESH_HEADER));
  if (meshToken) return meshCaller(req, await auth.mesh.verify(meshToken, auth.audience));
  const userToken = bearer(req.header('authorization'));
  if (userToken && level === 'service') {
    const service = await auth.mesh.verify(userToken, auth.audience).catch(() => undefined);
    if (service) return meshCaller(req, service);
  }
  if (userToken) return auth.users.verify(userToken);
  return { kind: 'anonymous', ip: req.ip ?? 'unknown' };
}

function meshCaller(req: Request, service: string): Caller {
  const uid = req.header(ON_BEHALF_HEADER);
  if (!uid) return { kind: 'service', service };
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(uid)) throw unauthenticated('invalid on-behalf-of user');
  const plan = req.header(ON_BEHALF_PLAN_HEADER) as Plan | undefined;
  return { kind: 'user', uid, plan: plan && PLANS.includes(plan) ? plan : 'free', via: service };
}

/** Refuses a caller the route's auth level does not admit. */
export function admit(caller: Caller, level: AuthLevel): void {
  if (level === 'public') return;
  if (caller.kind === 'anonymous') throw unauthenticated();
  if (level === 'user' && caller.kind !== 'user') throw forbidden('this route acts for a signed-in user');
  if (level === 'service' && !(caller.kind === 'service' || (caller.kind === 'user' && caller.via))) {
    throw forbidden('this route is for storyreel services only');
  }
}
