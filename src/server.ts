/**
 * The API process: config → database (migrated) → network → outbox relay → app → listen.
 * SIGTERM/SIGINT stop accepting, finish in-flight requests, stop the relay, close the database.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { getConfig, webhookConfig, type Config } from './config.ts';
import { SecretBox, encryptStoredWebhookSecrets } from './webhooks/secret-box.ts';
import { createDb } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Database } from './db/schema.ts';
import { loadResolverNetwork } from './geo/destination-network.ts';
import { createDestinationResolver } from './geo/destination-resolver.ts';
import { createApp, createLogger, type AppOptions, type QueueSide } from './app.ts';
import { daySettings } from './planning/day-model.ts';
import { OutboxRelay } from './queue/outbox-relay.ts';

export interface StartOptions {
  readonly config?: Config;
  readonly logger?: Logger;
  readonly app?: AppOptions;
  /** County boundary for coordinate destinations (default: the project's dataset, if present). */
  readonly boundary?: Feature<Polygon | MultiPolygon> | null;
  /** Install SIGTERM/SIGINT handlers (default true; tests pass false). */
  readonly handleSignals?: boolean;
}

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly db: Kysely<Database>;
  readonly relay: OutboxRelay;
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
  const db = createDb(config.database);
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
  const network = await loadResolverNetwork(db, boundary);
  if (network.stations.length === 0) {
    logger.warn('the database has no stations: every destination will be rejected; seed the network first');
  }
  const relay = new OutboxRelay({ db, redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, logger });
  relay.start();
  const app = createApp({
    db,
    resolveDestination: createDestinationResolver(network),
    settings: daySettings(config),
    queues: queueSideOf(relay),
    logger,
    options: {
      defaultMetrics: true,
      tileUrl: config.TILE_URL,
      authFailures: { failures: config.AUTH_FAILURE_LIMIT, windowS: config.AUTH_FAILURE_WINDOW_S },
      webhook,
      ...(config.RATE_LIMIT_PER_SECOND !== undefined || config.RATE_LIMIT_BURST !== undefined
        ? { rateLimit: { perSecond: config.RATE_LIMIT_PER_SECOND ?? 200, burst: config.RATE_LIMIT_BURST ?? 400 } }
        : {}),
      ...options.app,
    },
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  // Longer than a typical load balancer's idle timeout, so it never reuses a socket we closed.
  server.keepAliveTimeout = 65_000;
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, host: config.HOST, database: config.database.kind, stations: network.stations.length }, 'gongpei intake API listening');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await relay.stop();
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
