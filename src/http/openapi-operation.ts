/**
 * How a resource documents one of its operations: `registerOperation` adds what the shared
 * middleware makes true of every route (the bearer key, the 401/403/429/503/500 answers of the
 * guard and the error middleware, the app's 413 for an oversized body, the 400/415 answers of a
 * body, the 400 of a validated parameter) so each resource writes only what is its own: the id, the tag, the schemas, the
 * success answers and its own errors (404, 409, 422, ...).
 *
 * test/integration/openapi/routes.test.ts checks the result against the app's routes.
 */
import type { OpenAPIRegistry, ResponseConfig, RouteConfig, ZodRequestBody } from '@asteasolutions/zod-to-openapi';
import type { ZodType } from 'zod';
import type { Role } from '../db/schema.ts';
import { ErrorResponse } from './http-errors.ts';
import { z } from './zod.ts';

/** The document's tags, in the order a reader meets them. */
export const API_TAGS = [
  { name: 'parcels', description: 'Courier parcel intake (JSON or CSV), tracking and cancellation' },
  { name: 'pickups', description: 'Produce pickups (农产品上行) to collect at village stations' },
  { name: 'plans', description: 'A service day’s delivery plan: request it, follow it, read its routes and savings' },
  { name: 'settlement', description: 'How the joint cost of a day is split among the couriers (结算)' },
  { name: 'stats', description: 'Statistics over a date range' },
  { name: 'solve', description: 'A VROOM-compatible solver endpoint: VROOM’s input and output formats' },
  { name: 'drivers', description: 'Drivers, their vehicles by date, and their phones’ sign-in' },
  { name: 'manifests', description: 'Driver manifests: stops in order, parcels, pickups, loading order' },
  { name: 'stop events', description: 'What drivers report at their stops' },
  { name: 'webhooks', description: 'A courier’s webhook in a county, for that county’s status changes' },
  { name: 'dashboard', description: 'What the dispatcher dashboard reads: the network map, KPIs, its settings' },
  { name: 'networks', description: 'County networks: import a county’s townships, hubs, stations and fleet (admin)' },
  { name: 'operations', description: 'Health, readiness, metrics and this document' },
] as const;

export type ApiTag = (typeof API_TAGS)[number]['name'];

export const BEARER_AUTH = 'bearerAuth';

/** Error answers every operation of a kind shares, as components/responses. */
const SHARED = {
  400: { name: 'InvalidRequest', description: 'Invalid request: a parameter or the body does not match its schema (`details` name each field)' },
  401: { name: 'Unauthorized', description: 'Missing, malformed, unknown or revoked API key' },
  403: { name: 'Forbidden', description: 'This key’s role may not use this operation' },
  413: { name: 'PayloadTooLarge', description: 'The body (or the batch) is larger than this operation accepts' },
  415: { name: 'UnsupportedMediaType', description: 'The body’s Content-Type (or its charset or encoding) is not one this operation reads' },
  429: { name: 'RateLimited', description: 'This key sent more requests than its rate limit allows; retry after `Retry-After` seconds', retryAfter: true },
  500: { name: 'InternalError', description: 'An unexpected error (logged on the server; the message says nothing more)' },
  503: { name: 'Unavailable', description: 'The database is unavailable; retry after `Retry-After` seconds', retryAfter: true },
} as const satisfies Record<number, { name: string; description: string; retryAfter?: boolean }>;

type SharedStatus = keyof typeof SHARED;

const RetryAfter = { description: 'Seconds to wait before retrying', schema: { type: 'integer' as const, minimum: 1 } };

export function registerSharedResponses(registry: OpenAPIRegistry): void {
  for (const r of Object.values(SHARED)) {
    registry.registerComponent('responses', r.name, {
      description: r.description,
      ...('retryAfter' in r ? { headers: { 'Retry-After': RetryAfter } } : {}),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    });
  }
}

const shared = (status: SharedStatus) => ({ $ref: `#/components/responses/${SHARED[status].name}` });

/** An error answer of this operation's own, with the shared error body. */
export function errorResponse(description: string): ResponseConfig {
  return { description, content: { 'application/json': { schema: ErrorResponse } } };
}

export interface OperationSpec {
  readonly method: RouteConfig['method'];
  /** OpenAPI form: `/v1/plans/{id}`. */
  readonly path: string;
  /** Unique, camelCase: what a generated client calls the method. */
  readonly operationId: string;
  readonly tag: ApiTag;
  readonly summary: string;
  readonly description: string;
  /** The roles whose keys may call it; absent for a public endpoint (no key). */
  readonly roles?: readonly Role[];
  readonly request?: {
    readonly params?: NonNullable<RouteConfig['request']>['params'];
    readonly query?: NonNullable<RouteConfig['request']>['query'];
    readonly body?: {
      readonly schema: ZodType;
      /** Default: application/json. */
      readonly mediaTypes?: readonly string[];
      readonly description?: string;
    };
  };
  /** Success answers (and any other answer with a body of its own). */
  readonly responses: Readonly<Record<number, ResponseConfig>>;
  /** This operation's own error answers: status → when. */
  readonly errors?: Readonly<Record<number, string>>;
}

export function registerOperation(registry: OpenAPIRegistry, op: OperationSpec): void {
  const authenticated = op.roles !== undefined;
  const validates = op.request?.params !== undefined || op.request?.query !== undefined || op.request?.body !== undefined;
  const statuses: SharedStatus[] = [
    ...(validates ? [400 as const] : []),
    ...(authenticated ? [401 as const, 403 as const] : []),
    // Any request announcing a body larger than the app reads is refused before routing (413).
    413,
    ...(op.request?.body ? [415 as const] : []),
    ...(authenticated ? [429 as const] : []),
    500,
    ...(authenticated ? [503 as const] : []),
  ];
  const responses: RouteConfig['responses'] = { ...op.responses };
  for (const [status, when] of Object.entries(op.errors ?? {})) responses[status] = errorResponse(when);
  for (const s of statuses) responses[s] ??= shared(s);
  const body = op.request?.body;
  const request: RouteConfig['request'] = {
    ...(op.request?.params ? { params: op.request.params } : {}),
    ...(op.request?.query ? { query: op.request.query } : {}),
    ...(body
      ? {
          body: {
            required: true,
            ...(body.description ? { description: body.description } : {}),
            content: Object.fromEntries((body.mediaTypes ?? ['application/json']).map((t) => [t, { schema: body.schema }])),
          } satisfies ZodRequestBody,
        }
      : {}),
  };
  const keys = op.roles === undefined ? '' : `\n\nAPI keys: ${op.roles.join(', ')}.`;
  registry.registerPath({
    method: op.method,
    path: op.path,
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    description: `${op.description}${keys}`,
    // A public operation says so (an empty requirement) rather than leaving it unstated.
    security: authenticated ? [{ [BEARER_AUTH]: [] }] : [],
    ...(Object.keys(request).length > 0 ? { request } : {}),
    responses: sortedByStatus(responses),
  });
}

function sortedByStatus<T>(responses: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
}

/** A JSON response. */
export function json(description: string, schema: ZodType): ResponseConfig {
  return { description, content: { 'application/json': { schema } } };
}

/** A GeoJSON answer (`application/geo+json`): the map layers and the plan routes. */
export const GeoJsonFeatureCollection = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({ type: z.literal('Feature'), geometry: z.record(z.string(), z.unknown()).nullable(), properties: z.record(z.string(), z.unknown()).nullable() }),
    ),
  })
  .openapi('FeatureCollection', { description: 'A GeoJSON FeatureCollection (RFC 7946)' });
