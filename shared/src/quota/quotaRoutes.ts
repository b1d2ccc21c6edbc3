import { z } from 'zod';
import type { UserCaller } from '../auth/caller.js';
import type { ServiceContext } from '../http/createService.js';
import { defineRoute } from '../http/route.js';
import { PROVIDERS } from '../providers/providerKeys.js';
import { quotaStatus } from './planQuota.js';

export const QuotaStatusResponse = z.object({
  plan: z.enum(['free', 'pro', 'enterprise']),
  limit: z.number().int(),
  used: z.number().int(),
  remaining: z.number().int(),
  resetsAt: z.iso.datetime(),
  byoKeyUsage: z.number().int(),
  byoCalls: z.record(z.enum(PROVIDERS), z.number().int()),
});

/** `GET /v1/quota`, for the services that charge renders (compose) or report usage (api-key). */
export function quotaRoutes(ctx: Pick<ServiceContext, 'docs'>) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/quota',
      summary: "The signed-in user's render quota for today and the calls made with their own provider keys",
      auth: 'user',
      response: QuotaStatusResponse,
      handler: ({ caller }) => quotaStatus(ctx.docs, caller as UserCaller),
    }),
  ];
}
