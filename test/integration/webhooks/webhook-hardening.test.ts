/**
 * Issue 13, findings 2, 3 and 11 (webhook secrets), over real HTTP and real sockets, loopback
 * only. Webhook URLs that are (or resolve to) loopback, private, link-local, unique-local,
 * metadata or IPv4-mapped addresses, in any spelling, or that carry credentials, are refused
 * when saved, and again by the worker as it connects; http is refused in production. One
 * courier's endpoint that never answers does not delay another courier's webhooks. Secrets are
 * stored encrypted, and plain ones from before are encrypted by the data migration.
 *
 * Loopback receivers are reached through the test-only allow-list (WEBHOOK_ALLOW_ADDRESSES=
 * 127.0.0.1/32), parsed by the config module; refusing loopback itself is tested with an empty
 * list (the default) and with addresses outside the list (127.0.0.2, ::1).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, webhookConfig } from '../../../src/config.ts';
import { testDialects } from '../../../src/db/test-database.ts';
import { QUEUE_NAMES } from '../../../src/queue/queues.ts';
import { SecretBox, encryptStoredWebhookSecrets } from '../../../src/webhooks/secret-box.ts';
import { startNotifyWorker } from '../../../src/workers/notify.worker.ts';
import { REDIS_URL, startApi, waitFor, type ApiContext } from '../http/helpers.ts';
import { seedPlannedDay, type PlannedDay } from '../manifests/fixture.ts';

const SECRET = 'a-webhook-secret-of-some-length';
const STRICT = webhookConfig(loadConfig({})); // the default: public addresses only
const LOOPBACK_RECEIVERS = webhookConfig(loadConfig({ WEBHOOK_ALLOW_ADDRESSES: '127.0.0.1/32', WEBHOOK_TIMEOUT_MS: '2000' }));
const PRODUCTION = webhookConfig(loadConfig({ NODE_ENV: 'production', WEBHOOK_SECRET_KEY: 'ab'.repeat(32) }));

/** Non-public targets in the spellings an attacker tries; each must be refused when saved. */
const REFUSED_URLS = [
  'http://127.0.0.1/hook',
  'http://localhost:8080/hook',
  'http://2130706433/hook', // 127.0.0.1 in decimal
  'http://0x7f.0.0.1/hook', // hex
  'http://0177.0.0.01/hook', // octal
  'http://127.1/hook',
  'http://[::1]/hook',
  'http://[::ffff:127.0.0.1]/hook', // IPv4-mapped IPv6
  'http://[::ffff:a9fe:a9fe]/hook', // mapped metadata
  'http://169.254.169.254/latest/meta-data/', // cloud metadata (link-local)
  'http://0xa9fea9fe/hook', // the same in hex
  'http://2852039166/hook', // and in decimal
  'http://100.100.100.200/latest/meta-data/', // Alibaba Cloud metadata (carrier-grade NAT block)
  'http://10.0.0.5:5432/', // private
  'http://172.16.3.4/',
  'http://192.168.1.1/',
  'http://0.0.0.0:6379/', // unspecified
  'http://[fd00:ec2::254]/', // unique-local (AWS IPv6 metadata)
  'http://[fe80::1]/', // link-local
  'http://[64:ff9b::a00:5]/', // NAT64 of 10.0.0.5
  'http://224.0.0.1/', // multicast
  'https://user:pass@223.5.5.5/hook', // credentials
  'https://token@223.5.5.5/hook',
  'ftp://223.5.5.5/hook',
];

describe.each(testDialects())('webhook URLs and secrets on %s', (dialect) => {
  let api: ApiContext;
  let production: ApiContext;
  beforeAll(async () => {
    api = await startApi(dialect, { relay: false, app: { webhook: STRICT } });
    production = await startApi(dialect, { relay: false, db: api.db, app: { webhook: PRODUCTION } });
  });
  afterAll(async () => {
    await production?.close();
    await api?.close();
  });
  const put = (ctx: ApiContext, url: string) => ctx.request('PUT', '/v1/webhook', { key: api.keys.zto, json: { url, secret: SECRET } });

  it('finding 2: refuses loopback, private, link-local, unique-local, metadata and mapped addresses in any spelling, and credentials, when saved', async () => {
    for (const url of REFUSED_URLS) {
      const r = await put(api, url);
      expect(r.status, url).toBe(400);
      expect(r.body.error.details.map((d: { path: string }) => d.path), url).toEqual(['url']);
    }
    expect(await api.db.selectFrom('courier_webhooks').selectAll().where('courier_code', '=', 'ZTO').execute()).toEqual([]);
    // A public address is fine (not contacted when saved: it is an IP literal).
    expect((await put(api, 'http://223.5.5.5/gongpei')).status).toBe(200);
    // In production only https.
    const http = await put(production, 'http://223.5.5.5/gongpei');
    expect(http.status).toBe(400);
    expect(http.body.error.message).toContain('https');
    expect((await put(production, 'https://223.5.5.5/gongpei')).status).toBe(200);
  });

  it('finding 11: the secret is stored encrypted (AES-256-GCM, bound to the courier); plain secrets from before are encrypted by the migration', async () => {
    expect((await put(api, 'https://223.5.5.5/gongpei')).status).toBe(200);
    const row = await api.db.selectFrom('courier_webhooks').select('secret').where('courier_code', '=', 'ZTO').where('county_id', '=', '140430').executeTakeFirstOrThrow();
    expect(row.secret).not.toContain(SECRET);
    expect(SecretBox.isSealed(row.secret)).toBe(true);
    const box = new SecretBox(STRICT.secretKey);
    expect(box.open(row.secret, 'ZTO')).toBe(SECRET);
    expect(() => box.open(row.secret, 'YTO')).toThrow(); // copied to another courier: useless
    expect(() => new SecretBox(PRODUCTION.secretKey).open(row.secret, 'ZTO')).toThrow(); // another key

    // A row written by the previous version (copied to Qin County by the migration): plain text.
    const at = new Date().toISOString();
    await api.db.insertInto('courier_webhooks').values({ courier_code: 'YTO', county_id: '140430', url: 'https://223.5.5.5/yto', secret: 'plain-old-secret-0001', created_at: at, updated_at: at }).execute();
    expect(await encryptStoredWebhookSecrets(api.db, box)).toBe(1);
    expect(await encryptStoredWebhookSecrets(api.db, box)).toBe(0); // idempotent
    const yto = await api.db.selectFrom('courier_webhooks').select('secret').where('courier_code', '=', 'YTO').executeTakeFirstOrThrow();
    expect(box.open(yto.secret, 'YTO')).toBe('plain-old-secret-0001');
    expect((await api.request('GET', '/v1/webhook', { key: api.keys.yto })).body).toMatchObject({ secretSet: true });
  });
});

describe('webhook delivery: checked at connect time, one courier cannot delay another (sqlite)', () => {
  let api: ApiContext;
  let day: PlannedDay;
  const servers: Server[] = [];
  const queues: Queue[] = [];
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    api = await startApi('sqlite', { relay: false, app: { webhook: LOOPBACK_RECEIVERS } });
    day = await seedPlannedDay(api.db);
  });
  afterAll(async () => {
    for (const c of closers) await c();
    for (const q of queues) {
      await q.obliterate({ force: true }).catch(() => {});
      await q.close();
    }
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
    await api?.close();
  });

  async function receiver(host: string, answer: (res: ServerResponse) => void): Promise<{ url: string; log: { at: number; what: string }[] }> {
    const log: { at: number; what: string }[] = [];
    const server = createServer((req, res) => {
      log.push({ at: Date.now(), what: 'request' });
      req.socket.on('close', () => log.push({ at: Date.now(), what: 'closed' }));
      req.resume();
      answer(res);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
    return { url: `http://${host.includes(':') ? `[${host}]` : host}:${(server.address() as AddressInfo).port}/hook`, log };
  }

  /** A notify worker of its own (own queue prefix) and `n` jobs for events of `courier`'s parcel. */
  async function jobsFor(prefix: string, courier: 'ZTO' | 'YTO', n: number): Promise<void> {
    const parcel = await api.db.selectFrom('parcels').select('id').where('courier_code', '=', courier).where('waybill', 'in', day.waybills.guocun).executeTakeFirstOrThrow();
    const q = new Queue(QUEUE_NAMES.notify, { connection: { url: REDIS_URL }, prefix });
    q.on('error', () => {});
    queues.push(q);
    for (let i = 0; i < n; i++) {
      const id = randomUUID();
      await api.db.insertInto('parcel_events').values({ id, parcel_id: parcel.id, type: 'arrived', at: new Date().toISOString(), details_json: null }).execute();
      await q.add('parcel-event', { kind: 'parcel', eventId: id }, { jobId: `parcel-event-${id}`, attempts: 5, backoff: { type: 'exponential', delay: 1_000 } });
    }
  }

  /** Stops every worker started so far and empties their queues, so no job of one test reaches the next. */
  async function quiesce(): Promise<void> {
    for (const c of closers.splice(0)) await c();
    for (const q of queues.splice(0)) {
      await q.obliterate({ force: true }).catch(() => {});
      await q.close();
    }
  }

  async function setWebhook(courier: 'ZTO' | 'YTO', url: string): Promise<void> {
    // Written directly, as a row from before the checks (or a name whose DNS changed since) would be.
    const secret = new SecretBox(LOOPBACK_RECEIVERS.secretKey).seal(SECRET, courier);
    const at = new Date().toISOString();
    await api.db
      .insertInto('courier_webhooks')
      .values({ courier_code: courier, county_id: '140430', url, secret, created_at: at, updated_at: at })
      .onConflict((oc) => oc.columns(['courier_code', 'county_id']).doUpdateSet({ url, secret, updated_at: at }))
      .execute();
  }

  it('finding 2: the worker refuses non-public targets as it connects (a literal, and a name that resolves to loopback) and dead-letters the job', async () => {
    const target = await receiver('127.0.0.1', (res) => res.end());
    const prefix = `test-${randomUUID()}`;
    // This worker allows nothing but public addresses; the receivers are on loopback.
    const worker = startNotifyWorker({ db: api.db, redisUrl: REDIS_URL, prefix, webhook: STRICT });
    closers.push(() => worker.close());
    const dead = new Queue(QUEUE_NAMES.notifyDead, { connection: { url: REDIS_URL }, prefix });
    dead.on('error', () => {});
    queues.push(dead);
    const port = new URL(target.url).port;
    for (const url of [`http://localhost:${port}/hook`, `http://127.0.0.1:${port}/hook`, `http://2130706433:${port}/hook`]) {
      await setWebhook('ZTO', url);
      const before = (await dead.getJobs(['waiting'])).length;
      await jobsFor(prefix, 'ZTO', 1);
      const deadJobs = await waitFor(`the job for ${url} dead-lettered`, async () => {
        const jobs = await dead.getJobs(['waiting']);
        return jobs.length > before ? jobs : undefined;
      });
      expect(deadJobs.map((j) => (j.data as { error: string }).error).join(' ')).toMatch(/refused: .*loopback/);
      expect(deadJobs.every((j) => (j.data as { attemptsMade: number }).attemptsMade <= 1)).toBe(true);
    }
    expect(target.log).toEqual([]); // not one request reached the loopback receiver
    // The same worker with the test allow-list delivers to 127.0.0.1 (and only there).
    await setWebhook('ZTO', target.url);
    const allowed = startNotifyWorker({ db: api.db, redisUrl: REDIS_URL, prefix: `${prefix}-allowed`, webhook: LOOPBACK_RECEIVERS });
    closers.push(() => allowed.close());
    await jobsFor(`${prefix}-allowed`, 'ZTO', 1);
    await waitFor('delivered to the allowed loopback receiver', async () => target.log.some((l) => l.what === 'request'));
    await quiesce();
  });

  it('finding 3: a courier whose endpoint never answers holds at most its own slots; another courier’s webhooks go out before the first timeout', async () => {
    const hanging = await receiver('127.0.0.1', () => {}); // accepts, never answers
    const healthy = await receiver('127.0.0.1', (res) => {
      res.statusCode = 204;
      res.end();
    });
    await setWebhook('ZTO', hanging.url);
    await setWebhook('YTO', healthy.url);
    const prefix = `test-${randomUUID()}`;
    const worker = startNotifyWorker({ db: api.db, redisUrl: REDIS_URL, prefix, webhook: LOOPBACK_RECEIVERS }); // 16 slots, 2 per courier, 2 s timeout
    closers.push(() => worker.close());
    await jobsFor(prefix, 'ZTO', 24); // queued first: more than the worker has slots
    await jobsFor(prefix, 'YTO', 3);
    await waitFor('the other courier’s webhooks', async () => healthy.log.filter((l) => l.what === 'request').length === 3, 20_000);
    const firstHangingClose = hanging.log.find((l) => l.what === 'closed')?.at ?? Infinity;
    const lastHealthy = Math.max(...healthy.log.filter((l) => l.what === 'request').map((l) => l.at));
    expect(lastHealthy).toBeLessThan(firstHangingClose); // delivered while the dead endpoint's first attempts were still waiting
    // The dead endpoint never had more than 2 requests open at once.
    let open = 0;
    let maxOpen = 0;
    for (const l of [...hanging.log].sort((a, b) => a.at - b.at)) {
      open += l.what === 'request' ? 1 : -1;
      maxOpen = Math.max(maxOpen, open);
    }
    expect(maxOpen).toBeLessThanOrEqual(LOOPBACK_RECEIVERS.concurrencyPerCourier);
    await quiesce();
  });

  it('finding 3: after repeated failures the courier’s circuit opens: no more requests until it half-opens', async () => {
    let requests = 0;
    const failing = await receiver('127.0.0.1', (res) => {
      requests++;
      res.statusCode = 500;
      res.end();
    });
    await setWebhook('ZTO', failing.url);
    const prefix = `test-${randomUUID()}`;
    const limits = webhookConfig(loadConfig({ WEBHOOK_ALLOW_ADDRESSES: '127.0.0.1/32', WEBHOOK_BREAKER_FAILURES: '3', WEBHOOK_BREAKER_OPEN_S: '60', WEBHOOK_CONCURRENCY_PER_COURIER: '1' }));
    const worker = startNotifyWorker({ db: api.db, redisUrl: REDIS_URL, prefix, webhook: limits });
    closers.push(() => worker.close());
    await jobsFor(prefix, 'ZTO', 6);
    await waitFor('three failed deliveries', async () => requests >= 3);
    await new Promise((r) => setTimeout(r, 2_500)); // the jobs' retries (1 s, 2 s) come and find the circuit open
    expect(requests).toBe(3);
    const q = new Queue(QUEUE_NAMES.notify, { connection: { url: REDIS_URL }, prefix });
    q.on('error', () => {});
    queues.push(q);
    // Nothing was dead-lettered or failed for good: the jobs wait (delayed) for the circuit.
    expect((await q.getJobCounts('failed')).failed).toBe(0);
    expect((await q.getJobCounts('delayed')).delayed).toBe(6);
  });
});
