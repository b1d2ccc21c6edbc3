import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { admit, identify } from '../auth/authenticate.js';
import type { ServiceContext } from '../http/createService.js';

/** Label of requests that matched no route: one value, so scanners cannot blow up the series count. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** From a cached JSON answer (ms) to a long render step (minutes). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];

export interface ServiceMetrics {
  registry: Registry;
  /** Times the request and counts it under the route's path pattern once the response is sent. */
  observe(routePattern: string): RequestHandler;
}

/**
 * One registry per service rather than prom-client's global one, so a test
 * process can build many services without "metric already registered".
 */
export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from the request arriving to the response being sent, by route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  return {
    registry,
    observe: (route) => (req: Request, res: Response, next: NextFunction) => {
      const stop = duration.startTimer({ method: req.method, route });
      res.once('finish', () => {
        stop();
        requests.inc({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    },
  };
}

/**
 * `GET /metrics` in Prometheus text. In production only mesh services (the
 * collector) may read it; elsewhere it is open for local dashboards.
 */
export function metricsHandler(ctx: Pick<ServiceContext, 'env' | 'auth'>, metrics: ServiceMetrics): RequestHandler {
  return async (req, res, next) => {
    try {
      if (ctx.env.NODE_ENV === 'production') admit(await identify(req, ctx.auth), 'service');
      res.setHeader('content-type', metrics.registry.contentType);
      res.send(await metrics.registry.metrics());
    } catch (err) {
      next(err);
    }
  };
}
