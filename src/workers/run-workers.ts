/**
 * The workers of one process: consolidation, planning and notification workers on one Redis,
 * until stopped. Run any number of these on any number of machines (`npx gongpei worker`, or
 * `npx tsx workers/main.ts`, the entry point). Every setting comes from the config it is given:
 * PLAN_TIME_LIMIT_MS, PLAN_SAVINGS and PLAN_THREADS shape the planner, WORKER_LOCK_MS / WORKER_STALLED_MS the
 * stalled-job recovery, WORKER_CONCURRENCY the parallel steps, SOLVER_DEBUG the solver checks.
 */
import { webhookConfig, type Config } from '../config.ts';
import { plannerDeps, type PlannerOptions } from '../pipeline/plan.deps.ts';
import { checkRedis, connectDatabase } from '../setup-checks.ts';
import { startConsolidateWorker } from './consolidate.worker.ts';
import { startNotifyWorker } from './notify.worker.ts';
import { startPlanWorker, type PlanWorkerOptions } from './plan.worker.ts';

/** What the config says about the planner and the plan worker (absent = their defaults). */
export function workerSettings(config: Config): { readonly planner: PlannerOptions; readonly planWorker: Pick<PlanWorkerOptions, 'concurrency' | 'lockDurationMs' | 'stalledIntervalMs'> } {
  return {
    planner: {
      ...(config.PLAN_TIME_LIMIT_MS !== undefined ? { timeLimitMs: config.PLAN_TIME_LIMIT_MS } : {}),
      savings: config.PLAN_SAVINGS,
      threads: config.PLAN_THREADS,
    },
    planWorker: {
      // Two solver threads; up to four steps at a time so database work overlaps solving.
      concurrency: Math.max(4, config.WORKER_CONCURRENCY),
      ...(config.WORKER_LOCK_MS !== undefined ? { lockDurationMs: config.WORKER_LOCK_MS } : {}),
      ...(config.WORKER_STALLED_MS !== undefined ? { stalledIntervalMs: config.WORKER_STALLED_MS } : {}),
    },
  };
}

export async function runWorkers(config: Config, options: { readonly quiet?: boolean } = {}): Promise<() => Promise<void>> {
  // Both must answer before "ready": a worker without Redis would only log an error every second.
  await checkRedis(config.REDIS_URL, { neededFor: 'the workers take their jobs from it' });
  const db = await connectDatabase(config.database);
  const settings = workerSettings(config);
  const deps = await plannerDeps(db, config, settings.planner);
  const log = (event: string, details: Record<string, unknown>) => {
    if (!options.quiet) process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), event, ...details })}\n`);
  };
  const plan = startPlanWorker({ deps, redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, ...settings.planWorker, onEvent: log });
  const consolidate = startConsolidateWorker({ db, redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
  const notify = startNotifyWorker({ db, redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, webhook: webhookConfig(config), onEvent: log });
  log('ready', { queues: ['consolidate', 'plan', 'notify'], prefix: config.QUEUE_PREFIX, pid: process.pid });
  return async () => {
    await Promise.allSettled([plan.close(), consolidate.close(), notify.close()]);
    await deps.close();
    await db.destroy();
  };
}
