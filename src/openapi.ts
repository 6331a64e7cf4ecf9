/**
 * The OpenAPI 3.1 document, generated from the zod schemas the handlers validate with.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { documentDispatchRoutes } from './dashboard/index.ts';
import { documentDriverRoutes } from './drivers/driver.routes.ts';
import { documentParcelRoutes } from './parcels/parcel.routes.ts';
import { documentPickupRoutes } from './pickups/pickup.routes.ts';
import { ErrorResponse } from './http/http-errors.ts';
import { z } from './http/zod.ts';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export function buildOpenApiDocument(): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key from `gongpei keys create`',
  });
  registry.register('Error', ErrorResponse);
  documentParcelRoutes(registry);
  documentPickupRoutes(registry);
  documentDispatchRoutes(registry);
  documentDriverRoutes(registry);
  const Health = z.object({ status: z.string() }).openapi('Health');
  const Ready = z
    .object({ status: z.enum(['ok', 'degraded', 'unavailable']), checks: z.record(z.string(), z.object({ ok: z.boolean(), error: z.string().optional() })) })
    .openapi('Ready');
  registry.registerPath({ method: 'get', path: '/healthz', summary: 'Liveness', responses: { 200: { description: 'Alive', content: { 'application/json': { schema: Health } } } } });
  registry.registerPath({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: database (required) and Redis (degraded without it; intake still accepts)',
    responses: {
      200: { description: 'Ready or degraded', content: { 'application/json': { schema: Ready } } },
      503: { description: 'Database unavailable', content: { 'application/json': { schema: Ready } } },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (admin keys only)',
    security: [{ bearerAuth: [] }],
    responses: {
      200: { description: 'Text exposition format', content: { 'text/plain': { schema: z.string() } } },
      401: { description: 'Missing or unknown key', content: { 'application/json': { schema: ErrorResponse } } },
      403: { description: 'Not an admin key', content: { 'application/json': { schema: ErrorResponse } } },
      429: { description: 'Too many failed authentications from this address', content: { 'application/json': { schema: ErrorResponse } } },
    },
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'gongpei intake API',
      version: '0.1.0',
      description: 'Courier parcel and produce-pickup intake for Qin County co-delivery (共配). Errors: `{"error": {"code", "message", "details": [{"path", "message"}]}}`.',
    },
    servers: [{ url: '/' }],
  });
}
