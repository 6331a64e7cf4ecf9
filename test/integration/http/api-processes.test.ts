/**
 * `gongpei serve` with API_PROCESSES=2, as an operator runs it: two processes behind one port
 * (node:cluster), parcels posted through that port. Both processes answer (each request's
 * X-Request-Id is found in the request log line of the process that served it, with its pid),
 * every parcel is stored once, with one `received` event, and SIGTERM stops every process.
 * Also: API_PROCESSES > 1 with an in-memory SQLite is refused at start-up, naming the setting.
 */
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../src/auth/api-keys.ts';
import { environmentWith } from '../../../src/config.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../src/db/test-database.ts';
import { request } from '../../support/http-request.ts';
import { REDIS_URL, freePort, parcel, seedFixtureNetwork } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe.each(testDialects())('two API processes behind one port on %s', (dialect) => {
  let t: TestDatabase;
  let key: string;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedFixtureNetwork(t.db);
    key = (await createApiKey(t.db, { role: 'courier', courierCode: 'ZTO' })).key;
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('both processes answer, every parcel is stored once, and SIGTERM stops them all', async () => {
    const port = await freePort();
    const env = environmentWith({ DATABASE_URL: t.url, PORT: String(port), REDIS_URL, QUEUE_PREFIX: `test-${randomUUID()}`, API_PROCESSES: '2', LOG_LEVEL: 'info' });
    const child = spawn(process.execPath, ['bin/gongpei.js', 'serve'], { cwd: ROOT, env });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const lines = (): { pid: number; msg: string; req?: { id: string } }[] =>
        stdout
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as { pid: number; msg: string; req?: { id: string } });
      const listening = (): number => lines().filter((l) => l.msg === 'gongpei intake API listening').length;
      for (let waited = 0; listening() < 2; waited += 200) {
        if (waited > 150_000 || child.exitCode !== null) throw new Error(`serve did not start: ${stdout}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const base = `http://127.0.0.1:${port}`;
      const bodies = Array.from({ length: 60 }, () => parcel());
      // A new connection per request (Connection: close), so the primary hands them out in turn.
      const results = await Promise.all(bodies.map((json) => request(base, 'POST', '/v1/parcels', { key, json, headers: { connection: 'close' } })));
      expect(results.map((r) => r.status)).toEqual(bodies.map(() => 201));
      // Each body again: a replay (200), whichever process gets it.
      const replays = await Promise.all(bodies.slice(0, 10).map((json) => request(base, 'POST', '/v1/parcels', { key, json, headers: { connection: 'close' } })));
      expect(replays.map((r) => r.status)).toEqual(replays.map(() => 200));

      for (let waited = 0; lines().filter((l) => l.msg === 'request completed').length < 70; waited += 100) {
        if (waited > 30_000) throw new Error(`request logs missing: ${stdout}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const pidOf = new Map(lines().flatMap((l) => (l.msg === 'request completed' && l.req ? [[l.req.id, l.pid] as const] : [])));
      const pids = new Set([...results, ...replays].map((r) => pidOf.get(r.headers.get('x-request-id') ?? '')));
      expect(pids.has(undefined)).toBe(false);
      expect(pids.size).toBe(2);
      expect(pids.has(child.pid)).toBe(false); // the primary only hands out connections

      const waybills = bodies.map((b) => b.waybill as string);
      const stored = await t.db.selectFrom('parcels').select('waybill').where('waybill', 'in', waybills).execute();
      expect(stored.map((r) => r.waybill).sort()).toEqual([...waybills].sort());
      const events = await t.db
        .selectFrom('parcel_events')
        .innerJoin('parcels', 'parcels.id', 'parcel_events.parcel_id')
        .select('parcels.waybill')
        .where('parcels.waybill', 'in', waybills)
        .where('parcel_events.type', '=', 'received')
        .execute();
      expect(events).toHaveLength(60);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const workerPids = [...pids] as number[];
      for (const pid of workerPids) expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('API_PROCESSES with an in-memory SQLite', () => {
  it('is refused at start-up with one line naming the setting', async () => {
    const outcome = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, ['bin/gongpei.js', 'serve'], { cwd: ROOT, env: environmentWith({ DATABASE_URL: 'sqlite::memory:', API_PROCESSES: '2' }), encoding: 'utf8', timeout: 150_000 }, (err, _stdout, stderr) => {
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stderr });
      });
    });
    expect(outcome.stderr.trim()).toMatch(/^gongpei: API_PROCESSES: must be 1 with DATABASE_URL=sqlite::memory:/);
    expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
    expect(outcome.code).not.toBe(0);
  });
});
