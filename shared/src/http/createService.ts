import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Env, loadEnvOrExit, type ServiceName, serviceEntry, serviceUrl } from '@storyreel/config';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { appCheckGate, firebaseAppCheck, withDebugToken } from '../auth/appCheck.js';
import { type Authenticator, admit, identify } from '../auth/authenticate.js';
import { meshTokensFor } from '../auth/meshToken.js';
import { userTokensFor } from '../auth/userTokens.js';
import { createBlobStore } from '../blobs/createBlobStore.js';
import type { BlobStore } from '../blobs/port.js';
import { createServiceClient, type ServiceClient } from '../client/serviceClient.js';
import { createDocStore } from '../docs/createDocStore.js';
import type { DocStore } from '../docs/port.js';
import { idempotencyGate, recordIdempotentAnswer } from '../idempotency/idempotencyMiddleware.js';
import { ipRateLimiter } from '../quota/ipRateLimit.js';
import { createServiceMetrics, metricsHandler, UNMATCHED_ROUTE } from '../sli/metrics.js';
import { errorHandler, notFoundHandler } from './errorHandler.js';
import { type HealthCheck, healthRoutes } from './health.js';
import { createLogger, type Logger, requestLogger } from './logger.js';
import { openApiDocument } from './openapi.js';
import { requestContextMiddleware } from './requestContext.js';
import type { RouteDefinition } from './route.js';
import { validate } from './validation.js';

export interface ServiceContext {
  name: ServiceName;
  env: Env;
  logger: Logger;
  docs: DocStore;
  blobs: BlobStore;
  buckets: { media: string; public: string };
  /** This service's own base URL (the audience of mesh tokens sent to it). */
  selfUrl: string;
  auth: Authenticator;
  /** The typed mesh client of another service (one per target, shared by all requests). */
  client(name: ServiceName): ServiceClient;
}

export interface ServiceOptions {
  name: ServiceName;
  routes: (ctx: ServiceContext) => readonly RouteDefinition[];
  /** Injected in tests; read from process.env (and validated) otherwise. */
  env?: Env;
  docs?: DocStore;
  blobs?: BlobStore;
  logger?: Logger;
  /** Default JSON body limit. */
  bodyLimit?: string;
  /** Extra readiness checks for /health/detailed (FFmpeg present, soundfont readable, ...). */
  checks?: Record<string, HealthCheck>;
  /** Runs after the server stopped taking requests, before the stores close. */
  onClose?: () => Promise<void>;
}

export interface Service {
  app: express.Express;
  ctx: ServiceContext;
  routes: readonly RouteDefinition[];
  listen(port?: number): Promise<{ port: number; url: string }>;
  /** Stops accepting connections, lets in-flight requests finish, then closes the stores. */
  close(): Promise<void>;
}

/** One async step of a route: continues to the next step unless it already answered. */
const step =
  (fn: (req: Request, res: Response) => Promise<void>): RequestHandler =>
  (req, res, next) => {
    fn(req, res).then(() => {
      if (!res.headersSent) next();
    }, next);
  };

export function createService(options: ServiceOptions): Service {
  const env = options.env ?? loadEnvOrExit();
  const logger = options.logger ?? createLogger(options.name, env.LOG_LEVEL);
  const selfUrl = serviceUrl(env, options.name);
  const clients = new Map<ServiceName, ServiceClient>();
  const ctx: ServiceContext = {
    name: options.name,
    env,
    logger,
    docs: options.docs ?? createDocStore(env),
    blobs: options.blobs ?? createBlobStore(env),
    buckets: { media: env.MEDIA_BUCKET, public: env.PUBLIC_BUCKET },
    selfUrl,
    auth: { users: userTokensFor(env), mesh: meshTokensFor(env), audience: selfUrl },
    client(name) {
      let client = clients.get(name);
      if (!client) {
        client = createServiceClient(ctx, name);
        clients.set(name, client);
      }
      return client;
    },
  };
  const routes = options.routes(ctx);
  const state = { draining: false };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', env.TRUSTED_PROXY_HOPS);
  app.set('query parser', 'simple');

  app.use(hostingPrefixStripper(serviceEntry(options.name).pathPrefix));
  app.use(requestContextMiddleware);
  app.use((req, res, next) => {
    req.log = requestLogger(logger, env.GCP_PROJECT_ID, req.context);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      req.log.info(
        {
          httpRequest: {
            requestMethod: req.method,
            requestUrl: req.originalUrl.split('?')[0],
            status: res.statusCode,
            latency: `${(ms / 1000).toFixed(3)}s`,
            remoteIp: req.ip,
            userAgent: req.get('user-agent'),
          },
        },
        'request',
      );
    });
    // Cloud Run sends SIGTERM before it stops an instance: tell keep-alive clients to reconnect elsewhere.
    if (state.draining) res.setHeader('connection', 'close');
    // Answers (errors too) may quote what a caller sent: a browser must never sniff them into HTML.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });

  const metrics = createServiceMetrics(options.name);
  const appCheck = appCheckGate(env.APP_CHECK_MODE, withDebugToken(firebaseAppCheck(env), env.APP_CHECK_DEBUG_TOKEN));
  const ipLimit = ipRateLimiter(ctx.docs, env.RATE_LIMITS_ENABLED);
  const idempotency = idempotencyGate(ctx.docs, options.name);

  app.use(healthRoutes(ctx, options.checks ?? {}, state));
  app.get('/metrics', metricsHandler(ctx, metrics));
  let openapi: object | undefined;
  app.get('/openapi.json', (_req, res) => {
    openapi ??= openApiDocument(options.name, routes);
    res.json(openapi);
  });

  const defaultLimit = options.bodyLimit ?? '1mb';
  for (const route of routes) {
    const stack: RequestHandler[] = [
      // First, so refusals by every later step are counted and timed under the route too.
      metrics.observe(route.path),
      express.json({ limit: route.bodyLimit ?? defaultLimit, type: ['application/json', 'application/*+json'] }),
      step(async (req) => {
        const caller = await identify(req, ctx.auth, route.auth);
        admit(caller, route.auth);
        req.caller = caller;
      }),
      step((req) => appCheck(req, route)),
      step((req, res) => ipLimit(req, res, route)),
      ...(route.idempotent ? [step(idempotency)] : []),
      step(async (req, res) => {
        const body = route.body ? validate(route.body, req.body ?? {}, 'body') : undefined;
        const params = route.params ? validate(route.params, req.params, 'params') : req.params;
        const query = route.query ? validate(route.query, req.query, 'query') : undefined;
        const result = await route.handler({
          body,
          params,
          query,
          caller: req.caller as NonNullable<Request['caller']>,
          req,
          res,
          log: req.log,
        } as never);
        if (!res.headersSent) {
          const status = result === undefined && (route.status ?? 200) === 200 ? 204 : (route.status ?? 200);
          await recordIdempotentAnswer(req, res, status, result);
          if (result === undefined) res.status(status).end();
          else res.status(status).json(result);
        }
      }),
    ];
    app[route.method](route.path, ...stack);
  }

  app.use(metrics.observe(UNMATCHED_ROUTE), notFoundHandler);
  app.use(errorHandler);

  let server: Server | undefined;
  const close = async () => {
    state.draining = true;
    if (server) {
      const s = server;
      await new Promise<void>((resolve) => {
        // A keep-alive connection turns idle only when its in-flight answer is sent: keep closing idle ones.
        const sweep = setInterval(() => s.closeIdleConnections(), 50);
        s.close(() => {
          clearInterval(sweep);
          resolve();
        });
        s.closeIdleConnections();
      });
    }
    await options.onClose?.();
    await ctx.docs.close();
  };

  return {
    app,
    ctx,
    routes,
    close,
    listen(port = env.PORT ?? serviceEntry(options.name).localPort) {
      return new Promise((resolve, reject) => {
        const s = app.listen(port, '0.0.0.0');
        s.once('error', reject);
        s.once('listening', () => {
          server = s;
          const actual = (s.address() as AddressInfo).port;
          logger.info({ port: actual }, `${options.name} listening`);
          const onSignal = (signal: NodeJS.Signals) => {
            logger.info({ signal }, 'draining in-flight requests before exit');
            close()
              .then(() => process.exit(0))
              .catch((err) => {
                logger.error({ err }, 'shutdown failed');
                process.exit(1);
              });
          };
          process.once('SIGTERM', onSignal);
          process.once('SIGINT', onSignal);
          resolve({ port: actual, url: `http://127.0.0.1:${actual}` });
        });
      });
    },
  };
}

/**
 * Firebase Hosting's rewrite hands Cloud Run the browser's whole path
 * (`/api/compose/v1/projects`), while the local gateway strips the prefix;
 * both reach the same `/v1/...` routes. Through Hosting only what browsers
 * use is reachable: the public API, `/health` and the OpenAPI document, not
 * `/metrics` or the mesh's `/internal` routes.
 */
const BROWSER_PATHS = /^\/(?:v1\/|health(?:$|\?)|openapi\.json(?:$|\?))/;

function hostingPrefixStripper(prefix: string): express.RequestHandler {
  return (req, _res, next) => {
    if (req.url.startsWith(`${prefix}/`)) {
      const rest = req.url.slice(prefix.length);
      // Anything else keeps its prefix, so no route matches it: a 404.
      if (BROWSER_PATHS.test(rest)) req.url = rest;
    }
    next();
  };
}
