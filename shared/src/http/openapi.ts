import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { RouteDefinition } from './route.js';

const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  }),
});

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** The OpenAPI 3.1 document of a service, generated from the same zod schemas that validate its requests. */
export function openApiDocument(service: string, routes: readonly RouteDefinition[]): object {
  const registry = new OpenAPIRegistry();
  for (const route of routes) {
    const params =
      route.params instanceof z.ZodObject
        ? route.params
        : (() => {
            const names = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);
            return names.length ? z.object(Object.fromEntries(names.map((n) => [n, z.string()]))) : undefined;
          })();
    registry.registerPath({
      method: route.method,
      path: toOpenApiPath(route.path),
      summary: route.summary,
      ...(route.auth === 'public' ? {} : { security: [{ bearer: [] }] }),
      request: {
        ...(params ? { params } : {}),
        ...(route.query instanceof z.ZodObject ? { query: route.query } : {}),
        ...(route.body ? { body: { content: { 'application/json': { schema: route.body } } } } : {}),
      },
      responses: {
        [route.status ?? 200]: {
          description: 'Success',
          ...(route.response ? { content: { 'application/json': { schema: route.response } } } : {}),
        },
        default: { description: 'Error', content: { 'application/json': { schema: errorBody } } },
      },
    });
  }
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: `storyreel ${service}`, version: '1.0.0' },
    servers: [{ url: `/api/${service}` }],
  });
}
