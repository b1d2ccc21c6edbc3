import { quotaRoutes, type RouteDefinition, type ServiceContext } from '@storyreel/shared';

/**
 * The api-key service: today the user's quota status; BYO provider keys
 * (store, validate, rotate) arrive with their own issue.
 */
export function apiKeyRoutes(ctx: ServiceContext): RouteDefinition[] {
  return [...quotaRoutes(ctx)];
}
