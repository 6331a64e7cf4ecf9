/**
 * The API process: config → database (reachable, migrated) → network → outbox relay → app → listen.
 * SIGTERM/SIGINT stop accepting, finish in-flight requests, stop the relay, close the database.
 * Set-up mistakes (database not there, port taken) stop it with one line (src/setup-checks.ts);
 * a missing network or Redis does not: each is one warning line naming the fix.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { getConfig, webhookConfig, type Config } from './config.ts';
import { SecretBox, encryptStoredWebhookSecrets } from './webhooks/secret-box.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Database } from './db/schema.ts';
import { ReloadableResolver } from './geo/destination-network.ts';
import { roadMatrixProvider } from './geo/matrix.ts';
import { createApp, createLogger, type AppOptions, type QueueSide } from './app.ts';
import { DEFAULT_RATE_LIMIT } from './http/auth.ts';
import { daySettings } from './planning/day-model.ts';
import { Redis } from 'ioredis';
import { OutboxRelay } from './queue/outbox-relay.ts';
import { producerRedisOptions } from './queue/queues.ts';
import { SolverPool } from './solver-host/solver-pool.ts';
import { osrmSource } from './geo/osrm.ts';
import { checkRedis, connectDatabase, listenProblem, NETWORK_NOT_LOADED_AT_START } from './setup-checks.ts';

export interface StartOptions {
  readonly config?: Config;
  readonly logger?: Logger;
  readonly app?: AppOptions;
  /** County boundary for coordinate destinations (default: the project's dataset, if present). */
  readonly boundary?: Feature<Polygon | MultiPolygon> | null;
  /** Install SIGTERM/SIGINT handlers (default true; tests pass false). */
  readonly handleSignals?: boolean;
  /**
   * Relay outbox rows to the BullMQ queues on Redis (default true). `gongpei demo --no-redis`
   * passes false: it runs the processors itself, and Redis is not touched at all.
   */
  readonly relay?: boolean;
}

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly db: Kysely<Database>;
  /** Undefined when started with `relay: false`. */
  readonly relay: OutboxRelay | undefined;
  close(): Promise<void>;
}

export function queueSideOf(relay: OutboxRelay): QueueSide {
  return {
    nudge: () => relay.nudge(),
    pingRedis: () => relay.pingRedis(),
    outboxBacklog: () => relay.backlog(),
    queueCounts: () => relay.queueCounts(),
    queue: (name) => relay.queue(name),
  };
}

/** The county boundary of the project's network dataset (data/qinxian). */
async function defaultBoundary(logger: Logger): Promise<Feature<Polygon | MultiPolygon> | null> {
  try {
    const { loadNetwork } = await import('./network/index.ts');
    return loadNetwork().boundary;
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'no county boundary: coordinates are checked only by distance to the nearest station');
    return null;
  }
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const config = options.config ?? getConfig();
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const db = await connectDatabase(config.database);
  const webhook = webhookConfig(config);
  try {
    await migrateToLatest(db);
    const sealed = await encryptStoredWebhookSecrets(db, new SecretBox(webhook.secretKey));
    if (sealed > 0) logger.info({ sealed }, 'encrypted webhook secrets stored in plain text');
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const boundary = options.boundary === undefined ? await defaultBoundary(logger) : options.boundary;
  // POST /v1/solve's threads: started on the first request, closed with the server.
  const solverPool = new SolverPool({ size: config.SOLVE_THREADS, debug: config.SOLVER_DEBUG });
  const resolver = await ReloadableResolver.create(db, boundary, { refreshMs: 30_000 });
  const relay = (options.relay ?? true) ? new OutboxRelay({ db, redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, logger }) : undefined;
  // Failed authentications (per address) and requests (per key) are counted in Redis when the
  // API uses it, so that several API processes share one limit (each counts in memory while
  // Redis is down).
  // It connects once the port is ours: a serve that cannot listen must not touch Redis.
  const authRedis = relay === undefined ? undefined : new Redis({ ...producerRedisOptions(config.REDIS_URL), lazyConnect: true });
  authRedis?.on('error', () => {}); // reconnects on its own; the relay and /readyz report an outage
  const roads = await roadMatrixProvider(config);
  const app = createApp({
    db,
    resolveDestination: resolver.resolve,
    onNetworkImported: () => resolver.reload(),
    settings: daySettings(config),
    roadSource: roads.source,
    roadProvider: roads,
    queues: relay === undefined ? undefined : queueSideOf(relay),
    logger,
    options: {
      defaultMetrics: true,
      tileUrl: config.TILE_URL,
      planDateWindow: { pastDays: config.PLAN_DAYS_BACK, futureDays: config.PLAN_DAYS_AHEAD },
      returnAfterAttempts: config.RETURN_AFTER_ATTEMPTS,
      authFailures: { failures: config.AUTH_FAILURE_LIMIT, windowS: config.AUTH_FAILURE_WINDOW_S, ...(authRedis ? { redis: { client: authRedis, prefix: config.QUEUE_PREFIX } } : {}) },
      webhook,
      csv: { maxBytes: config.CSV_MAX_BYTES, maxRows: config.CSV_MAX_ROWS },
      solve: {
        pool: solverPool,
        maxIterations: config.SOLVE_ITERATIONS,
        timeLimitMs: config.SOLVE_TIME_LIMIT_MS,
        ...(config.OSRM_URL ? { roadMatrix: osrmSource({ baseUrl: config.OSRM_URL }) } : {}),
      },
      rateLimit: {
        perSecond: config.RATE_LIMIT_PER_SECOND ?? DEFAULT_RATE_LIMIT.perSecond,
        burst: config.RATE_LIMIT_BURST ?? DEFAULT_RATE_LIMIT.burst,
        ...(authRedis ? { redis: { client: authRedis, prefix: config.QUEUE_PREFIX } } : {}),
      },
      ...options.app,
    },
  });
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.PORT, config.HOST, (err?: Error) => (err ? reject(err) : resolve(s)));
    });
  } catch (err) {
    authRedis?.disconnect();
    await solverPool.close();
    await db.destroy();
    throw listenProblem(err, config.HOST, config.PORT);
  }
  relay?.start();
  authRedis?.connect().catch(() => {}); // retried by its retry strategy; the relay and /readyz report an outage
  // Longer than a typical load balancer's idle timeout, so it never reuses a socket we closed.
  server.keepAliveTimeout = 65_000;
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, host: config.HOST, database: config.database.kind, stations: resolver.stations }, 'gongpei intake API listening');
  if (resolver.stations === 0) logger.warn(NETWORK_NOT_LOADED_AT_START);
  if (relay !== undefined) {
    // Not fatal: accepted parcels wait in the outbox until Redis answers. Said once, at start.
    checkRedis(config.REDIS_URL, { neededFor: 'parcels are accepted and wait in the outbox until it answers' }).catch((err: unknown) => logger.warn((err as Error).message));
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await relay?.stop();
      authRedis?.disconnect();
      await solverPool.close();
      resolver.stop();
      await db.destroy();
    })());

  if (options.handleSignals ?? true) {
    const onSignal = (signal: NodeJS.Signals): void => {
      logger.info({ signal }, 'shutting down');
      const force = setTimeout(() => process.exit(1), 10_000);
      force.unref();
      close().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  return { server, port, db, relay, close };
}
