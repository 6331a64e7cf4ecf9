/**
 * Failure paths of the intake API: a Redis outage during intake (a private redis-server that is
 * killed and restarted, never the shared one), rate limiting, an unreachable database, races on
 * the same waybill, the OpenAPI document, and the `keys` CLI.
 */
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentWith } from '../../../src/config.ts';
import { createDb } from '../../../src/db/database.ts';
import { createApiKey } from '../../../src/auth/api-keys.ts';
import { createTestDatabase, testDialects } from '../../../src/db/test-database.ts';
import { producerRedisOptions } from '../../../src/queue/queues.ts';
import { PrivateRedis } from '../../support/private-redis.ts';
import { REDIS_URL, consolidateJobsByParcel, freePort, parcel, seedFixtureNetwork, startApi, waitFor, type ApiContext } from './helpers.ts';

const run = promisify(execFile);

describe.each(testDialects())('intake resilience on %s', (dialect) => {
  describe('Redis outage during intake', () => {
    let redis: PrivateRedis;
    let api: ApiContext;
    beforeAll(async () => {
      redis = new PrivateRedis(await freePort());
      await redis.start();
      api = await startApi(dialect, { redisUrl: redis.url });
    });
    afterAll(async () => {
      await api?.close();
      await redis?.dispose();
    });

    it('keeps answering 2xx, reports degraded, and relays every accepted parcel after Redis returns', async () => {
      const before = await api.request('POST', '/v1/parcels', { json: { parcels: Array.from({ length: 10 }, () => parcel()) } });
      expect(before.status).toBe(201);
      await waitFor('first batch relayed', async () => (await api.relay.backlog()) === 0);

      await redis.stop();
      const during: { id: string }[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await api.request('POST', '/v1/parcels', { json: { parcels: Array.from({ length: 20 }, () => parcel()) } });
        expect(r.status).toBe(201);
        during.push(...r.body.parcels);
      }
      const single = await api.request('POST', '/v1/parcels', { json: parcel() });
      expect(single.status).toBe(201);
      during.push(single.body);
      const ready = await api.request('GET', '/readyz', { key: api.keys.admin });
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'degraded', checks: { database: { ok: true }, redis: { ok: false } } });
      // Probes (no key) learn that the API serves, not which dependency is down.
      expect((await api.request('GET', '/readyz', { key: null })).body).toEqual({ status: 'ok' });
      // 101 parcels from 6 requests, each committed alone: 6 outbox rows (consolidate jobs) pending.
      expect(await api.relay.backlog()).toBe(6);
      const metrics = await api.request('GET', '/metrics', { key: api.keys.admin });
      expect(metrics.body).toContain('gongpei_outbox_backlog 6');

      await redis.start();
      await waitFor('backlog relayed after the outage', async () => (await api.relay.backlog()) === 0, 30_000);
      const q = new Queue('consolidate', { connection: { url: redis.url }, prefix: api.prefix });
      q.on('error', () => {});
      try {
        const { jobs, byParcel } = await consolidateJobsByParcel(q);
        for (const p of [...before.body.parcels, ...during] as { id: string }[]) expect(byParcel.get(p.id), `jobs listing ${p.id}`).toHaveLength(1);
        expect(byParcel.size).toBe(111);
        expect(jobs).toBe(7);
        const counts = await q.getJobCounts('waiting');
        expect(counts.waiting).toBe(7);
      } finally {
        await q.close();
      }
      expect((await api.request('GET', '/readyz', { key: null })).body.status).toBe('ok');
    });
  });

  describe('limits and races', () => {
    let api: ApiContext;
    beforeAll(async () => {
      api = await startApi(dialect, { app: { rateLimit: { perSecond: 0.5, burst: 3 } } });
    });
    afterAll(async () => {
      await api?.close();
    });

    it('429 with Retry-After once a key exceeds its rate; other keys are unaffected', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await api.request('GET', `/v1/parcels/ZT${i}000000`)).status);
      expect(statuses).toEqual([404, 404, 404, 429]);
      const limited = await api.request('GET', '/v1/parcels/ZT0000000');
      expect(limited.body.error.code).toBe('rate_limited');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await api.request('GET', '/v1/parcels/ZT0000000', { key: api.keys.yto })).status).toBe(404);
    });

    it('with Redis, API processes share a key\'s budget: the second answers 429 once the first spent it; with Redis down each counts alone', async () => {
      const prefix = `rate-${randomUUID()}`;
      const shared = new Redis(producerRedisOptions(REDIS_URL));
      // Until it is connected the limiter counts in memory (rejectIfRedisNotReady), as with Redis down.
      if (shared.status !== 'ready') await new Promise((resolve) => shared.once('ready', resolve));
      const dead = new Redis(producerRedisOptions('redis://127.0.0.1:1'));
      dead.on('error', () => {});
      const limit = { perSecond: 0.01, burst: 3 }; // a window of 300 s: no reset while the test runs
      const a = await startApi(dialect, { db: api.db, relay: false, app: { rateLimit: { ...limit, redis: { client: shared, prefix } } } });
      const b = await startApi(dialect, { db: api.db, relay: false, app: { rateLimit: { ...limit, redis: { client: shared, prefix } } } });
      const c = await startApi(dialect, { db: api.db, relay: false, app: { rateLimit: { ...limit, redis: { client: dead, prefix } } } });
      try {
        const get = (at: ApiContext, key: string) => at.request('GET', '/v1/parcels/ZT1000000', { key }).then((r) => r.status);
        expect([await get(a, api.keys.zto), await get(a, api.keys.zto)]).toEqual([404, 404]);
        // b has seen one request of this key itself; the shared budget has one left.
        expect([await get(b, api.keys.zto), await get(b, api.keys.zto)]).toEqual([404, 429]);
        expect(await get(a, api.keys.zto)).toBe(429);
        // Another key has a budget of its own.
        expect(await get(b, api.keys.yto)).toBe(404);
        // Redis unreachable: the limit holds in this process's memory.
        expect([await get(c, api.keys.yto), await get(c, api.keys.yto), await get(c, api.keys.yto), await get(c, api.keys.yto)]).toEqual([404, 404, 404, 429]);
      } finally {
        await Promise.all([a.close(), b.close(), c.close()]);
        const keys = await shared.keys(`${prefix}:rate:*`);
        if (keys.length > 0) await shared.del(...keys);
        shared.disconnect();
        dead.disconnect();
      }
    });
  });

  describe('concurrent submissions of one waybill', () => {
    let api: ApiContext;
    beforeAll(async () => {
      api = await startApi(dialect);
    });
    afterAll(async () => {
      await api?.close();
    });

    it('create exactly one parcel: one 201, the rest 200 with the same id', async () => {
      const p = parcel();
      const rs = await Promise.all(Array.from({ length: 8 }, () => api.request('POST', '/v1/parcels', { json: p, key: api.keys.yto })));
      const statuses = rs.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
      expect(new Set(rs.map((r) => r.body.id)).size).toBe(1);
    });

    it('keeps each request all-or-nothing when concurrent requests share a transaction', async () => {
      const accepted = parcel();
      expect((await api.request('POST', '/v1/parcels', { json: accepted })).status).toBe(201);
      const fresh = Array.from({ length: 9 }, () => ({ parcels: [parcel(), parcel()] }));
      const clashing = { parcels: [parcel(), { ...accepted, weightG: 1 }] };
      const rs = await Promise.all([...fresh, clashing, ...fresh.slice(0, 3)].map((json) => api.request('POST', '/v1/parcels', { json })));
      expect(rs.slice(0, 9).every((r) => r.status === 201 || r.status === 200)).toBe(true);
      expect(rs[9]!.status).toBe(409);
      expect(rs.slice(10).every((r) => r.status === 200 || r.status === 201)).toBe(true);
      expect((await api.request('GET', `/v1/parcels/${clashing.parcels[0]!.waybill}`)).status).toBe(404);
      for (const f of fresh) for (const p of f.parcels) expect((await api.request('GET', `/v1/parcels/${p.waybill}`)).status).toBe(200);
    });

    it('publishes a valid OpenAPI 3.1 document covering every endpoint and error status', async () => {
      const doc = (await api.request('GET', '/openapi.json', { key: null })).body;
      expect(doc.openapi).toBe('3.1.0');
      const validator = new Validator();
      const result = await validator.validate(doc);
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
      // Other parts of the API (plans, dashboard) add their own paths; the intake ones must be there.
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/healthz', '/metrics', '/readyz', '/v1/parcels', '/v1/parcels/import', '/v1/parcels/{waybill}', '/v1/pickups', '/v1/pickups/{id}']),
      );
      const statuses = new Set<string>();
      for (const ops of Object.values(doc.paths) as Record<string, { responses: Record<string, unknown> }>[]) {
        for (const op of Object.values(ops)) for (const s of Object.keys(op.responses)) statuses.add(s);
      }
      for (const s of ['200', '201', '400', '401', '403', '404', '409', '413', '415', '422', '429', '503']) expect(statuses).toContain(s);
      expect(doc.components.schemas.CreateParcel.additionalProperties).toBe(false);
    });
  });

  describe('database unavailable', () => {
    it('503 in the error shape with Retry-After', async () => {
      const broken =
        dialect === 'postgres'
          ? createDb(`postgres://postgres@127.0.0.1:${await freePort()}/nothing`)
          : await (async () => {
              const t = await createTestDatabase('sqlite');
              await t.db.destroy(); // the app keeps a handle to a closed database
              return t.db;
            })();
      const api = await startApi(dialect, { db: broken, relay: false });
      try {
        const r = await api.request('POST', '/v1/parcels', { json: parcel() });
        expect(r.status).toBe(503);
        expect(r.body.error.code).toBe('unavailable');
        expect(r.headers.get('retry-after')).toBe('5');
        const ready = await api.request('GET', '/readyz', { key: null });
        expect(ready.status).toBe(503);
      } finally {
        await api.close();
        if (dialect === 'postgres') await broken.destroy();
      }
    });
  });

  describe('keys CLI', () => {
    it('creates a key printed once on the last line, lists without it, and revokes it', async () => {
      const t = await createTestDatabase(dialect);
      await seedFixtureNetwork(t.db);
      const env = environmentWith({ DATABASE_URL: t.url, LOG_LEVEL: 'silent' });
      try {
        const created = await run('node', ['bin/gongpei.js', 'keys', 'create', '--role', 'courier', '--courier', 'ZTO', '--label', 'test'], { env });
        const key = created.stdout.trim().split('\n').at(-1)!;
        expect(key).toMatch(/^gp_c_/);
        const row = await t.db.selectFrom('api_keys').selectAll().executeTakeFirstOrThrow();
        expect(row.key_hash).not.toContain(key);
        expect(JSON.stringify(row)).not.toContain(key);
        const listed = await run('node', ['bin/gongpei.js', 'keys', 'list'], { env });
        expect(listed.stdout).toContain(row.key_prefix);
        expect(listed.stdout).not.toContain(key);
        await expect(run('node', ['bin/gongpei.js', 'keys', 'create', '--role', 'courier', '--courier', 'NOPE'], { env })).rejects.toMatchObject({ code: 1 });
        const revoked = await run('node', ['bin/gongpei.js', 'keys', 'revoke', row.id], { env });
        expect(revoked.stdout).toContain('revoked 1');
        const after = await t.db.selectFrom('api_keys').select('revoked_at').executeTakeFirstOrThrow();
        expect(after.revoked_at).not.toBeNull();
      } finally {
        await t.dispose();
      }
    });
  });

  describe('gongpei serve', () => {
    it('serves intake from the environment and exits 0 on SIGTERM after draining', async () => {
      const t = await createTestDatabase(dialect);
      await seedFixtureNetwork(t.db);
      const { key } = await createApiKey(t.db, { role: 'courier', courierCode: 'ZTO' });
      const port = await freePort();
      const prefix = `test-serve-${Date.now()}`;
      const child = spawn('node', ['bin/gongpei.js', 'serve'], {
        env: environmentWith({ DATABASE_URL: t.url, PORT: String(port), QUEUE_PREFIX: prefix, LOG_LEVEL: 'info' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (out += b.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        await waitFor('serve to listen', async () => out.includes('listening'), 30_000);
        const p = parcel();
        const r = await fetch(`http://127.0.0.1:${port}/v1/parcels`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(p),
        });
        expect(r.status).toBe(201);
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
        expect(out).toContain('shutting down');
        expect(out).not.toContain('13812345678');
        const stored = await t.db.selectFrom('parcels').select('waybill').executeTakeFirstOrThrow();
        expect(stored.waybill).toBe(p.waybill);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
        const q = new Queue('consolidate', { connection: { url: 'redis://127.0.0.1:6379' }, prefix });
        await q.obliterate({ force: true }).catch(() => {});
        await q.close();
        await t.dispose();
      }
    });
  });
});
