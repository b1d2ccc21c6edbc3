import {
  badRequest,
  type Caller,
  consumeIpBudget,
  defineRoute,
  forbidden,
  INTERNAL_USAGE_PATH,
  notFound,
  PROVIDER_LABELS,
  PROVIDERS,
  type Provider,
  quotaRoutes,
  type RouteDefinition,
  rateLimited,
  recordByoCalls,
  type ServiceContext,
  setRateLimitHeaders,
  type UserCaller,
} from '@storyreel/shared';
import type { Response } from 'express';
import { z } from 'zod';
import { createKek } from './kek/createKek.js';
import type { KeyEncryptionKey } from './kek/port.js';
import { keysByKekVersion, type RewrapReport, rotateKek } from './kekRotation.js';
import { checkKeyFormat } from './keyFormats.js';
import { deleteKey, listKeys, markKeyUsed, revealKey, setKeyStatus, storeKey } from './keyStore.js';
import { httpKeyVerifier, type KeyVerifier, offlineKeyVerifier } from './keyVerifier.js';

export interface ApiKeyOptions {
  kek?: KeyEncryptionKey;
  verifier?: KeyVerifier;
  now?: () => Date;
  rewrapBatchSize?: number;
  /** Provider checks of keys (store, test) a user may make per 15 minutes. */
  keyChecksPerWindow?: number;
  /** Told when a background re-wrap ends (tests wait on it). */
  onRewrapped?: (report: RewrapReport) => void;
}

/**
 * Enough to fix a typo or test a key now and then, too few to use us to try a
 * list of stolen keys against the providers.
 */
const KEY_CHECKS_PER_WINDOW = 20;

const ProviderParams = z.object({ provider: z.enum(PROVIDERS) });

const KeyMetadataResponse = z.object({
  provider: z.enum(PROVIDERS),
  last4: z.string(),
  status: z.enum(['verified', 'rejected', 'not verified']),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});

const rejectedKey = (provider: Provider) =>
  badRequest(`${PROVIDER_LABELS[provider]} rejected this key; check that it is active and copied whole`, {
    provider,
    reason: 'rejected_by_provider',
  });

/** The services that call providers for users: the only ones a user's key is given to. */
const KEY_READERS: ReadonlySet<string> = new Set(['compose', 'narrate', 'align-captions', 'music', 'polish']);

/** A provider-calling mesh service acting for a user: the only caller the internal key routes serve. */
function keyReaderFor(caller: Caller): UserCaller {
  if (caller.kind !== 'user' || !caller.via) throw forbidden('name the user this call is for (x-storyreel-user)');
  if (!KEY_READERS.has(caller.via)) throw forbidden(`the ${caller.via} service makes no provider calls for users`);
  return caller;
}

/**
 * The api-key service: users store, list, replace and delete their own
 * provider keys (metadata only ever comes back); mesh services read the
 * plaintext and record usage through internal routes that accept service
 * credentials alone; operators rotate the KEK.
 */
export function apiKeyRoutes(ctx: ServiceContext, options: ApiKeyOptions = {}): RouteDefinition[] {
  const kek = options.kek ?? createKek(ctx.env);
  const verifier = options.verifier ?? (ctx.env.PROVIDERS === 'offline' ? offlineKeyVerifier : httpKeyVerifier());
  const now = options.now ?? (() => new Date());
  const deps = { docs: ctx.docs, kek, logger: ctx.logger };
  const keyChecks = options.keyChecksPerWindow ?? KEY_CHECKS_PER_WINDOW;

  /** Counts one provider check of a key against the user's budget (429 with Retry-After when spent). */
  async function spendKeyCheck(uid: string, res: Response): Promise<void> {
    if (!ctx.env.RATE_LIMITS_ENABLED) return;
    const verdict = await consumeIpBudget(ctx.docs, {
      scope: 'api-key: key checks',
      ip: `user:${uid}`,
      limit: keyChecks,
    });
    const retryAfter = setRateLimitHeaders(res, verdict);
    if (!verdict.allowed) {
      throw rateLimited(`too many key checks; try again in ${retryAfter} s`, retryAfter, { limit: keyChecks });
    }
  }

  return [
    ...quotaRoutes(ctx),
    defineRoute({
      method: 'get',
      path: '/v1/keys',
      summary: 'Your stored provider keys: metadata only (provider, last 4 characters, dates, status)',
      auth: 'user',
      response: z.object({ keys: z.array(KeyMetadataResponse) }),
      handler: async ({ caller }) => ({ keys: await listKeys(ctx.docs, (caller as UserCaller).uid) }),
    }),
    defineRoute({
      method: 'put',
      path: '/v1/keys/:provider',
      summary:
        'Store or replace your key for a provider: format checked, verified with the provider when it can be reached, encrypted at rest',
      auth: 'user',
      params: ProviderParams,
      body: z.object({ apiKey: z.string().min(1).max(512) }),
      response: KeyMetadataResponse.extend({ replaced: z.boolean() }),
      handler: async ({ params, body, caller, res }) => {
        const apiKey = checkKeyFormat(params.provider, body.apiKey);
        const uid = (caller as UserCaller).uid;
        await spendKeyCheck(uid, res);
        const status = await verifier.verify(params.provider, apiKey);
        if (status === 'rejected') throw rejectedKey(params.provider);
        const { key, replaced } = await storeKey(deps, { uid, provider: params.provider, apiKey, status, at: now() });
        return { ...key, replaced };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/keys/:provider/test',
      summary: 'Ask the provider again whether your stored key works; the answer becomes its status',
      auth: 'user',
      params: ProviderParams,
      response: KeyMetadataResponse,
      handler: async ({ params, caller, res }) => {
        const uid = (caller as UserCaller).uid;
        const apiKey = await revealKey(deps, uid, params.provider);
        if (!apiKey) throw notFound(`a stored ${params.provider} key`);
        await spendKeyCheck(uid, res);
        return setKeyStatus(ctx.docs, uid, params.provider, await verifier.verify(params.provider, apiKey));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/keys/:provider',
      summary: 'Delete your key for a provider; calls for you use the platform key again',
      auth: 'user',
      params: ProviderParams,
      handler: ({ params, caller }) => deleteKey(ctx.docs, (caller as UserCaller).uid, params.provider),
    }),

    defineRoute({
      method: 'get',
      path: '/internal/v1/keys/:provider',
      summary: "Mesh only: the user's plaintext key for a provider (404 when they stored none)",
      auth: 'service',
      appCheck: false,
      params: ProviderParams,
      response: z.object({ provider: z.enum(PROVIDERS), apiKey: z.string() }),
      handler: async ({ params, caller, res }) => {
        const user = keyReaderFor(caller);
        res.setHeader('cache-control', 'no-store');
        const apiKey = await revealKey(deps, user.uid, params.provider);
        if (!apiKey) throw notFound(`a stored ${params.provider} key for this user`);
        return { provider: params.provider, apiKey };
      },
    }),
    defineRoute({
      method: 'post',
      path: INTERNAL_USAGE_PATH,
      summary: "Mesh only: records provider calls made with the user's own key",
      auth: 'service',
      appCheck: false,
      body: z.object({ provider: z.enum(PROVIDERS), units: z.number().int().min(1).max(1_000_000).default(1) }),
      handler: async ({ body, caller }) => {
        const user = keyReaderFor(caller);
        const at = now();
        await recordByoCalls(ctx.docs, user.uid, body.provider, body.units, at);
        await markKeyUsed(ctx.docs, user.uid, body.provider, at);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/internal/v1/kek',
      summary: 'Mesh only: the current KEK version and how many stored keys each version wraps',
      auth: 'service',
      appCheck: false,
      response: z.object({ kekVersion: z.string(), keysByVersion: z.record(z.string(), z.number().int()) }),
      handler: async () => ({
        kekVersion: await kek.currentVersion(),
        keysByVersion: await keysByKekVersion(ctx.docs),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/internal/v1/kek/rotations',
      summary: 'Mesh only: makes a new KEK version current and re-wraps stored data keys in the background',
      auth: 'service',
      appCheck: false,
      status: 202,
      response: z.object({ kekVersion: z.string() }),
      handler: async () => {
        const { kekVersion, done } = await rotateKek(deps, { batchSize: options.rewrapBatchSize });
        void done.then(options.onRewrapped, (err) =>
          ctx.logger.error({ err: (err as Error).message }, 'the re-wrap after a KEK rotation failed'),
        );
        return { kekVersion };
      },
    }),
  ];
}
