import { z } from 'zod';
import type { ServiceContext } from '../http/createService.js';
import { defineRoute } from '../http/route.js';
import { sliSummary } from './jobOutcomes.js';

const SliQuery = z.object({ days: z.coerce.number().int().min(1).max(90).default(7) });

/** `GET /v1/sli`: the numbers behind the frontend's status page (render success, p95, share-page availability). */
export function sliRoutes(ctx: Pick<ServiceContext, 'docs'>) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/sli',
      summary: 'Service levels over the last days: render success rate, p95 render time, share-page availability',
      auth: 'public',
      // A status page left open polls about once a minute: 60 per 15 min leaves room for a few tabs.
      ipLimit: 60,
      query: SliQuery,
      handler: ({ query }) => sliSummary(ctx.docs, query.days),
    }),
  ];
}
