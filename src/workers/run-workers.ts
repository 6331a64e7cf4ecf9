/**
 * The workers of one process: consolidation and planning workers on one Redis, until SIGTERM/SIGINT.
 * Run any number of these on any number of machines (`npx gongpei worker`, or
 * `npx tsx workers/main.ts`, the entry point). Environment: see src/config.ts; PLAN_TIME_LIMIT_MS sets the
 * per-problem solver budget, WORKER_LOCK_MS / WORKER_STALLED_MS the stalled-job recovery.
 */
import { getConfig } from '../config.ts';
import { createDb } from '../db/database.ts';
import { plannerDeps } from '../pipeline/plan.deps.ts';
import { startConsolidateWorker } from './consolidate.worker.ts';
import { startNotifyWorker } from './notify.worker.ts';
import { startPlanWorker } from './plan.worker.ts';

export async function runWorkers(options: { readonly quiet?: boolean } = {}): Promise<() => Promise<void>> {
  const config = getConfig();
  const db = createDb(config.database);
  const num = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
  const deps = await plannerDeps(db, config, {
    ...(num('PLAN_TIME_LIMIT_MS') !== undefined ? { timeLimitMs: num('PLAN_TIME_LIMIT_MS')! } : {}),
    savings: process.env.PLAN_SAVINGS !== '0',
  });
  const log = (event: string, details: Record<string, unknown>) => {
    if (!options.quiet) process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), event, ...details })}\n`);
  };
  const plan = startPlanWorker({
    deps,
    redisUrl: config.REDIS_URL,
    prefix: config.QUEUE_PREFIX,
    // Two solver threads; up to four steps at a time so database work overlaps solving.
    concurrency: Math.max(4, config.WORKER_CONCURRENCY),
    ...(num('WORKER_LOCK_MS') !== undefined ? { lockDurationMs: num('WORKER_LOCK_MS')! } : {}),
    ...(num('WORKER_STALLED_MS') !== undefined ? { stalledIntervalMs: num('WORKER_STALLED_MS')! } : {}),
    onEvent: log,
  });
  const consolidate = startConsolidateWorker({ db, redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
  const notify = startNotifyWorker({ db, redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, onEvent: log });
  log('ready', { queues: ['consolidate', 'plan', 'notify'], prefix: config.QUEUE_PREFIX, pid: process.pid });
  return async () => {
    await Promise.allSettled([plan.close(), consolidate.close(), notify.close()]);
    await deps.close();
    await db.destroy();
  };
}
