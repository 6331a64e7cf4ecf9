/**
 * The OpenAPI document against what the app really serves: the app's routes are read from its
 * Express router stack (test/support/express-routes.ts), so an endpoint added without
 * documentation, or documented without being served, fails here with what to do about it. Each
 * operation's documented answers are checked against the shared middleware on its route (the
 * guard's 401/403/429/503, a media type check's 415, a body parser's 400/413, the app-wide
 * oversize check's 413), read from the marks that middleware carries (src/http/answers.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express, RequestHandler } from 'express';
import { createTestDatabase, type TestDatabase } from '../../../src/db/test-database.ts';
import { createDestinationResolver } from '../../../src/geo/destination-resolver.ts';
import { answersOf } from '../../../src/http/answers.ts';
import { createApp } from '../../../src/app.ts';
import { buildOpenApiDocument } from '../../../src/openapi.ts';
import { OutboxRelay } from '../../../src/queue/outbox-relay.ts';
import { queueSideOf } from '../../../src/server.ts';
import { TEST_SETTINGS } from '../../support/config.ts';
import { servedRoutes, type ServedRoute } from '../../support/express-routes.ts';
import { BOUNDARY } from '../http/helpers.ts';

/**
 * What the app serves that is deliberately not an API operation: pages and files for people.
 * Each entry must still be served (a stale entry fails), and nothing else may be missing.
 */
const NOT_IN_API: Readonly<Record<string, string>> = {
  'get /': 'the dispatcher dashboard’s HTML page',
  'get /index.html': 'the dispatcher dashboard’s HTML page',
  'get /assets/{file}': 'the pages’ bundled, minified scripts and styles (content-hashed names)',
  'get /driver': 'the driver’s phone view (opened from a sign-in link)',
  'get /manifest': 'a printable manifest opened from its link (the token in the query is the credential)',
  'get /driver-sw.js': 'the driver view’s service worker (offline page)',
  'get /tiles/county.pmtiles': 'the offline base map, one PMTiles archive read with HTTP range requests',
  'mount /vendor/fonts/noto-sans-sc': 'the Noto Sans SC web font (Chinese) for the pages and printed manifests',
  'mount /docs': 'Swagger UI, the human view of this document',
  'mount /admin/queues': 'Bull Board, the admin queue UI (its own internal API)',
};

const HOW_TO_DOCUMENT =
  'Document it next to its router: registerOperation(registry, { method, path, operationId, tag, summary, description, roles, request, responses, errors }) ' +
  '(src/http/openapi-operation.ts) in the document function of the resource that serves it (e.g. documentPlanRoutes in src/plans/plan.routes.ts), ' +
  'and call that function from buildOpenApiDocument (src/openapi.ts). A page for people instead goes in NOT_IN_API in this test, with the reason.';

type Operation = {
  operationId?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  requestBody?: { required?: boolean; content: Record<string, unknown> };
  responses: Record<string, unknown>;
};

/** `get /v1/x` → `GET /v1/x`; `mount /x` → `app.use('/x')`. */
function shown(key: string): string {
  const [method, path] = key.split(' ') as [string, string];
  return method === 'mount' ? `app.use('${path}')` : `${method.toUpperCase()} ${path}`;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

describe('the OpenAPI document and the app’s routes', () => {
  let tdb: TestDatabase;
  let app: Express;
  const doc = buildOpenApiDocument();
  const operations = new Map<string, Operation>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const m of METHODS) {
      const op = (item as Record<string, unknown>)[m] as Operation | undefined;
      if (op !== undefined) operations.set(`${m} ${path}`, op);
    }
  }
  let served: ServedRoute[] = [];
  let mounts: string[] = [];
  let everywhere: RequestHandler[] = [];

  beforeAll(async () => {
    tdb = await createTestDatabase('sqlite');
    // Wired as `gongpei serve` wires it, with a queue side (so the admin queue board is mounted);
    // the relay is never started, so nothing connects to Redis.
    const relay = new OutboxRelay({ db: tdb.db, redisUrl: 'redis://127.0.0.1:6379', prefix: 'openapi-routes-test' });
    app = createApp({ db: tdb.db, resolveDestination: createDestinationResolver({ townships: [], stations: [], boundary: BOUNDARY }), settings: TEST_SETTINGS, queues: queueSideOf(relay) });
    ({ routes: served, mounts, everywhere } = servedRoutes(app));
  });
  afterAll(async () => {
    await tdb?.dispose();
  });

  it('documents every route the app serves, and serves every documented operation', () => {
    const servedKeys = new Set([...served.map((r) => `${r.method} ${r.path}`), ...mounts.map((m) => `mount ${m}`)]);
    const undocumented = [...servedKeys].filter((k) => !operations.has(k) && !(k in NOT_IN_API));
    expect(undocumented.map((k) => `${shown(k)} is served but not in /openapi.json. ${HOW_TO_DOCUMENT}`)).toEqual([]);
    const notServed = [...operations.keys()].filter((k) => !servedKeys.has(k));
    expect(notServed.map((k) => `${shown(k)} is in /openapi.json but the app serves no such route (path and method must match the router's, :param as {param})`)).toEqual([]);
    const stale = Object.keys(NOT_IN_API).filter((k) => !servedKeys.has(k));
    expect(stale.map((k) => `NOT_IN_API lists ${k}, which the app no longer serves: remove it`)).toEqual([]);
    // The walk itself found the app's API (a walk that finds nothing would pass the checks above).
    expect(served.length).toBeGreaterThanOrEqual(operations.size);
  });

  it('lists on each operation every answer the shared middleware on its route can give', () => {
    const problems: string[] = [];
    for (const route of served) {
      const key = `${route.method} ${route.path}`;
      const op = operations.get(key);
      if (op === undefined) continue;
      const marks = [...everywhere, ...route.handlers].map(answersOf).filter((a) => a !== undefined);
      const documented = new Set(Object.keys(op.responses));
      for (const status of new Set(marks.flatMap((a) => a.statuses))) {
        if (!documented.has(String(status))) problems.push(`${key}: its middleware can answer ${status}, the document does not list it`);
      }
      const authenticates = marks.some((a) => a.authenticates === true);
      const secured = (op.security ?? []).length > 0;
      if (authenticates !== secured) problems.push(`${key}: ${authenticates ? 'needs an API key but documents no security requirement' : 'is public but documents a security requirement'}`);
      const mediaTypes = marks.flatMap((a) => a.mediaTypes ?? []);
      const bodyTypes = Object.keys(op.requestBody?.content ?? {});
      if (mediaTypes.length > 0 || bodyTypes.length > 0) {
        if (op.requestBody?.required !== true) problems.push(`${key}: reads a body, but the document does not mark it required`);
        if ([...mediaTypes].sort().join() !== [...bodyTypes].sort().join()) {
          problems.push(`${key}: reads ${mediaTypes.join(', ') || 'no body'}; the document says ${bodyTypes.join(', ') || 'no body'}`);
        }
      }
    }
    expect(problems).toEqual([]);
    // The marks are there to be found: the intake route carries the guard, a media type check and a body parser.
    const intake = served.find((r) => r.method === 'post' && r.path === '/v1/parcels');
    expect(everywhere.some((h) => answersOf(h)?.statuses.includes(413))).toBe(true);
    expect([...new Set(intake?.handlers.flatMap((h) => answersOf(h)?.statuses ?? []))].sort()).toEqual([400, 401, 403, 413, 415, 429, 503]);
  });

  it('gives every operation a unique operationId and one declared tag', () => {
    const declared = new Set((doc.tags ?? []).map((t) => t.name));
    const ids = new Map<string, string>();
    const problems: string[] = [];
    for (const [key, op] of operations) {
      if (!op.operationId) problems.push(`${key}: no operationId`);
      else if (ids.has(op.operationId)) problems.push(`${key}: operationId ${op.operationId} is also ${ids.get(op.operationId)}'s`);
      else ids.set(op.operationId, key);
      if (op.tags?.length !== 1 || !declared.has(op.tags[0]!)) problems.push(`${key}: tags ${JSON.stringify(op.tags)}; one of ${[...declared].join(', ')}`);
    }
    expect(problems).toEqual([]);
  });
});
