/**
 * Intake throughput: the real API (temporary SQLite file, migrated and seeded with the Qin County
 * network, real Redis behind the outbox relay) against a bare Express server answering the same
 * route with no work beyond parsing the JSON body. Each server runs in its own child process so
 * the load generator (autocannon, in this process) does not share its event loop; loopback only,
 * bounded durations, a unique waybill on every request.
 *
 *   npm run bench:intake              (BENCH_SECONDS=10 by default per measurement; BENCH_ONLY,
 *                                     BENCH_PROFILE: see ToolSettingsSchema in src/config.ts)
 *   npm run bench:intake -- --db postgres   (or BENCH_DB=postgres: a throw-away PostgreSQL
 *                                     database on TEST_POSTGRES_URL's server, dropped after)
 *
 * Numbers on a shared 2-core machine are pessimistic and noisy; compare ratios, not absolutes.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { environmentWith, getConfig, getToolSettings } from '../src/config.ts';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { loadNetwork } from '../src/network/index.ts';
import { daySettings } from '../src/planning/day-model.ts';

const TOOLS = getToolSettings();
const SECONDS = TOOLS.BENCH_SECONDS;

// ---------------------------------------------------------------- child: one server
async function serve(kind: 'app' | 'bare', target: string, prefix: string): Promise<void> {
  // The parent asks for CPU time used so far, to report CPU per request (robust to a busy machine).
  process.on('message', (m: { cmd?: string }) => {
    if (m.cmd === 'cpu') {
      const u = process.cpuUsage();
      process.send?.({ cpuUs: u.user + u.system });
    }
  });
  if (TOOLS.BENCH_PROFILE) profileOnRequest(kind);
  const express = (await import('express')).default;
  if (kind === 'bare') {
    const app = express();
    app.post('/v1/parcels', express.json({ limit: '2mb' }), (_req, res) => {
      res.status(201).json({ ok: true });
    });
    const server = app.listen(0, '127.0.0.1', () => {
      const a = server.address();
      process.send?.({ port: typeof a === 'object' && a ? a.port : 0 });
    });
    return;
  }
  const { pino } = await import('pino');
  const { createDb } = await import('../src/db/database.ts');
  const { migrateToLatest } = await import('../src/db/migrate.ts');
  const { seedNetwork, loadNetwork } = await import('../src/network/index.ts');
  const { createApiKey } = await import('../src/auth/api-keys.ts');
  const { createApp, createLogger } = await import('../src/app.ts');
  const { loadResolverNetwork } = await import('../src/geo/destination-network.ts');
  const { createDestinationResolver } = await import('../src/geo/destination-resolver.ts');
  const { OutboxRelay } = await import('../src/queue/outbox-relay.ts');
  const { queueSideOf } = await import('../src/server.ts');
  const db = target.startsWith('postgres') ? createDb(target) : createDb({ kind: 'sqlite', path: target, synchronous: getConfig().SQLITE_SYNCHRONOUS });
  await migrateToLatest(db);
  await seedNetwork(db);
  const { key } = await createApiKey(db, { role: 'courier', courierCode: 'ZTO' });
  const config = getConfig();
  const relay = new OutboxRelay({ db, redisUrl: config.REDIS_URL, prefix });
  relay.start();
  // Request logs are on (info), made by the server's own createLogger (same redaction) and
  // written synchronously, one write(2) per line, as pino's default stdout destination does in
  // `gongpei serve`, but to /dev/null. (An asynchronous destination, used here before, sent
  // every line through the libuv thread pool: ≈ 9 % of the API's CPU in this benchmark, a cost
  // the server does not have.)
  const logger = createLogger('info', pino.destination({ dest: '/dev/null', sync: true }));
  const app = createApp({
    db,
    resolveDestination: createDestinationResolver(await loadResolverNetwork(db, loadNetwork().boundary)),
    settings: daySettings(config),
    queues: queueSideOf(relay),
    logger,
    options: { rateLimit: { perSecond: 1e9, burst: 1e9 } },
  });
  const server = app.listen(0, '127.0.0.1', () => {
    const a = server.address();
    process.send?.({ port: typeof a === 'object' && a ? a.port : 0, key });
  });
  process.on('message', async (m: { cmd?: string }) => {
    if (m.cmd !== 'stats') return;
    const backlog = await relay.backlog();
    const parcels = await db.selectFrom('parcels').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    // Parcels listed in relayed consolidate rows (one row per intake transaction, see queues.ts).
    const parcelIds = target.startsWith('postgres') ? sql`json_array_length(payload_json::json -> 'parcelIds')` : sql`json_array_length(payload_json, '$.parcelIds')`;
    const { rows } = await sql<{ n: number | null }>`select sum(${parcelIds}) as n from outbox where relayed_at is not null and job_name = 'parcels'`.execute(db);
    for (const q of [relay.queue('consolidate')]) await q.obliterate({ force: true }).catch(() => {});
    process.send?.({ backlog, parcels: Number(parcels.n), relayed: Number(rows[0]?.n ?? 0), jobs: relay.relayedCount });
  });
}

/**
 * BENCH_PROFILE: the parent asks each server for a V8 CPU profile of its main thread around each
 * measured run only (not start-up, migration or warm-up, which a whole-process --cpu-prof mixes
 * in), written to $TMPDIR/gongpei-bench-profile/intake-<app|bare>-<scenario>-<pid>.cpuprofile.
 */
function profileOnRequest(kind: 'app' | 'bare'): void {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  const ready = post('Profiler.enable').then(() => post('Profiler.setSamplingInterval', { interval: 200 }));
  process.on('message', async (m: { cmd?: string; name?: string }) => {
    if (m.cmd === 'profile-start') {
      await ready;
      await post('Profiler.start');
      process.send?.({ profiling: true });
    } else if (m.cmd === 'profile-stop') {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      const dir = join(tmpdir(), 'gongpei-bench-profile');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `intake-${kind}-${m.name ?? 'run'}-${process.pid}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      process.send?.({ profiled: file });
    }
  });
}

function ask<T>(child: ChildProcess, message: object, key: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: Record<string, unknown>): void => {
      if (!(key in m)) return;
      child.off('message', on);
      resolve(m[key] as T);
    };
    child.on('message', on);
    child.send(message);
  });
}

// ---------------------------------------------------------------- parent: the load
interface Started {
  child: ChildProcess;
  port: number;
  key: string;
}

function start(kind: 'app' | 'bare', target: string, prefix: string): Promise<Started> {
  const child = fork(new URL(import.meta.url).pathname, [`--serve=${kind}`, `--target=${target}`, `--prefix=${prefix}`], { env: environmentWith(), execArgv: ['--import', 'tsx'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number; key?: string }) => resolve({ child, port: m.port, key: m.key ?? 'none' }));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

const STATIONS = loadNetwork().stations.map((s) => s.code);
let serial = 0;
function parcelBody(): Record<string, unknown> {
  serial += 1;
  return {
    waybill: `ZT${process.pid}${serial.toString().padStart(9, '0')}`,
    destination: { stationCode: STATIONS[serial % STATIONS.length] },
    weightG: 500 + (serial % 5000),
    dimensionsCm: [30, 20, 15],
    coldChain: false,
    fragile: false,
    codAmountFen: 0,
    recipient: { name: '张三', phone: '13800001234' },
    promisedDate: '2026-12-01',
  };
}

interface Measure {
  rps: number;
  /** Server CPU time per request (user + system), microseconds. */
  cpuUsPerReq: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  statuses: string;
}

function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const on = (m: { cpuUs?: number }): void => {
      if (m.cpuUs === undefined) return;
      child.off('message', on);
      resolve(m.cpuUs);
    };
    child.on('message', on);
    child.send({ cmd: 'cpu' });
  });
}

async function drive(server: Started, opts: { batch: number; connections: number; overallRate?: number; seconds: number }): Promise<Measure> {
  const { port, key } = server;
  const cpu0 = await cpuOf(server.child);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: opts.connections,
    duration: opts.seconds,
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
    requests: [
      {
        method: 'POST',
        path: '/v1/parcels',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        setupRequest: (req) => {
          const body = opts.batch === 1 ? parcelBody() : { parcels: Array.from({ length: opts.batch }, parcelBody) };
          return { ...req, body: JSON.stringify(body) };
        },
      },
    ],
  });
  const cpuUs = (await cpuOf(server.child)) - cpu0;
  return { rps: result.requests.average, cpuUsPerReq: cpuUs / Math.max(1, result.requests.total), p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts,
    statuses: Object.entries(result.statusCodeStats ?? {})
      .map(([code, v]) => `${code}:${v.count ?? 0}`)
      .join(' '),
  };
}

async function serverVersion(pgDb: TestDatabase): Promise<string> {
  const { rows } = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(pgDb.db);
  return rows[0]?.v ?? '?';
}

async function main(): Promise<void> {
  const dialect = dialectArg() ?? TOOLS.BENCH_DB;
  const file = join(tmpdir(), `gongpei-bench-${randomUUID()}.db`);
  // PostgreSQL: a throw-away database (migrated by the app server), dropped at the end.
  const pgDb = dialect === 'postgres' ? await createTestDatabase('postgres', { migrate: false }) : undefined;
  const target = pgDb?.url ?? file;
  const prefix = `bench-${randomUUID()}`;
  const bare = await start('bare', target, prefix);
  const app = await start('app', target, prefix);
  const rows: { scenario: string; server: string; m: Measure; parcels: number; ratio?: number; target: string }[] = [];
  try {
    // Warm-up (JIT, SQLite page cache), not reported.
    await drive(app, { batch: 1, connections: 10, seconds: 2 });
    await drive(bare, { batch: 1, connections: 10, seconds: 2 });

    const only = TOOLS.BENCH_ONLY; // single | batch | rate
    for (const [scenario, batch, connections, rate] of [
      ['single parcel', 1, 10, undefined],
      ['batch of 100', 100, 4, undefined],
      ['fixed 1,000 req/s (single)', 1, 10, 1_000],
    ] as const) {
      if (only !== undefined && !scenario.startsWith(only === 'rate' ? 'fixed' : only)) continue;
      if (TOOLS.BENCH_PROFILE) await ask(bare.child, { cmd: 'profile-start' }, 'profiling');
      const b = await drive(bare, { batch, connections, seconds: SECONDS, ...(rate ? { overallRate: rate } : {}) });
      if (TOOLS.BENCH_PROFILE) console.log(`CPU profile of the bare server (${scenario}): ${await ask<string>(bare.child, { cmd: 'profile-stop', name: scenario.split(' ')[0] }, 'profiled')}`);
      if (TOOLS.BENCH_PROFILE) await ask(app.child, { cmd: 'profile-start' }, 'profiling');
      const a = await drive(app, { batch, connections, seconds: SECONDS, ...(rate ? { overallRate: rate } : {}) });
      if (TOOLS.BENCH_PROFILE) console.log(`CPU profile of the API's main thread (${scenario}): ${await ask<string>(app.child, { cmd: 'profile-stop', name: scenario.split(' ')[0] }, 'profiled')}`);
      const target = batch === 100 ? '≥ 20,000 parcels/s' : rate ? 'p99 < 50 ms' : '≥ 0.5 × bare';
      rows.push({ scenario, server: 'bare express', m: b, parcels: b.rps * batch, target: '' });
      rows.push({ scenario, server: 'gongpei', m: a, parcels: a.rps * batch, ratio: a.rps / b.rps, target });
    }
    const stats = await new Promise<{ backlog: number; parcels: number; relayed: number; jobs: number }>((resolve) => {
      app.child.once('message', (m: { backlog: number; parcels: number; relayed: number; jobs: number }) => resolve(m));
      app.child.send({ cmd: 'stats' });
    });

    const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
    const store = dialect === 'postgres' ? `PostgreSQL ${await serverVersion(pgDb!)}` : `SQLite synchronous=${getConfig().SQLITE_SYNCHRONOUS}`;
    console.log(`\nintake benchmark: ${SECONDS} s per run, loopback, autocannon in-process, servers in child processes, ${store} (${new Date().toISOString()})`);
    console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
    console.log('scenario                    server         req/s     p50 ms  p99 ms  parcels/s   ratio  non-2xx  CPU µs/req  target');
    for (const r of rows) {
      console.log(
        [
          r.scenario.padEnd(27),
          r.server.padEnd(13),
          fmt(r.m.rps).padStart(7),
          fmt(r.m.p50, 1).padStart(9),
          fmt(r.m.p99, 1).padStart(7),
          fmt(r.parcels).padStart(10),
          (r.ratio === undefined ? '' : `${fmt(r.ratio, 2)}×`).padStart(7),
          String(r.m.non2xx + r.m.errors).padStart(8),
          fmt(r.m.cpuUsPerReq).padStart(11),
          ` ${r.target}`,
        ].join(' '),
      );
    }
    for (const r of rows) if (r.m.non2xx + r.m.errors > 0) console.log(`  ${r.scenario} / ${r.server}: status codes ${r.m.statuses}, socket errors/timeouts ${r.m.errors}`);
    console.log(
      `\nparcels stored: ${fmt(stats.parcels)}; relayed to the consolidate queue: ${fmt(stats.relayed)} in ${fmt(stats.jobs)} jobs; outbox rows pending at the end: ${fmt(stats.backlog)}`,
    );
    console.log('note: CPU is shared with other agents on 2 cores; figures are pessimistic.');
  } finally {
    bare.child.kill('SIGTERM');
    app.child.kill('SIGTERM');
    await Promise.all([bare.child, app.child].map((c) => (c.exitCode === null ? new Promise((resolve) => c.once('exit', resolve)) : undefined)));
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    await pgDb?.dispose();
  }
}

process.on('SIGTERM', () => process.exit(0));
const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
/** `--db postgres` or `--db=postgres` (or sqlite) on the command line; BENCH_DB otherwise. */
function dialectArg(): 'sqlite' | 'postgres' | undefined {
  const i = process.argv.indexOf('--db');
  const value = i >= 0 ? process.argv[i + 1] : arg('db');
  if (value === undefined) return undefined;
  if (value !== 'sqlite' && value !== 'postgres') throw new Error(`--db: expected sqlite or postgres, got ${value}`);
  return value;
}
const role = arg('serve');
if (role === 'app' || role === 'bare') await serve(role, arg('target')!, arg('prefix')!);
else await main();
