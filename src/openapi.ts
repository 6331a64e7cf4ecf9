/**
 * The OpenAPI 3.1 document, generated from the zod schemas the handlers validate with. Every route
 * the app serves is in it (test/integration/openapi/routes.test.ts walks the app's routes),
 * and it lints clean with Redocly's and Spectral's recommended rules (test/integration/openapi/lint.test.ts).
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { documentDispatchRoutes } from './dashboard/index.ts';
import { documentDriverRoutes } from './drivers/driver.routes.ts';
import { documentSettlementRoutes } from './settlement/settlement.routes.ts';
import { documentParcelRoutes } from './parcels/parcel.routes.ts';
import { documentPickupRoutes } from './pickups/pickup.routes.ts';
import { documentPlanRoutes } from './plans/plan.routes.ts';
import { documentVroomRoutes } from './vroom/vroom.routes.ts';
import { documentNetworkRoutes } from './network/network.routes.ts';
import { ErrorResponse } from './http/http-errors.ts';
import { requestSideInInputMode } from './http/openapi-modes.ts';
import { API_TAGS, BEARER_AUTH, json, registerOperation, registerSharedResponses } from './http/openapi-operation.ts';
import { z } from './http/zod.ts';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export function buildOpenApiDocument(): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', BEARER_AUTH, {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key from `gongpei keys create`',
  });
  registry.register('Error', ErrorResponse);
  registerSharedResponses(registry);
  documentParcelRoutes(registry);
  documentPickupRoutes(registry);
  documentPlanRoutes(registry);
  documentDispatchRoutes(registry);
  documentDriverRoutes(registry);
  documentSettlementRoutes(registry);
  documentVroomRoutes(registry);
  documentNetworkRoutes(registry);
  documentOperationsRoutes(registry);
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'gongpei API',
      version: '0.1.0',
      description:
        'Courier parcel and produce-pickup intake, day plans, driver manifests and stop events for rural three-tier co-delivery (共配) in Qin County. ' +
        'Errors: `{"error": {"code", "message", "details": [{"path", "message"}]}}`.',
      license: { name: 'MIT', identifier: 'MIT' },
      contact: { name: 'gongpei maintainers' },
    },
    servers: [{ url: '/' }],
    tags: API_TAGS.map((t) => ({ ...t })),
  });
  return requestSideInInputMode(document);
}

/** Health, readiness, metrics (admin keys) and this document. */
function documentOperationsRoutes(registry: OpenAPIRegistry): void {
  const Health = z.object({ status: z.literal('ok') }).openapi('Health');
  const Ready = z
    .object({
      status: z.enum(['ok', 'degraded', 'unavailable']).openapi({ description: 'Without an admin key: `ok` (serving) or `unavailable` only' }),
      checks: z
        .record(z.string(), z.object({ ok: z.boolean(), error: z.string().optional() }))
        .optional()
        .openapi({ description: 'By dependency (database, redis): with an admin key only' }),
    })
    .openapi('Ready');
  registerOperation(registry, {
    method: 'get',
    path: '/healthz',
    operationId: 'getHealth',
    tag: 'operations',
    summary: 'Liveness',
    description: 'Answers while the process serves requests.',
    responses: { 200: json('Alive', Health) },
  });
  registerOperation(registry, {
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    tag: 'operations',
    summary: 'Readiness',
    description:
      'The database is required; without Redis the API is degraded but intake still accepts (the outbox keeps every job). ' +
      'Public for probes, which get `ok` (200) or `unavailable` (503) and nothing more; an admin key (Bearer) also gets `degraded` and the check of each dependency.',
    responses: { 200: json('Ready or degraded', Ready), 503: json('The database is unavailable', Ready) },
  });
  registerOperation(registry, {
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    tag: 'operations',
    summary: 'Prometheus metrics',
    description: 'Request counts and latencies, outbox backlog and queue depths, in the Prometheus text exposition format.',
    roles: ['admin'],
    responses: { 200: { description: 'Text exposition format', content: { 'text/plain': { schema: z.string() } } } },
  });
  registerOperation(registry, {
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    tag: 'operations',
    summary: 'This document',
    description: 'The OpenAPI 3.1 document of this API (Swagger UI at /docs).',
    responses: { 200: json('The OpenAPI document', z.record(z.string(), z.unknown())) },
  });
}
