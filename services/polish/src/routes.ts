import type { RouteDefinition, ServiceContext } from '@storyreel/shared';

/** The polish service's routes: the skeleton answers /health, /health/detailed and /openapi.json until its issue lands. */
export function polishRoutes(_ctx: ServiceContext): RouteDefinition[] {
  return [];
}
