/**
 * Scenario 4, database trouble, while couriers keep sending parcels (and retry 503s with the
 * same body):
 * - PostgreSQL: the API reaches its throw-away database through a TCP proxy in this process.
 *   (a) every backend of the database is terminated (pg_terminate_backend); (b) the proxy is
 *   killed (open connections reset, new ones refused) for `outageMs`, then started again. The API
 *   must answer 503 `unavailable` with a clear message (never 500, never crash), /readyz 503, and
 *   recover without a restart.
 * - SQLite: another connection holds the write lock (BEGIN IMMEDIATE) for `lockMs`; intake must
 *   wait and succeed (busy timeout), not fail.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { getToolSettings } from '../../../src/config.ts';
import { createEnv, endRun, freePort, request, sleep, SHARED_REDIS_URL, startApi, type ApiProcess, type Env, type ScenarioResult } from '../harness.ts';
import { audit, auditCounts, buildLoad, runLoad, type LoadOutcome } from '../intake-load.ts';

/** A loopback TCP proxy to PostgreSQL that can be killed (sockets destroyed) and restarted. */
class KillableProxy {
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  constructor(
    readonly port: number,
    readonly target: { host: string; port: number },
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      this.#sockets.add(client);
      this.#sockets.add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.#sockets.delete(client);
        this.#sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
  }

  /** Like pulling the cable: every open connection is reset, new ones are refused. */
  async kill(): Promise<void> {
    const s = this.#server;
    this.#server = undefined;
    for (const sock of this.#sockets) sock.destroy();
    this.#sockets.clear();
    if (s !== undefined) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

export interface DatabaseTroubleOptions {
  readonly outageMs: number;
  readonly lockMs: number;
  /** Parcels per phase of steady intake. */
  readonly parcels: number;
}

interface Tally {
  ok: number;
  unavailable: number;
  other: string[];
}

/** Single-parcel requests, one at a time per lane, WITHOUT retries: what each answer was. */
async function probeIntake(api: ApiProcess, env: Env, count: number, tag: string, tally: Tally, acked: Set<string>): Promise<void> {
  const items = buildLoad(env, count, tag).flatMap((it) =>
    'parcels' in (it.body as object) ? (it.body as { parcels: unknown[] }).parcels.map((p) => ({ ...it, body: p, waybills: [(p as { waybill: string }).waybill] })) : [it],
  );
  await Promise.all(
    [0, 1].map(async (lane) => {
      for (let i = lane; i < items.length; i += 2) {
        const it = items[i]!;
        const r = await request(api.base, 'POST', '/v1/parcels', { key: it.key, json: it.body, timeoutMs: 15_000 });
        if (r.status === 200 || r.status === 201) {
          tally.ok++;
          acked.add(`${it.courier}\u0000${it.waybills[0]}`);
        } else if (r.status === 503 && r.body?.error?.code === 'unavailable' && /database/i.test(String(r.body?.error?.message)) && r.headers.get('retry-after')) {
          tally.unavailable++;
        } else {
          tally.other.push(`${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
        }
        await sleep(20);
      }
    }),
  );
}

async function waitForRecovery(api: ApiProcess, env: Env, timeoutMs: number): Promise<number | undefined> {
  const t0 = Date.now();
  let i = 0;
  while (Date.now() - t0 < timeoutMs) {
    const key = env.keys.courierA;
    const r = await request(api.base, 'POST', '/v1/parcels', { key, json: (buildLoad(env, 1, `R${i++}${Date.now().toString(36).slice(-4)}`)[0]!.body as object) });
    if (r.status === 201) return Date.now() - t0;
    await sleep(250);
  }
  return undefined;
}

export async function postgresConnectionLoss(options: DatabaseTroubleOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const env = await createEnv('postgres');
  const proxy = new KillableProxy(await freePort(), { host: '127.0.0.1', port: 5432 });
  let api: ApiProcess | undefined;
  const admin = new pg.Client({ connectionString: getToolSettings().TEST_POSTGRES_URL });
  try {
    await proxy.start();
    await admin.connect();
    const dbName = new URL(env.url).pathname.slice(1);
    const proxied = new URL(env.url);
    proxied.port = String(proxy.port);
    proxied.hostname = '127.0.0.1';
    api = await startApi({ databaseUrl: proxied.toString(), redisUrl: SHARED_REDIS_URL, prefix: env.prefix });
    const pid = api.proc.pid;
    const failures: string[] = [];
    const acked = new Set<string>();
    const tally: Tally = { ok: 0, unavailable: 0, other: [] };

    // Warm: connections in the API's pool.
    await probeIntake(api, env, Math.max(10, Math.floor(options.parcels / 4)), 'PGA', tally, acked);

    // (a) every backend terminated, during intake.
    const during = probeIntake(api, env, options.parcels, 'PGB', tally, acked);
    for (let k = 0; k < 3; k++) {
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName]);
      await sleep(300);
    }
    await during;
    const recoveredAfterTerminate = await waitForRecovery(api, env, 15_000);
    if (recoveredAfterTerminate === undefined) failures.push('no 201 within 15 s after the backends were terminated');

    // (b) the connection is gone for outageMs.
    await proxy.kill();
    const outage = probeIntake(api, env, Math.max(6, Math.floor(options.parcels / 2)), 'PGC', tally, acked);
    const ready = await request(api.base, 'GET', '/readyz', { timeoutMs: 10_000 });
    if (ready.status !== 503 || ready.body?.status !== 'unavailable') failures.push(`/readyz while the database was unreachable: ${ready.status} ${JSON.stringify(ready.body).slice(0, 160)}`);
    await sleep(options.outageMs);
    await outage;
    const unavailableDuringOutage = tally.unavailable;
    await proxy.start();
    const recovered = await waitForRecovery(api, env, 30_000);
    if (recovered === undefined) failures.push('no 201 within 30 s after the database came back (no recovery without restart)');
    await probeIntake(api, env, Math.max(10, Math.floor(options.parcels / 4)), 'PGD', tally, acked);
    if (api.exited() || api.proc.pid !== pid) failures.push(`the API process died: ${api.output().slice(-600)}`);
    if (unavailableDuringOutage === 0) failures.push('no 503 while the database was unreachable');
    if (tally.other.length > 0) {
      // The API logs an unexpected failure with its error: show what it was.
      const logged = api
        .output()
        .split('\n')
        .filter((l) => l.includes('"level":50'))
        .map((l) => {
          const e = (JSON.parse(l) as { err?: { type?: string; code?: string; message?: string } }).err;
          return `${e?.type ?? ''} ${e?.code ?? ''} ${e?.message ?? ''}`.trim();
        });
      failures.push(`${tally.other.length} answer(s) neither 2xx nor 503 unavailable: ${[...new Set(tally.other)].slice(0, 3).join(' | ')}; logged: ${[...new Set(logged)].slice(0, 3).join(' | ')}`);
    }

    const a = await audit(env.db, acked);
    if (a.outboxMissing > 0) failures.push(`${a.outboxMissing} stored parcel(s) without exactly one outbox row`);
    return {
      scenario: '4 PostgreSQL connection lost',
      database: 'postgres',
      load: `${tally.ok + tally.unavailable + tally.other.length} single-parcel requests, no retries`,
      faults: `pg_terminate_backend ×3; proxy killed ${(options.outageMs / 1000).toFixed(0)} s; 503 ×${tally.unavailable}; recovered in ${recovered === undefined ? '—' : `${(recovered / 1000).toFixed(1)} s`}`,
      badInputs: 0,
      ...auditCounts(a),
      failures,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await api?.kill('SIGKILL');
    await proxy.kill();
    await admin.end().catch(() => {});
    await endRun(env);
  }
}

export async function sqliteBusy(options: DatabaseTroubleOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const env = await createEnv('sqlite');
  let api: ApiProcess | undefined;
  let holder: SQLite.Database | undefined;
  try {
    api = await startApi({ databaseUrl: env.url, redisUrl: SHARED_REDIS_URL, prefix: env.prefix });
    const base = api.base;
    holder = new SQLite(env.url.slice('sqlite:'.length));
    const failures: string[] = [];
    const acked = new Set<string>();
    let held = 0;
    const outcomes: LoadOutcome[] = [];
    for (let round = 0; round < 2; round++) {
      holder.exec('BEGIN IMMEDIATE');
      // A real write in the open transaction, so readers and writers see a held lock.
      holder.prepare("update couriers set name = name where code = 'ZTO'").run();
      const release = sleep(options.lockMs).then(() => holder!.exec('COMMIT'));
      const out = await runLoad(buildLoad(env, options.parcels, `SQ${round}${Date.now().toString(36).slice(-4)}`), {
        base: () => base,
        concurrency: 8,
        deadlineMs: 60_000,
      });
      await release;
      held++;
      outcomes.push(out);
      for (const k of out.acked) acked.add(k);
    }
    const retried = outcomes.reduce((s, o) => s + o.retries, 0);
    const statuses = new Map<number, number>();
    for (const o of outcomes) for (const [s, n] of o.statusCounts) statuses.set(s, (statuses.get(s) ?? 0) + n);
    const bad = [...statuses].filter(([s]) => s !== 200 && s !== 201);
    if (bad.length > 0) failures.push(`while the write lock was held intake answered ${bad.map(([s, n]) => `${n}× ${s}`).join(', ')} (expected: waited, then 2xx)`);
    for (const o of outcomes) if (o.unexpected.length > 0) failures.push(o.unexpected.slice(0, 2).join(' | '));
    const a = await audit(env.db, acked);
    if (a.outboxMissing > 0) failures.push(`${a.outboxMissing} stored parcel(s) without exactly one outbox row`);
    return {
      scenario: '4 SQLite busy',
      database: 'sqlite',
      load: `${options.parcels * 2} parcels in 2 rounds, c=8`,
      faults: `write lock held ${(options.lockMs / 1000).toFixed(1)} s ×${held}; client retries ${retried}`,
      badInputs: 0,
      ...auditCounts(a),
      failures,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    try {
      if (holder?.inTransaction) holder.exec('ROLLBACK');
      holder?.close();
    } catch {
      // closing anyway
    }
    await endRun(env, api);
  }
}
