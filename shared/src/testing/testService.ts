import { rmSync } from 'node:fs';
import type { ServiceName } from '@storyreel/config';
import { serviceEntry } from '@storyreel/config';
import { ON_BEHALF_HEADER, ON_BEHALF_PLAN_HEADER } from '../auth/authenticate.js';
import type { Plan } from '../auth/caller.js';
import { hmacMeshTokens, MESH_HEADER } from '../auth/meshToken.js';
import { createService, type Service, type ServiceOptions } from '../http/createService.js';
import { TEST_MESH_SECRET, testEnv } from './testEnv.js';

export interface TestService extends Service {
  dataDir: string;
}

/** A service on a temp SQLite file and a temp blob folder; `close()` removes both. */
export async function createTestService(
  options: Omit<ServiceOptions, 'env'> & { envOverrides?: Record<string, string> },
): Promise<TestService> {
  const env = testEnv(options.envOverrides);
  const service = createService({ ...options, env });
  return {
    ...service,
    dataDir: env.dataDir,
    async close() {
      await service.close();
      rmSync(env.dataDir, { recursive: true, force: true });
    },
  };
}

/** Headers of a signed-in user in dev auth mode. */
export function userHeaders(uid: string, plan: Plan = 'free'): Record<string, string> {
  return { authorization: `Bearer dev:${uid}${plan === 'free' ? '' : `:${plan}`}` };
}

/** Headers of a mesh service calling `target` (optionally for a user), signed with the test secret. */
export async function serviceHeaders(
  target: ServiceName,
  options: { from?: string; onBehalfOf?: string; plan?: Plan; secret?: string } = {},
): Promise<Record<string, string>> {
  const audience = `http://127.0.0.1:${serviceEntry(target).localPort}`;
  const token = await hmacMeshTokens(options.secret ?? TEST_MESH_SECRET).issue(options.from ?? 'compose', audience);
  return {
    [MESH_HEADER]: `Bearer ${token}`,
    ...(options.onBehalfOf ? { [ON_BEHALF_HEADER]: options.onBehalfOf } : {}),
    ...(options.plan ? { [ON_BEHALF_PLAN_HEADER]: options.plan } : {}),
  };
}
