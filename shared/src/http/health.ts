import { Router } from 'express';
import { admit, identify } from '../auth/authenticate.js';
import type { ServiceContext } from './createService.js';

export type HealthCheck = () => Promise<void>;

interface CheckResult {
  ok: boolean;
  ms: number;
  error?: string;
}

async function run(check: HealthCheck): Promise<CheckResult> {
  const started = Date.now();
  try {
    await check();
    return { ok: true, ms: Date.now() - started };
  } catch (err) {
    return { ok: false, ms: Date.now() - started, error: (err as Error).message };
  }
}

/**
 * `/health`: liveness, public, cheap; 503 while draining so load balancers stop sending.
 * `/health/detailed`: every dependency, for mesh services and admins only (it names internals).
 */
export function healthRoutes(ctx: ServiceContext, checks: Record<string, HealthCheck>, state: { draining: boolean }) {
  const router = Router();
  const started = new Date().toISOString();
  router.get('/health', (_req, res) => {
    res.status(state.draining ? 503 : 200).json({ status: state.draining ? 'draining' : 'ok', service: ctx.name });
  });
  router.get('/health/detailed', async (req, res, next) => {
    try {
      const caller = await identify(req, ctx.auth);
      admit(caller, 'user-or-service');
      const all: Record<string, HealthCheck> = {
        docStore: async () => {
          await ctx.docs.get('health', 'probe');
        },
        blobStore: async () => {
          await ctx.blobs.exists(`gs://${ctx.buckets.media}/health/probe`);
        },
        ...checks,
      };
      const results = Object.fromEntries(
        await Promise.all(Object.entries(all).map(async ([name, check]) => [name, await run(check)] as const)),
      );
      const ok = Object.values(results).every((r) => r.ok);
      res.status(ok ? 200 : 503).json({
        status: ok ? 'ok' : 'degraded',
        service: ctx.name,
        startedAt: started,
        uptimeSeconds: Math.round(process.uptime()),
        memoryMb: Math.round(process.memoryUsage().rss / 1e6),
        checks: results,
      });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
