/**
 * Scenario 2, worker crash: parcels come in through the API, a worker process consolidates them,
 * a dispatcher starts a plan, and the worker is SIGKILLed while a plan job is active (mid-solve:
 * its solver budget is long). A new worker process takes over the stalled job; the plan must
 * complete with every parcel planned exactly once (on one village stop of the plan, stop counts
 * agreeing) or reported unassigned with a reason, and no route duplicated by the re-run.
 */
import { Queue, type ConnectionOptions } from 'bullmq';
import type { Kysely } from 'kysely';
import { getConfig } from '../../../src/config.ts';
import type { DialectName } from '../../../src/db/database.ts';
import type { Database } from '../../../src/db/schema.ts';
import { localDate } from '../../../src/planning/day-model.ts';
import { PLAN_JOBS } from '../../../src/pipeline/plan.jobs.ts';
import { QUEUE_NAMES, redisOptionsFromUrl } from '../../../src/queue/queues.ts';
import { createEnv, endRun, request, SHARED_REDIS_URL, sleep, startApi, startWorker, waitFor, type ApiProcess, type Child, type ScenarioResult } from '../harness.ts';
import { buildLoad, runLoad } from '../intake-load.ts';

export interface WorkerCrashOptions {
  readonly dialect: DialectName;
  readonly parcels: number;
}

interface PlannedOnce {
  readonly planned: number;
  readonly unassigned: number;
  readonly missing: number;
  readonly duplicated: number;
  readonly problems: string[];
}

/** Every stored parcel: planned on exactly one village stop of `planId`, or unassigned with a reason. */
export async function checkPlannedOnce(db: Kysely<Database>, planId: string): Promise<PlannedOnce> {
  const problems: string[] = [];
  const plan = await db.selectFrom('plans').selectAll().where('id', '=', planId).executeTakeFirstOrThrow();
  const summary = JSON.parse(plan.summary_json ?? '{}') as { unassigned?: { items?: { kind: string; id: string; reason?: string }[] } };
  const unassigned = new Map((summary.unassigned?.items ?? []).filter((u) => u.kind === 'parcel').map((u) => [u.id, u.reason]));
  const routes = await db.selectFrom('routes').select(['id', 'tier', 'vehicle_id']).where('plan_id', '=', planId).execute();
  const routeKeys = routes.map((r) => `${r.tier}:${r.vehicle_id}`);
  let duplicated = routeKeys.length - new Set(routeKeys).size;
  if (duplicated > 0) problems.push(`${duplicated} route(s) appear twice for the same vehicle and tier`);
  const stops = await db
    .selectFrom('stops')
    .innerJoin('routes', 'routes.id', 'stops.route_id')
    .select(['stops.id', 'stops.deliver_count', 'stops.kind', 'routes.tier'])
    .where('routes.plan_id', '=', planId)
    .execute();
  const stopById = new Map(stops.map((s) => [s.id, s]));
  const parcels = await db.selectFrom('parcels').select(['id', 'status', 'plan_id', 'stop_id']).execute();
  const perStop = new Map<string, number>();
  let planned = 0;
  let missing = 0;
  for (const p of parcels) {
    if (p.status === 'planned') {
      const stop = p.stop_id === null ? undefined : stopById.get(p.stop_id);
      if (p.plan_id !== planId || stop === undefined || stop.tier !== 'village' || stop.kind !== 'station') {
        missing++;
        continue;
      }
      if (unassigned.has(p.id)) {
        duplicated++;
        problems.push(`parcel ${p.id} is both planned and reported unassigned`);
      }
      planned++;
      perStop.set(stop.id, (perStop.get(stop.id) ?? 0) + 1);
    } else if (!unassigned.get(p.id)) {
      missing++;
    }
  }
  if (missing > 0) problems.push(`${missing} parcel(s) neither planned on this plan nor reported unassigned`);
  let stopMismatch = 0;
  for (const s of stops) if (s.tier === 'village' && s.deliver_count !== (perStop.get(s.id) ?? 0)) stopMismatch++;
  if (stopMismatch > 0) {
    duplicated += stopMismatch;
    problems.push(`${stopMismatch} village stop(s) whose delivery count disagrees with the parcels on them`);
  }
  return { planned, unassigned: unassigned.size, missing, duplicated, problems };
}

export async function workerCrash(options: WorkerCrashOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const env = await createEnv(options.dialect);
  const connection = redisOptionsFromUrl(SHARED_REDIS_URL) as ConnectionOptions;
  const planQueue = new Queue(QUEUE_NAMES.plan, { connection, prefix: env.prefix });
  planQueue.on('error', () => {});
  let api: ApiProcess | undefined;
  let worker: Child | undefined;
  const workerEnv = (timeLimitMs: number) => ({
    databaseUrl: env.url,
    redisUrl: SHARED_REDIS_URL,
    prefix: env.prefix,
    extra: { SOLVER_DEBUG: '0', PLAN_TIME_LIMIT_MS: String(timeLimitMs), PLAN_SAVINGS: '0', WORKER_LOCK_MS: '2000', WORKER_STALLED_MS: '1000' },
  });
  try {
    api = await startApi({ databaseUrl: env.url, redisUrl: SHARED_REDIS_URL, prefix: env.prefix });
    const base = api.base;
    // A long solver budget, so the kill surely lands inside a solve.
    worker = await startWorker(workerEnv(8_000));
    const failures: string[] = [];
    const load = await runLoad(buildLoad(env, options.parcels, Date.now().toString(36).slice(-5).toUpperCase()), { base: () => base, concurrency: 4, deadlineMs: 60_000 });
    if (load.acked.size !== options.parcels) failures.push(`intake acknowledged ${load.acked.size} of ${options.parcels}`);
    await waitFor(
      'consolidation of every parcel',
      async () => {
        const left = await env.db.selectFrom('parcels').select('id').where('status', '=', 'received').limit(1).execute();
        return left.length === 0;
      },
      120_000,
    );
    const serviceDate = localDate(new Date(Date.now() + 86_400_000), getConfig().utcOffsetMinutes);
    const created = await request(base, 'POST', '/v1/plans', { key: env.keys.dispatcher, json: { date: serviceDate, seed: 3 } });
    if (created.status !== 202) throw new Error(`POST /v1/plans answered ${created.status} ${JSON.stringify(created.body)}`);
    const planId = created.body.id as string;
    const SOLVES = new Set<string>([PLAN_JOBS.lineHaul, PLAN_JOBS.village, PLAN_JOBS.savings]);
    const active = await waitFor(
      'a solve (line-haul or village job) to be active',
      async () => {
        const jobs = (await planQueue.getJobs(['active'])).filter((j) => SOLVES.has(j.name));
        return jobs.length > 0 ? jobs.map((j) => j.name).join(',') : undefined;
      },
      120_000,
    );
    await sleep(1_000);
    await worker.kill('SIGKILL');
    worker = undefined;
    const atKill = await env.db.selectFrom('plans').select('status').where('id', '=', planId).executeTakeFirstOrThrow();
    if (atKill.status === 'completed') failures.push('the plan had already completed when the worker was killed (not mid-solve)');

    worker = await startWorker(workerEnv(300));
    const finalStatus = await waitFor(
      'the plan to finish after the restart',
      async () => {
        const p = await env.db.selectFrom('plans').select(['status', 'error']).where('id', '=', planId).executeTakeFirstOrThrow();
        return p.status === 'completed' || p.status === 'failed' ? p : undefined;
      },
      240_000,
    );
    if (finalStatus.status !== 'completed') failures.push(`the plan ${finalStatus.status}: ${finalStatus.error}`);
    const once = finalStatus.status === 'completed' ? await checkPlannedOnce(env.db, planId) : { planned: 0, unassigned: 0, missing: options.parcels, duplicated: 0, problems: [] };
    failures.push(...once.problems);
    return {
      scenario: '2 worker crash',
      database: options.dialect,
      load: `${options.parcels} parcels, 1 plan (${once.planned} planned, ${once.unassigned} unassigned)`,
      faults: `worker SIGKILL ×1 during ${active}`,
      badInputs: 0,
      acknowledged: load.acked.size,
      found: once.planned + once.unassigned,
      lost: once.missing,
      duplicated: once.duplicated,
      failures,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await planQueue.close().catch(() => {});
    await endRun(env, worker, api);
  }
}
