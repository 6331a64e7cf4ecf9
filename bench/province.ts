/**
 * `npm run bench:province -- --counties N --workers W`: a province on one deployment (issue 15
 * item 6). A throw-away PostgreSQL database and Redis queue prefix; N synthetic counties drawn from
 * the spread of Shanxi's counties (src/network/synthetic.ts) imported; one day's parcels for every
 * county sent through the intake API (`gongpei serve` in its own process, batches of 1,000,
 * several requests in flight); then every county's day planned by W worker processes
 * (`gongpei worker`, BullMQ, as deployed: any number of them against one database and one Redis).
 *
 * Prints wall time, parcels/s, plans per minute, p50/p95 per-county plan latency, the workers' CPU
 * seconds per county (what sizes a deployment: it does not depend on how busy the machine is),
 * database and Redis figures, and the load average beside every timed figure. With
 * `--compare-workers` the whole run is done twice, on 1 worker and on W, in two databases, and the
 * plan phase's speed-up is printed.
 *
 * Options: --counties (24), --workers (2), --iterations (solver work per problem, default 1000, as PLAN_ITERATIONS:
 * see the README's deployment section), --time-limit MS (wall-clock cap per problem), --savings
 * (also plan each courier alone; off), --threads (solver threads per worker process, 1), --in-flight
 * (intake requests at a time, 8), --seed (1), --timeout S (plan phase, 3600), --compare-workers.
 * Timings on a shared 2-core machine are pessimistic.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { createApiKey } from '../src/auth/api-keys.ts';
import { environmentWith, getConfig, loadConfig } from '../src/config.ts';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { generateDay } from '../src/demo/generate.ts';
import { importNetwork } from '../src/network/import.ts';
import { COURIERS, dailyParcels, provinceCounty } from '../src/network/synthetic.ts';
import { daySettings, serviceDateFor } from '../src/planning/day-model.ts';

const { values } = parseArgs({
  options: {
    counties: { type: 'string', default: '24' },
    workers: { type: 'string', default: '2' },
    iterations: { type: 'string', default: '1000' },
    'time-limit': { type: 'string' },
    savings: { type: 'boolean', default: false },
    threads: { type: 'string', default: '1' },
    'in-flight': { type: 'string', default: '8' },
    seed: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '3600' },
    'compare-workers': { type: 'boolean', default: false },
  },
});
const wholeNumber = (name: string, v: string, min: number, max: number): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    process.stderr.write(`bench:province: --${name} must be a whole number ${min}–${max}, got ${v}\n`);
    process.exit(2);
  }
  return n;
};
const COUNTIES = wholeNumber('counties', values.counties, 1, 900);
const WORKERS = wholeNumber('workers', values.workers, 1, 64);
const ITERATIONS = wholeNumber('iterations', values.iterations, 1, 10_000_000);
const THREADS = wholeNumber('threads', values.threads, 1, 64);
const IN_FLIGHT = wholeNumber('in-flight', values['in-flight'], 1, 256);
const SEED = wholeNumber('seed', values.seed, 0, 1_000_000);
const TIMEOUT_S = wholeNumber('timeout', values.timeout, 1, 86_400);
const TIME_LIMIT = values['time-limit'] === undefined ? undefined : wholeNumber('time-limit', values['time-limit'], 1, 3_600_000);

const out = (line = '') => process.stdout.write(`${line}\n`);
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (a: string | null, b: string | null) => (a && b ? Date.parse(b) - Date.parse(a) : NaN);
const quantile = (xs: readonly number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
};
const s1 = (msValue: number) => (msValue / 1000).toFixed(1);

/** CPU seconds (user + system, all threads) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** `gongpei <command>` in its own process, as deployed. */
function gongpei(args: string[], env: Record<string, string>): ChildProcess {
  const child = fork('bin/gongpei.js', args, { env: environmentWith(env), stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let tail = '';
  child.stderr?.on('data', (d: Buffer) => {
    tail = (tail + d.toString()).slice(-2000);
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal === null) process.stderr.write(`gongpei ${args[0]} exited ${code}: ${tail}\n`);
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((ok) => child.once('exit', ok));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

interface RunResult {
  readonly workers: number;
  readonly parcels: number;
  readonly intakeMs: number;
  readonly intakeLoad: string;
  readonly planWallMs: number;
  readonly planLoad: string;
  readonly latencies: number[];
  readonly workMs: number[];
  readonly failed: number;
  readonly planned: number;
  readonly unassigned: number;
  readonly workerCpuS: number;
  readonly apiCpuS: number;
}

async function run(workers: number): Promise<RunResult> {
  const base = getConfig();
  const t: TestDatabase = await createTestDatabase('postgres');
  const prefix = `bench-province-${process.pid}-${workers}`;
  const redis = new Redis(base.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await redis.connect();
  const children: ChildProcess[] = [];
  try {
    const env = {
      DATABASE_URL: t.url,
      REDIS_URL: base.REDIS_URL,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      PLAN_ITERATIONS: String(ITERATIONS),
      PLAN_THREADS: String(THREADS),
      PLAN_SAVINGS: values.savings ? 'true' : 'false',
      RATE_LIMIT_PER_SECOND: '1000000',
      RATE_LIMIT_BURST: '1000000',
      ...(TIME_LIMIT !== undefined ? { PLAN_TIME_LIMIT_MS: String(TIME_LIMIT) } : {}),
    };
    const config = loadConfig(env);
    const date = serviceDateFor(new Date(), daySettings(config));

    // 1. The counties: generated and imported (each all or nothing, as `gongpei network import`).
    let since = Date.now();
    const codes: string[] = [];
    for (let i = 0; i < COUNTIES; i++) {
      const n = provinceCounty(i, SEED);
      await importNetwork(t.db, n);
      codes.push(n.county.id);
    }
    const stations = await t.db.selectFrom('stations').selectAll().where('county_id', 'in', codes).execute();
    out(`[${workers} worker${workers > 1 ? 's' : ''}] ${COUNTIES} counties imported (${stations.length} stations) in ${s1(Date.now() - since)} s; database ${t.url.replace(/^.*\//, '')}, queue prefix ${prefix}; service date ${date}`);

    const keys = new Map<string, string>();
    for (const c of COURIERS) keys.set(c.code, (await createApiKey(t.db, { role: 'courier', courierCode: c.code, counties: codes })).key);
    const admin = (await createApiKey(t.db, { role: 'admin' })).key;

    // 2. The API and the workers, each in its own process. The workers start now: they sort
    // (consolidate) parcels as the intake relays them, as in a deployment.
    const port = await freePort();
    const api = gongpei(['serve'], { ...env, PORT: String(port) });
    children.push(api);
    const url = `http://127.0.0.1:${port}`;
    for (let waited = 0; ; waited += 250) {
      const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      if (waited > 120_000 || api.exitCode !== null) throw new Error('the API did not start');
      await sleep(250);
    }
    const workerProcs = Array.from({ length: workers }, () => gongpei(['worker', '--quiet'], env));
    children.push(...workerProcs);

    // 3. One day's parcels for every county through the intake API.
    const perCounty: { key: string; parcels: unknown[] }[][] = [];
    let parcels = 0;
    for (const [i, code] of codes.entries()) {
      const own = stations.filter((s) => s.county_id === code);
      const n = dailyParcels(own);
      parcels += n;
      const day = generateDay(own, COURIERS.map((c) => c.code), { parcels: n, seed: SEED * 1000 + i + 1, readyDate: date, pickupShare: 0 });
      const list: { key: string; parcels: unknown[] }[] = [];
      for (const [courier, ps] of day.parcels) for (let k = 0; k < ps.length; k += 1000) list.push({ key: keys.get(courier)!, parcels: ps.slice(k, k + 1000) });
      perCounty.push(list);
    }
    // Counties interleaved: every county's couriers send at once, as on a real morning.
    const batches = Array.from({ length: Math.max(...perCounty.map((l) => l.length)) }, (_, k) => perCounty.flatMap((l) => (k < l.length ? [l[k]!] : []))).flat();
    const redisBefore = await redisStats(redis);
    since = Date.now();
    let sent = 0;
    await pool(batches, IN_FLIGHT, async (b) => {
      const res = await fetch(`${url}/v1/parcels`, { method: 'POST', headers: { authorization: `Bearer ${b.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ parcels: b.parcels }) });
      if (res.status !== 201 && res.status !== 200 && res.status !== 207) throw new Error(`POST /v1/parcels → ${res.status}: ${(await res.text()).slice(0, 300)}`);
      await res.arrayBuffer();
      sent += b.parcels.length;
    });
    const intakeMs = Date.now() - since;
    const intakeLoad = load();
    const stored = Number((await t.db.selectFrom('parcels').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    out(`  intake: ${sent} parcels in ${batches.length} requests (${IN_FLIGHT} in flight), ${s1(intakeMs)} s, ${Math.round(sent / (intakeMs / 1000))} parcels/s; ${stored} stored [load ${intakeLoad}]`);

    // 4. Every county's day planned: all requested at once, the workers take the jobs.
    const workerCpu0 = workerProcs.reduce((a, p) => a + cpuSeconds(p.pid), 0);
    since = Date.now();
    const planIds: string[] = [];
    for (const code of codes) {
      const res = await fetch(`${url}/v1/plans`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ date, county: code, seed: SEED }) });
      const body = (await res.json()) as { id?: string };
      if (res.status !== 202 || !body.id) throw new Error(`POST /v1/plans (${code}) → ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
      planIds.push(body.id);
    }
    let rows: { id: string; status: string; created_at: string; started_at: string | null; finished_at: string | null; summary_json: string | null; error: string | null }[] = [];
    let lastPrint = Date.now();
    for (;;) {
      rows = await t.db.selectFrom('plans').select(['id', 'status', 'created_at', 'started_at', 'finished_at', 'summary_json', 'error']).where('id', 'in', planIds).execute();
      const done = rows.filter((r) => r.status === 'completed' || r.status === 'failed').length;
      if (done === planIds.length) break;
      if (Date.now() - since > TIMEOUT_S * 1000) {
        out(`  plan phase stopped after ${TIMEOUT_S} s (--timeout): ${done}/${planIds.length} counties done`);
        break;
      }
      if (Date.now() - lastPrint > 60_000) {
        lastPrint = Date.now();
        out(`  … ${done}/${planIds.length} counties planned after ${s1(Date.now() - since)} s [load ${load()}]`);
      }
      await sleep(500);
    }
    const finished = rows.filter((r) => r.status === 'completed');
    const lastFinish = Math.max(...finished.map((r) => Date.parse(r.finished_at!)), since);
    const planWallMs = lastFinish - since;
    const planLoad = load();
    const workerCpuS = workerProcs.reduce((a, p) => a + cpuSeconds(p.pid), 0) - workerCpu0;
    const apiCpuS = cpuSeconds(api.pid);
    let planned = 0;
    let unassigned = 0;
    for (const r of finished) {
      const s = JSON.parse(r.summary_json ?? '{}') as { parcels?: { planned?: number; eligible?: number } };
      planned += s.parcels?.planned ?? 0;
      unassigned += (s.parcels?.eligible ?? 0) - (s.parcels?.planned ?? 0);
    }
    const failed = rows.filter((r) => r.status === 'failed');
    for (const f of failed.slice(0, 3)) out(`  failed: ${f.id}: ${f.error}`);

    // 5. Database and Redis figures.
    const redisAfter = await redisStats(redis);
    const dbSize = await sql<{ size: string }>`select pg_size_pretty(pg_database_size(current_database())) as size`.execute(t.db);
    const counts: string[] = [];
    for (const table of ['parcels', 'routes', 'stops', 'outbox', 'plans'] as const) {
      counts.push(`${table} ${Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)}`);
    }
    const ourKeys = await countKeys(redis, prefix);
    const latencies = finished.map((r) => ms(r.created_at, r.finished_at));
    const workMs = finished.map((r) => ms(r.started_at, r.finished_at));
    out(`  plan: ${finished.length}/${codes.length} counties on ${workers} worker process${workers > 1 ? 'es' : ''} (${THREADS} solver thread${THREADS > 1 ? 's' : ''} each, ${ITERATIONS} iterations per problem, savings ${values.savings ? 'on' : 'off'}) in ${s1(planWallMs)} s = ${((finished.length / planWallMs) * 60_000).toFixed(1)} plans/min [load ${planLoad}]`);
    out(`    per-county latency (request → completed): p50 ${s1(quantile(latencies, 0.5))} s, p95 ${s1(quantile(latencies, 0.95))} s; running (started → completed): p50 ${s1(quantile(workMs, 0.5))} s, p95 ${s1(quantile(workMs, 0.95))} s`);
    out(`    workers' CPU: ${workerCpuS.toFixed(0)} s = ${(workerCpuS / Math.max(1, finished.length)).toFixed(1)} CPU s per county (${Math.round(parcels / COUNTIES)} parcels on average); API CPU ${apiCpuS.toFixed(0)} s in all`);
    out(`    parcels planned ${planned}, not planned ${unassigned} (reasons in each plan's summary)${failed.length > 0 ? `; ${failed.length} plans FAILED` : ''}`);
    out(`  PostgreSQL: database ${dbSize.rows[0]!.size}; rows: ${counts.join(', ')}`);
    out(`  Redis: ${ourKeys} keys under the prefix at the end; used memory ${redisAfter.usedMemory} (peak ${redisAfter.peakMemory}); ${redisAfter.commands - redisBefore.commands} commands during intake + plan (${Math.round((redisAfter.commands - redisBefore.commands) / ((Date.now() - since + intakeMs) / 1000))}/s; the server's total, other users of this Redis included)`);
    return { workers, parcels: sent, intakeMs, intakeLoad, planWallMs, planLoad, latencies, workMs, failed: failed.length, planned, unassigned, workerCpuS, apiCpuS };
  } finally {
    await Promise.all(children.map(stop));
    await deleteKeys(redis, prefix).catch(() => {});
    redis.disconnect();
    await t.dispose();
  }
}

async function redisStats(redis: Redis): Promise<{ usedMemory: string; peakMemory: string; commands: number }> {
  const info = `${await redis.info('memory')}\n${await redis.info('stats')}`;
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim() ?? '?';
  return { usedMemory: field('used_memory_human'), peakMemory: field('used_memory_peak_human'), commands: Number(field('total_commands_processed')) };
}

async function countKeys(redis: Redis, prefix: string): Promise<number> {
  let n = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    n += keys.length;
  } while (cursor !== '0');
  return n;
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}

const started = Date.now();
out(`bench:province — ${COUNTIES} synthetic counties (Shanxi's spread), PostgreSQL + Redis, ${WORKERS} worker process${WORKERS > 1 ? 'es' : ''}${values['compare-workers'] ? ' (and 1, to compare)' : ''}; ${new Date().toISOString()} [load ${load()}]`);
const results: RunResult[] = [];
for (const w of values['compare-workers'] && WORKERS !== 1 ? [1, WORKERS] : [WORKERS]) results.push(await run(w));
if (results.length === 2) {
  const [one, many] = results as [RunResult, RunResult];
  out(`speed-up of the plan phase, 1 → ${many.workers} workers: ${(one.planWallMs / many.planWallMs).toFixed(2)} (${s1(one.planWallMs)} s [load ${one.planLoad}] → ${s1(many.planWallMs)} s [load ${many.planLoad}]); workers' CPU ${one.workerCpuS.toFixed(0)} s → ${many.workerCpuS.toFixed(0)} s`);
}
out(`total wall time ${s1(Date.now() - started)} s [load ${load()}]`);
process.exit(results.some((r) => r.failed > 0) ? 1 : 0);
