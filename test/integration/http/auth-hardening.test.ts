/**
 * Issue 13, findings 6, 10 and 11 (authentication side), over real HTTP on SQLite and
 * PostgreSQL: failed authentications are limited per client address (429, other addresses
 * unaffected); every role's new keys have their own prefix and old keys keep working; /metrics
 * needs an admin key and /readyz names no internal host; the queue board refuses cross-site
 * changes and does not load web fonts from elsewhere.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_PREFIXES, createApiKey, hashApiKey } from '../../../src/auth/api-keys.ts';
import { testDialects } from '../../../src/db/test-database.ts';
import { QUEUE_NAMES, producerRedisOptions } from '../../../src/queue/queues.ts';
import { REDIS_URL, parcel, startApi, type ApiContext } from './helpers.ts';

/** One request from a chosen loopback address (127.0.0.0/8 is all loopback on Linux). */
function fromAddress(base: string, localAddress: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method, headers, localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.each(testDialects())('authentication hardening on %s', (dialect) => {
  let api: ApiContext;
  beforeAll(async () => {
    api = await startApi(dialect, { app: { authFailures: { failures: 10, windowS: 60 } } });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('finding 6: random keys from one address get 429 after the limit, before any lookup; another address with a valid key is unaffected', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const r = await fromAddress(api.base, '127.0.0.3', 'POST', '/v1/parcels', { authorization: `Bearer gp_c_guess${i}`, 'content-type': 'application/json' }, '{}');
      statuses.push(r.status);
      if (r.status === 429) expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(15).fill(429));
    // Blocked for every key it presents, malformed headers included…
    expect((await fromAddress(api.base, '127.0.0.3', 'GET', '/v1/parcels/ZT00000001', { authorization: 'Basic x' })).status).toBe(429);
    expect((await fromAddress(api.base, '127.0.0.3', 'GET', '/v1/parcels/ZT00000001', { authorization: `Bearer ${api.keys.zto}` })).status).toBe(429);
    // …while another address keeps working.
    const ok = await fromAddress(api.base, '127.0.0.4', 'POST', '/v1/parcels', { authorization: `Bearer ${api.keys.zto}`, 'content-type': 'application/json' }, JSON.stringify(parcel()));
    expect(ok.status).toBe(201);
    // The queue board's Basic/Bearer check counts and refuses the same way.
    expect((await fromAddress(api.base, '127.0.0.3', 'GET', '/admin/queues', { authorization: `Bearer ${api.keys.admin}` })).status).toBe(429);
  });

  it('finding 6 across processes: with Redis, failures at one API count at another; with Redis down, each still limits in memory', async () => {
    const prefix = `auth-${randomUUID()}`;
    const shared = new Redis(producerRedisOptions(REDIS_URL));
    // Until it is connected the limiter counts in memory (rejectIfRedisNotReady), as in a server
    // whose Redis is down.
    if (shared.status !== 'ready') await new Promise((resolve) => shared.once('ready', resolve));
    const dead = new Redis(producerRedisOptions('redis://127.0.0.1:1'));
    dead.on('error', () => {});
    const limit = { failures: 4, windowS: 60 };
    const a = await startApi(dialect, { db: api.db, relay: false, app: { authFailures: { ...limit, redis: { client: shared, prefix } } } });
    const b = await startApi(dialect, { db: api.db, relay: false, app: { authFailures: { ...limit, redis: { client: shared, prefix } } } });
    const c = await startApi(dialect, { db: api.db, relay: false, app: { authFailures: { ...limit, redis: { client: dead, prefix } } } });
    try {
      const guess = (base: string, address: string, i: number) => fromAddress(base, address, 'GET', '/v1/parcels/ZT00000001', { authorization: `Bearer gp_c_guess${i}` });
      for (let i = 0; i < 4; i++) expect((await guess(a.base, '127.0.0.6', i)).status).toBe(401);
      // The other process has seen none of these guesses itself.
      expect((await guess(b.base, '127.0.0.6', 9)).status).toBe(429);
      expect((await guess(b.base, '127.0.0.7', 9)).status).toBe(401);
      // Redis unreachable: the limit holds per process, in memory.
      for (let i = 0; i < 4; i++) expect((await guess(c.base, '127.0.0.8', i)).status).toBe(401);
      expect((await guess(c.base, '127.0.0.8', 9)).status).toBe(429);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
      await shared.del(`${prefix}:auth-failures:127.0.0.6`, `${prefix}:auth-failures:127.0.0.7`);
      shared.disconnect();
      dead.disconnect();
    }
  });

  it('finding 11: each role’s new keys have their own prefix; a key of the old driver form still works', async () => {
    const keys = {
      courier: (await createApiKey(api.db, { role: 'courier', courierCode: 'ZTO' })).key,
      dispatcher: (await createApiKey(api.db, { role: 'dispatcher' })).key,
      driver: (await createApiKey(api.db, { role: 'driver', driverId: 'driver-9' })).key,
      admin: (await createApiKey(api.db, { role: 'admin' })).key,
    };
    const prefixes = Object.values(KEY_PREFIXES);
    expect(new Set(prefixes).size).toBe(4);
    for (const [role, key] of Object.entries(keys)) {
      expect(key.startsWith(KEY_PREFIXES[role as keyof typeof KEY_PREFIXES])).toBe(true);
      // No other role's prefix matches it.
      expect(prefixes.filter((p) => key.startsWith(p))).toEqual([KEY_PREFIXES[role as keyof typeof KEY_PREFIXES]]);
    }
    expect(keys.driver.startsWith('gp_d_')).toBe(false);
    // Created before the change: `gp_d_…` for a driver.
    const old = 'gp_d_ThisIsAnOldDriverKeyOf43CharactersXXXXXXXX';
    await api.db
      .insertInto('api_keys')
      .values({ id: 'old-driver-key', key_hash: hashApiKey(old), key_prefix: old.slice(0, 12), role: 'driver', courier_code: null, driver_id: 'driver-1', label: null, created_at: new Date().toISOString(), revoked_at: null })
      .execute();
    const r = await api.request('GET', '/v1/manifests?date=2026-11-20', { key: old });
    expect(r.status).toBe(200);
  });

  it('finding 11: /metrics needs an admin key; /readyz stays public but names no internal host', async () => {
    expect((await api.request('GET', '/metrics', { key: null })).status).toBe(401);
    for (const key of [api.keys.zto, api.keys.dispatcher, api.keys.driver]) expect((await api.request('GET', '/metrics', { key })).status).toBe(403);
    const m = await api.request('GET', '/metrics', { key: api.keys.admin });
    expect(m.status).toBe(200);
    expect(m.body).toContain('gongpei_http_requests_total');
    const ready = await api.request('GET', '/readyz', { key: null });
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok' });
  });

  it('/readyz: ok or unavailable only, unless the caller has an admin key; an unknown key there counts as a failed authentication', async () => {
    const admin = await api.request('GET', '/readyz', { key: api.keys.admin });
    expect(admin.status).toBe(200);
    expect(admin.body).toEqual({ status: 'ok', checks: { database: { ok: true }, redis: { ok: true } } });
    for (const key of [api.keys.zto, api.keys.dispatcher, api.keys.driver]) {
      const r = await api.request('GET', '/readyz', { key });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ status: 'ok' });
    }
    // Guessing keys at /readyz (which answers anyway) uses up the address's failures too.
    for (let i = 0; i < 10; i++) {
      const r = await fromAddress(api.base, '127.0.0.5', 'GET', '/readyz', { authorization: `Bearer gp_a_guess${i}` });
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toEqual({ status: 'ok' });
    }
    expect((await fromAddress(api.base, '127.0.0.5', 'GET', '/v1/parcels/ZT00000001', { authorization: 'Bearer gp_c_guess' })).status).toBe(429);
  });

  it('finding 10: the queue board refuses a cross-site POST (text/plain, foreign Origin, admin Basic credentials) and loads no outside fonts', async () => {
    const basic = `Basic ${Buffer.from(`admin:${api.keys.admin}`).toString('base64')}`;
    const notify = new Queue(QUEUE_NAMES.notify, { connection: { url: REDIS_URL }, prefix: api.prefix });
    notify.on('error', () => {});
    try {
      const before = (await notify.getJobCounts('waiting', 'delayed', 'prioritized')) as Record<string, number>;
      const add = (headers: Record<string, string>) =>
        fetch(`${api.base}/admin/queues/api/queues/${QUEUE_NAMES.notify}/add`, {
          method: 'POST',
          headers: { authorization: basic, 'content-type': 'text/plain', ...headers },
          body: JSON.stringify({ name: 'forged', data: { kind: 'parcel', eventId: 'x' } }),
        });
      const foreign: Record<string, string>[] = [{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'http://127.0.0.1:1' }];
      for (const headers of foreign) {
        const r = await add(headers);
        expect(r.status, JSON.stringify(headers)).toBe(403);
      }
      const pause = await fetch(`${api.base}/admin/queues/api/queues/${QUEUE_NAMES.notify}/pause`, { method: 'PUT', headers: { authorization: basic, origin: 'https://evil.example' } });
      expect(pause.status).toBe(403);
      const after = (await notify.getJobCounts('waiting', 'delayed', 'prioritized')) as Record<string, number>;
      expect(after).toEqual(before);
      expect(await notify.isPaused()).toBe(false);
      // The board's own page (same origin) may still change things.
      const own = await fetch(`${api.base}/admin/queues/api/queues/${QUEUE_NAMES.notify}/pause`, { method: 'PUT', headers: { authorization: basic, origin: api.base } });
      expect(own.status).toBe(200);
      expect(await notify.isPaused()).toBe(true);
      await notify.resume();

      const page = await fetch(`${api.base}/admin/queues`, { headers: { authorization: basic } });
      expect(page.status).toBe(200);
      const csp = page.headers.get('content-security-policy') ?? '';
      const directive = (name: string) => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) ?? '';
      expect(directive('font-src')).not.toMatch(/https:|\*/);
      expect(directive('style-src')).not.toMatch(/https:|\*/);
      expect(directive('default-src')).toBe("default-src 'self'");
      // …and the page does not link the web font service at all: nothing outside is named.
      const html = await page.text();
      expect(html).toContain('static/css/main.');
      expect(html).not.toMatch(/https?:\/\//);
    } finally {
      await notify.obliterate({ force: true }).catch(() => {});
      await notify.close();
    }
  });
});
