/**
 * `createApp(deps)`: the Express app, wired explicitly from what it is given (no container).
 * server.ts builds the deps from config; tests build them with test databases and queues.
 */
import compression from 'compression';
import express, { type Express, type Request, type RequestHandler } from 'express';
import helmet from 'helmet';
import { sql, type Kysely } from 'kysely';
import { pino, type Logger } from 'pino';
import swaggerUi from 'swagger-ui-express';
import type { Queue } from 'bullmq';
import { ApiKeyAuthenticator, type Principal } from './auth/api-keys.ts';
import { AppError } from './errors.ts';
import { dispatchRoutes } from './dashboard/index.ts';
import type { Database } from './db/schema.ts';
import type { DestinationResolver } from './geo/destination-resolver.ts';
import { haversineSource, type RoadMatrixProvider, type RoadMatrixSource } from './geo/matrix.ts';
import type { DaySettings } from './planning/types.ts';
import { ParcelWriter } from './parcels/parcel-writer.ts';
import { parcelRoutes } from './parcels/parcel.routes.ts';
import { pickupRoutes } from './pickups/pickup.routes.ts';
import { planApiRoutes } from './plans/plan.routes.ts';
import type { PlanDateWindow } from './plans/plan.service.ts';
import { driverRoutes } from './drivers/driver.routes.ts';
import { settlementRoutes } from './settlement/settlement.routes.ts';
import { vroomRoutes, type SolveApiOptions } from './vroom/vroom.routes.ts';
import { networkRoutes } from './network/network.routes.ts';
import { answering } from './http/answers.ts';
import { AuthFailureLimiter, DEFAULT_AUTH_FAILURE_LIMIT, DEFAULT_RATE_LIMIT, authenticate, rateLimit, requireRole, type AuthFailureLimitOptions, type RateLimitOptions } from './http/auth.ts';
import { errorHandler, notFoundHandler } from './http/error-handler.ts';
import { byteSize } from './http/json-body.ts';
import { createHttpMetrics, type QueueGauges } from './http/metrics.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { loadConfig, webhookConfig, type WebhookConfig } from './config.ts';
import { SecretBox } from './webhooks/secret-box.ts';
import { DEFAULT_CSV_LIMITS, type CsvLimits } from './parcels/parcel.csv.ts';
import { createWebhookTargetChecker, type WebhookTargetChecker } from './webhooks/webhook-target.ts';
import { requestLog } from './http/request-log.ts';

/** What the app needs from the queue side; the outbox relay provides it. */
export interface QueueSide extends QueueGauges {
  /** Wake the relay: outbox rows were just committed. */
  readonly nudge: () => void;
  /** Resolves when Redis answers a PING; rejects otherwise. */
  readonly pingRedis: () => Promise<void>;
  /** A producer queue by name (for the admin queue board at /admin/queues). */
  readonly queue?: (name: string) => Queue;
}

export interface AppDeps {
  readonly db: Kysely<Database>;
  readonly resolveDestination: DestinationResolver;
  /** Called after an admin imported a network (the server reloads its destination resolver). */
  readonly onNetworkImported?: () => Promise<void>;
  /** The configured day (cut-off, sorting, the network's clock): `daySettings(config)`. */
  readonly settings: Omit<DaySettings, 'serviceDate'>;
  /** Road distances for route edits, the planner's (default: haversine × 1.3, the configuration's default). */
  readonly roadSource?: RoadMatrixSource | undefined;
  /** The configured matrix provider (src/geo/matrix.ts): told when a dispatcher moves a station, so its caches forget the old position. */
  readonly roadProvider?: RoadMatrixProvider | undefined;
  readonly queues?: QueueSide | undefined;
  readonly logger?: Logger | undefined;
  readonly options?: AppOptions | undefined;
}

export interface AppOptions {
  /** Per-key request budget (default 200 requests/s, burst 400); shared through Redis when given one. */
  readonly rateLimit?: RateLimitOptions;
  /** Webhook secret key and target policy (default: config defaults, the development key). */
  readonly webhook?: Pick<WebhookConfig, 'secretKey' | 'target'>;
  /** Failed authentications per client address before 429s (default 20 per 60 s). */
  readonly authFailures?: AuthFailureLimitOptions;
  /** How long a key lookup is cached; a revocation takes effect within this (default 1000 ms). */
  readonly authCacheMs?: number;
  readonly jsonLimit?: string;
  /** CSV import limits (default 8 MiB and 10,000 rows; CSV_MAX_BYTES, CSV_MAX_ROWS). */
  readonly csv?: CsvLimits;
  /** Log one line per request (default true). */
  readonly requestLogging?: boolean;
  /** Node process metrics on /metrics (default false: one registry per process should own them). */
  readonly defaultMetrics?: boolean;
  /** Map tile URL template for the dashboard (default: none; the map works offline). */
  readonly tileUrl?: string | undefined;
  /** The clock of the plan endpoints (the planning window, publish/close times) and of delivery events without `at`; tests pass a fixed one. */
  readonly clock?: (() => Date) | undefined;
  /** Plan dates allowed around today (default today − 7 … today + 14). */
  readonly planDateWindow?: PlanDateWindow | undefined;
  /** Failed delivery attempts after which a parcel becomes a return (default 3). */
  readonly returnAfterAttempts?: number | undefined;
  /** The solver pool and budget of POST /v1/solve (absent: it answers 503). */
  readonly solve?: SolveApiOptions | undefined;
}

/**
 * Personal data never reaches the logs: bodies are not logged at all, and these paths are
 * censored in case an error object or a future log call carries them.
 */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'recipient',
  'shipper',
  '*.recipient',
  '*.shipper',
  '*.recipient_name',
  '*.recipient_phone',
  '*.shipper_name',
  '*.shipper_phone',
  '*.phone',
  'body',
  '*.body',
  'err.parameters',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } }, destination);
}

export function createApp(deps: AppDeps): Express {
  const options = deps.options ?? {};
  const logger = deps.logger ?? createLogger('silent');
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('etag', false);

  const metrics = createHttpMetrics({ defaultMetrics: options.defaultMetrics ?? false, queues: deps.queues });
  app.use(metrics.middleware);
  app.use(requestLog(logger, { autoLogging: options.requestLogging ?? true }));
  app.use(helmet());
  app.use(refuseAnnouncedOversize(Math.max(byteSize(options.jsonLimit ?? '2mb'), (options.csv ?? DEFAULT_CSV_LIMITS).maxBytes)));
  // The authenticated API's parts (mounted below, after the public endpoints).
  const authenticator = new ApiKeyAuthenticator(deps.db, options.authCacheMs ?? 1_000);
  const authFailures = new AuthFailureLimiter(options.authFailures ?? DEFAULT_AUTH_FAILURE_LIMIT);
  const guard: RequestHandler[] = [authenticate(authenticator, authFailures), rateLimit(options.rateLimit ?? DEFAULT_RATE_LIMIT)];
  const nudge = deps.queues === undefined ? undefined : () => deps.queues!.nudge();
  const serviceDeps = { db: deps.db, resolveDestination: deps.resolveDestination, ...(nudge ? { onOutboxWritten: nudge } : {}) };
  const jsonLimit = options.jsonLimit ?? '2mb';
  const writer = new ParcelWriter(deps.db, nudge);
  const parcels = parcelRoutes({ db: deps.db, resolveDestination: deps.resolveDestination, writer, guard, jsonLimit, csvLimits: options.csv ?? DEFAULT_CSV_LIMITS, utcOffsetMinutes: deps.settings.utcOffsetMinutes });
  // The single-parcel intake POST (the hot path) runs its route's chain here, without the routing
  // below; parcels.intakeFastPath passes every other request on.
  app.use(parcels.intakeFastPath);
  // gzip/Brotli for the JSON and GeoJSON answers (the dashboard's network, routes and KPIs are tens
  // to hundreds of kB) once over 1 kB. The page's assets come pre-compressed (they carry their own
  // Content-Encoding, which compression leaves alone); the PMTiles archive is not a compressible
  // type and is read by range; a server-sent event stream (none today) would stay uncompressed.
  app.use(compression({ filter: (req, res) => !String(res.getHeader('Content-Type') ?? '').startsWith('text/event-stream') && compression.filter(req, res) }));

  // Public operations endpoints.
  const openapi = buildOpenApiDocument();
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  // Swagger UI's page needs inline styles and its own script; relax CSP for /docs only.
  app.use(
    '/docs',
    helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] } } }),
    swaggerUi.serve,
    swaggerUi.setup(openapi, { customSiteTitle: 'gongpei intake API' }),
  );
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (req, res) => {
    const checks: Record<string, { ok: boolean; error?: string }> = {};
    const [dbCheck, redisCheck] = await Promise.allSettled([
      withTimeout(sql`select 1 as one`.execute(deps.db), 2_000),
      deps.queues === undefined ? Promise.reject(new Error('no queue configured')) : withTimeout(deps.queues.pingRedis(), 2_000),
    ]);
    // Public (probes carry no key), so it says what is down, not why: the error texts name
    // internal hosts and ports, and go to the log instead.
    checks.database = { ok: dbCheck.status === 'fulfilled' };
    checks.redis = { ok: redisCheck.status === 'fulfilled' };
    if (dbCheck.status === 'rejected' || redisCheck.status === 'rejected') {
      req.log?.warn({ database: dbCheck.status === 'rejected' ? errorText(dbCheck.reason) : 'ok', redis: redisCheck.status === 'rejected' ? errorText(redisCheck.reason) : 'ok' }, 'not ready');
    }
    const status = !checks.database.ok ? 'unavailable' : !checks.redis.ok ? 'degraded' : 'ok';
    // Public, so anonymous callers (probes) learn ready or not and nothing else: which
    // dependency is down is for operators (admin keys), like /metrics.
    const detail = (await optionalPrincipal(req, authenticator, authFailures))?.role === 'admin';
    if (detail) res.status(status === 'unavailable' ? 503 : 200).json({ status, checks });
    else res.status(status === 'unavailable' ? 503 : 200).json({ status: status === 'unavailable' ? 'unavailable' : 'ok' });
  });
  // Admin keys only: route names, request counts and queue depths describe the business.
  app.get('/metrics', ...guard, requireRole('admin'), async (_req, res) => {
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  // Authenticated API.
  app.use(parcels);
  app.use(pickupRoutes({ ...serviceDeps, guard, jsonLimit }));
  app.use(planApiRoutes({ ...serviceDeps, settings: deps.settings, roadSource: deps.roadSource ?? haversineSource(), guard, ...(options.clock ? { now: options.clock } : {}), ...(options.planDateWindow ? { dateWindow: options.planDateWindow } : {}) })); // /v1/plans, /v1/stats (src/plans/plan.routes.ts)
  app.use(driverRoutes({ db: deps.db, guard, options: { utcOffsetMinutes: deps.settings.utcOffsetMinutes } })); // /v1/drivers, assignments, sign-in links, /v1/driver-sessions
  app.use(settlementRoutes({ db: deps.db, guard })); // /v1/settlements, /v1/plans/{id}/settlement
  app.use(vroomRoutes({ guard, solve: options.solve })); // /v1/solve, VROOM's format (src/vroom)
  app.use(networkRoutes({ db: deps.db, guard, onImported: deps.onNetworkImported })); // /v1/admin/networks
  // Dashboard at /, manifests, delivery events, webhooks, admin queue board (src/dashboard/index.ts).
  app.use(dispatchRoutes({ db: deps.db, guard, authenticator, authFailures, webhook: webhookDeps(options.webhook), onOutboxWritten: nudge, queue: deps.queues?.queue, tileUrl: options.tileUrl, returnAfterAttempts: options.returnAfterAttempts, utcOffsetMinutes: deps.settings.utcOffsetMinutes, clock: options.clock, onStationMoved: deps.roadProvider ? (from) => deps.roadProvider!.forgetPoint(from) : undefined }));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

function webhookDeps(given: AppOptions['webhook']): { secrets: SecretBox; target: WebhookTargetChecker } {
  const w = given ?? webhookConfig(loadConfig({}));
  return { secrets: new SecretBox(w.secretKey), target: createWebhookTargetChecker(w.target) };
}

/**
 * A body announced (Content-Length) larger than any endpoint accepts is refused before a byte of
 * it is read, and the connection is closed: body-parser would answer its own 413 only after
 * reading (and discarding) the whole body, so a client sending 200 MB would wait for all of it.
 */
function refuseAnnouncedOversize(maxBytes: number): RequestHandler {
  return answering(
    (req, res, next) => {
      const announced = Number(req.headers['content-length'] ?? 0);
      if (announced > maxBytes) {
        res.setHeader('Connection', 'close');
        throw new AppError('payload_too_large', `request body of ${announced} bytes; at most ${maxBytes}`);
      }
      next();
    },
    { statuses: [413] },
  );
}

/**
 * The caller of a public endpoint, if it sent a valid key; undefined otherwise (no key, an unknown
 * one, the database down). An unknown key counts as a failed authentication of the address, and
 * an address over its limit is not looked up, so a public endpoint is no way around the limit.
 */
async function optionalPrincipal(req: Request, authenticator: ApiKeyAuthenticator, failures: AuthFailureLimiter): Promise<Principal | undefined> {
  const key = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  if (key === undefined) return undefined;
  const cached = authenticator.cached(key);
  if (cached !== undefined) return cached ?? undefined;
  if (await failures.isBlocked(req)) return undefined;
  try {
    const principal = await authenticator.authenticate(key);
    if (principal === null) await failures.recordFailure(req);
    return principal ?? undefined;
  } catch {
    return undefined;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(t),
  );
}
