/**
 * `gongpei serve` with API_PROCESSES > 1: this process (the primary) migrates the database once,
 * then forks that many API processes with node:cluster; they share the listening socket, so one
 * PORT spreads connections over them. Each runs startServer as a single-process serve would:
 * its own group writer (on SQLite the file's lock serialises their commits; on PostgreSQL they
 * commit side by side), outbox relay (job ids are deterministic, so two relays enqueue a row
 * once) and solver threads. The per-key and failed-auth limits are shared through Redis.
 *
 * SIGTERM/SIGINT to the primary stop every process gracefully (each finishes its in-flight
 * requests); a process that dies later is replaced. One that dies before it ever listened
 * (port taken, bad set-up) stops the whole serve with its exit code: its own one-line error
 * said why, and starting it again would only repeat it.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { createLogger } from './app.ts';
import type { Config } from './config.ts';
import { migrateToLatest } from './db/migrate.ts';
import { startServer } from './server.ts';
import { connectDatabase } from './setup-checks.ts';

export async function serveApi(config: Config): Promise<void> {
  if (config.API_PROCESSES === 1 || cluster.isWorker) {
    await startServer({ config });
    return;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const db = await connectDatabase(config.database);
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  runPrimary(config, logger);
}

function runPrimary(config: Config, logger: Logger): void {
  let stopping = false;
  let exitCode = 0;
  const listened = new WeakSet<Worker>();
  const fork = (): void => {
    const worker = cluster.fork();
    worker.once('listening', () => listened.add(worker));
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
      return;
    }
    if (!listened.has(worker)) {
      logger.error({ pid: worker.process.pid, code, signal }, 'an API process stopped before it listened; stopping');
      exitCode = code || 1;
      stop();
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'an API process died; starting another');
    fork();
  });
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) process.exit(exitCode);
    // Each process closes as a single serve does on SIGTERM; after 15 s the stragglers are killed.
    for (const w of workers) w.process.kill('SIGTERM');
    setTimeout(() => {
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
      process.exit(1);
    }, 15_000).unref();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'shutting down the API processes');
    stop();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  for (let i = 0; i < config.API_PROCESSES; i++) fork();
  logger.info({ processes: config.API_PROCESSES, port: config.PORT, host: config.HOST }, 'gongpei intake API: starting processes behind one port');
}
