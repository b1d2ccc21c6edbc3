import type { RouteDefinition, ServiceContext } from '@storyreel/shared';

/** The upload service's routes: the skeleton answers /health, /health/detailed and /openapi.json until its issue lands. */
export function uploadRoutes(_ctx: ServiceContext): RouteDefinition[] {
  return [];
}
