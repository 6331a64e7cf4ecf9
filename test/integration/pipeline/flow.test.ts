/**
 * The plan through BullMQ on a real Redis (unique queue prefix per test) and SQLite: the
 * consolidate worker sorts, the outbox relay starts the plan, the flow runs prepare → line-haul →
 * village and savings children → finalize. Then a worker process is killed mid-solve and
 * another worker finishes the plan.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Queue, type ConnectionOptions } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../../src/db/test-database.ts';
import { localDate } from '../../../src/planning/day-model.ts';
import { environmentWith } from '../../../src/config.ts';
import { TEST_REDIS_URL, TEST_SETTINGS } from '../../support/config.ts';
import { PLAN_JOBS, planJobId, runOf } from '../../../src/pipeline/plan.jobs.ts';
import { createPlanRequest } from '../../../src/plans/plan.service.ts';
import { SolverPool } from '../../../src/solver-host/solver-pool.ts';
import { OutboxRelay } from '../../../src/queue/outbox-relay.ts';
import { CONSOLIDATE_JOBS, QUEUE_NAMES, consolidateJobId, redisOptionsFromUrl, type ConsolidatePayload } from '../../../src/queue/queues.ts';
import { startConsolidateWorker } from '../../../src/workers/consolidate.worker.ts';
import { startPlanWorker, type RunningWorker } from '../../../src/workers/plan.worker.ts';
import { checkPlanInvariants } from './invariants.ts';
import { insertDay, seededDatabase, testDeps } from './helpers.ts';

const REDIS_URL = TEST_REDIS_URL;
const connection = redisOptionsFromUrl(REDIS_URL) as ConnectionOptions;

/** Parcels received a minute ago ride tomorrow's cut-off (a real clock: the child process has one). */
function today() {
  const now = Date.now();
  return { receivedAt: new Date(now - 60_000).toISOString(), serviceDate: localDate(new Date(now + 86_400_000), TEST_SETTINGS.utcOffsetMinutes) };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function setUp(parcels: number): Promise<{ t: TestDatabase; prefix: string; day: ReturnType<typeof today>; ids: { parcelIds: string[] } }> {
  const t = await seededDatabase();
  const prefix = `test-plan-${randomUUID()}`;
  cleanups.push(() => t.dispose());
  cleanups.push(async () => {
    for (const name of [QUEUE_NAMES.plan, QUEUE_NAMES.consolidate]) {
      const q = new Queue(name, { connection, prefix });
      await q.obliterate({ force: true }).catch(() => {});
      await q.close();
    }
  });
  const day = today();
  const ids = await insertDay(t.db, parcels, 5, day);
  return { t, prefix, day, ids };
}

function relay(t: TestDatabase, prefix: string): OutboxRelay {
  const r = new OutboxRelay({ db: t.db, redisUrl: REDIS_URL, prefix, idleMs: 200 });
  r.start();
  cleanups.push(() => r.stop());
  return r;
}

async function planStatus(t: TestDatabase, planId: string) {
  return t.db.selectFrom('plans').select(['status', 'progress', 'error']).where('id', '=', planId).executeTakeFirstOrThrow();
}

describe('the plan flow on BullMQ', () => {
  it('sorts parcels, runs prepare → line-haul → villages + savings → finalize, with deterministic job ids', async () => {
    const { t, prefix, day, ids } = await setUp(600);
    const pool = new SolverPool({ size: 2 });
    cleanups.push(() => pool.close());
    const deps = testDeps(t.db, pool, { now: undefined, savings: true, timeLimitMs: 50 });
    const consolidate = startConsolidateWorker({ db: t.db, redisUrl: REDIS_URL, prefix, concurrency: 8 });
    cleanups.push(() => consolidate.close());
    const planWorker = startPlanWorker({ deps, redisUrl: REDIS_URL, prefix, concurrency: 2 });
    cleanups.push(() => planWorker.close());

    // consolidation through the queue: intake's outbox puts one `parcels` job per committed
    // transaction; a few single-parcel jobs (the kind intake enqueued before grouping) too.
    const cq = new Queue(QUEUE_NAMES.consolidate, { connection, prefix });
    cleanups.push(() => cq.close());
    const grouped = ids.parcelIds.slice(0, 550);
    const groups = [grouped.slice(0, 1), grouped.slice(1, 200), grouped.slice(200, 550)];
    const jobs: ConsolidatePayload[] = [
      ...groups.map((parcelIds) => ({ kind: 'parcels' as const, parcelIds })),
      ...ids.parcelIds.slice(550).map((parcelId) => ({ kind: 'parcel' as const, parcelId })),
    ];
    await cq.addBulk(jobs.map((data) => ({ name: CONSOLIDATE_JOBS[data.kind], data, opts: { jobId: consolidateJobId(data) } })));
    await until('sorting', async () => {
      const left = await t.db.selectFrom('parcels').select('id').where('status', '=', 'received').execute();
      return left.length === 0 ? true : undefined;
    });
    const sortedEvents = await t.db.selectFrom('parcel_events').select('id').where('type', '=', 'sorted').execute();
    expect(sortedEvents).toHaveLength(600);

    relay(t, prefix);
    const { plan } = await createPlanRequest({ db: t.db, settings: TEST_SETTINGS }, day.serviceDate, 2);
    await until('the plan', async () => {
      const s = await planStatus(t, plan.id);
      if (s.status === 'failed') throw new Error(`plan failed: ${s.error}`);
      return s.status === 'completed' ? true : undefined;
    });
    const summary = await checkPlanInvariants(t.db, plan.id, ids.parcelIds);
    expect(summary.parcels.eligible).toBe(600);
    const stored = await t.db.selectFrom('plans').select(['savings_json']).where('id', '=', plan.id).executeTakeFirstOrThrow();
    expect(JSON.parse(stored.savings_json!).separate.km).toBeGreaterThan(0);

    const pq = new Queue(QUEUE_NAMES.plan, { connection, prefix });
    cleanups.push(() => pq.close());
    const payload = { planId: plan.id, run: runOf(plan.created_at) };
    const finalize = await pq.getJob(planJobId(PLAN_JOBS.finalize, payload));
    expect(finalize?.name).toBe('finalize');
    expect(await finalize?.getState()).toBe('completed');
    const villages = (await pq.getJobs(['completed'])).filter((j) => j.name === PLAN_JOBS.village);
    expect(villages.length).toBe(summary.tiers.village.routes > 0 ? new Set(villages.map((j) => j.data.hubId)).size : 0);
    expect(villages.length).toBeGreaterThanOrEqual(10);
  });

  it('finishes the plan when the worker solving it is killed mid-solve', async () => {
    const { t, prefix, day, ids } = await setUp(400);
    relay(t, prefix);
    // A worker process with long solves, so it is surely inside one when killed: the work budget
    // is far beyond what 8 s allow, so the wall-clock cap ends each solve.
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
      env: environmentWith({
        DATABASE_URL: t.url,
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        PLAN_ITERATIONS: '10000000',
        PLAN_TIME_LIMIT_MS: '8000',
        PLAN_SAVINGS: '0',
        WORKER_LOCK_MS: '2000',
        WORKER_STALLED_MS: '1000',
        LOG_LEVEL: 'silent',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    await until('the worker process', async () => (log.includes('"event":"ready"') ? true : undefined), 60_000);

    const { plan } = await createPlanRequest({ db: t.db, settings: TEST_SETTINGS }, day.serviceDate, 4);
    const pq = new Queue(QUEUE_NAMES.plan, { connection, prefix });
    cleanups.push(() => pq.close());
    // Wait until the child is solving (the line-haul job is active), then kill it without warning.
    const payload = { planId: plan.id, run: runOf(plan.created_at) };
    await until('the line-haul solve', async () => {
      const job = await pq.getJob(planJobId(PLAN_JOBS.lineHaul, payload));
      return job && (await job.getState()) === 'active' ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 1000));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect((await planStatus(t, plan.id)).status).toBe('running');

    // Another worker takes over the stalled job and finishes the plan.
    const pool = new SolverPool({ size: 2 });
    cleanups.push(() => pool.close());
    const rescuer: RunningWorker = startPlanWorker({ deps: testDeps(t.db, pool, { now: undefined, timeLimitMs: 50 }), redisUrl: REDIS_URL, prefix, concurrency: 2, lockDurationMs: 2000, stalledIntervalMs: 1000 });
    cleanups.push(() => rescuer.close());
    await until('the rescued plan', async () => {
      const s = await planStatus(t, plan.id);
      if (s.status === 'failed') throw new Error(`plan failed: ${s.error}`);
      return s.status === 'completed' ? true : undefined;
    });
    await checkPlanInvariants(t.db, plan.id, ids.parcelIds);
    const lineHaul = await pq.getJob(planJobId(PLAN_JOBS.lineHaul, payload));
    expect(await lineHaul!.getState()).toBe('completed');
  });
});
