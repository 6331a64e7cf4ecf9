/**
 * Courier webhooks end to end: a courier registers a loopback receiver, a driver's event goes
 * through the outbox, the relay and the `notify` worker to the receiver, signed; a 500 is retried
 * with backoff; a job that fails every attempt lands in `notify-dead`; a bad signature is caught
 * by the documented check; the queue board is for admins only.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, webhookConfig } from '../../../src/config.ts';
import { QUEUE_NAMES } from '../../../src/queue/queues.ts';
import { signPayload, verifySignature } from '../../../src/webhooks/signature.ts';
import { startNotifyWorker, type RunningNotifyWorker } from '../../../src/workers/notify.worker.ts';
import { REDIS_URL, startApi, waitFor, type ApiContext } from '../http/helpers.ts';
import { DURING_DAY, seedPlannedDay, type PlannedDay } from '../manifests/fixture.ts';

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly status: number;
}

const SECRET = 'zto-webhook-secret-0123456789';
/** The receiver listens on 127.0.0.1: the test-only allow-list admits exactly that address. */
const LOOPBACK_RECEIVERS = webhookConfig(loadConfig({ WEBHOOK_ALLOW_ADDRESSES: '127.0.0.1/32', WEBHOOK_TIMEOUT_MS: '3000' }));

describe('courier webhooks', () => {
  let api: ApiContext;
  let day: PlannedDay;
  let worker: RunningNotifyWorker;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  /** Answers for the next requests (default 204). */
  const answers: number[] = [];
  const queues: Queue[] = [];

  beforeAll(async () => {
    api = await startApi('sqlite', { app: { webhook: LOOPBACK_RECEIVERS, clock: DURING_DAY } });
    day = await seedPlannedDay(api.db);
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = answers.shift() ?? 204;
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/gongpei`;
    worker = startNotifyWorker({ db: api.db, redisUrl: REDIS_URL, prefix: api.prefix, webhook: LOOPBACK_RECEIVERS });
  });
  afterAll(async () => {
    await worker?.close();
    for (const q of queues) {
      await q.obliterate({ force: true }).catch(() => {});
      await q.close();
    }
    await api?.close();
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  });

  const queue = (name: string) => {
    const q = new Queue(name, { connection: { url: REDIS_URL }, prefix: api.prefix });
    q.on('error', () => {});
    queues.push(q);
    return q;
  };

  it('a courier sets, reads and clears its own webhook; the secret is never returned', async () => {
    const bad = await api.request('PUT', '/v1/webhook', { key: api.keys.zto, json: { url: 'ftp://x', secret: 'short' } });
    expect(bad.status).toBe(400);
    expect((await api.request('PUT', '/v1/webhook', { key: api.keys.dispatcher, json: { url: receiverUrl, secret: SECRET } })).status).toBe(403);
    const put = await api.request('PUT', '/v1/webhook', { key: api.keys.yto, json: { url: receiverUrl, secret: SECRET } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ courier: 'YTO', url: receiverUrl, secretSet: true });
    expect(JSON.stringify(put.body)).not.toContain(SECRET);
    const del = await api.request('DELETE', '/v1/webhook', { key: api.keys.yto });
    expect(del.body).toMatchObject({ courier: 'YTO', url: null, secretSet: false });
    const zto = await api.request('PUT', '/v1/webhook', { key: api.keys.zto, json: { url: receiverUrl, secret: SECRET } });
    expect(zto.status).toBe(200);
    expect((await api.request('GET', '/v1/webhook', { key: api.keys.zto })).body).toMatchObject({ courier: 'ZTO', url: receiverUrl, secretSet: true });
  });

  it('delivers a signed webhook for each status change of the courier’s parcels, retrying after a 500', async () => {
    const [zto1, , yto3] = day.waybills.guocun as [string, string, string];
    answers.push(500); // the first attempt fails
    const res = await api.request('POST', `/v1/stops/${day.stops.guocun}/events`, { key: api.keys.driver, json: { type: 'delivered', waybills: [zto1, yto3] } });
    expect(res.status).toBe(200);
    expect(res.body.notifications).toBe(2);

    const ok = await waitFor('a successful delivery after the retry', async () => received.find((r) => r.status === 204));
    const attempts = received.filter((r) => r.headers['x-gongpei-delivery'] === ok.headers['x-gongpei-delivery']);
    expect(attempts.map((r) => [r.status, r.headers['x-gongpei-attempt']])).toEqual([
      [500, '1'],
      [204, '2'],
    ]);
    // Only ZTO registered a webhook: YTO's parcel produced no request.
    expect(received).toHaveLength(2);
    const body = JSON.parse(ok.body);
    expect(body).toMatchObject({ type: 'parcel.delivered', courier: 'ZTO', data: { waybill: zto1, status: 'delivered', event: 'delivered' } });
    expect(ok.headers['content-type']).toBe('application/json');
    expect(ok.headers['x-gongpei-event']).toBe('parcel.delivered');
    const check = verifySignature(SECRET, { signature: ok.headers['x-gongpei-signature'] as string, timestamp: ok.headers['x-gongpei-timestamp'] as string }, ok.body);
    expect(check).toEqual({ ok: true });
    expect(ok.body).not.toContain('13812345678');

    const notify = queue(QUEUE_NAMES.notify);
    await waitFor('both notify jobs completed', async () => (await notify.getJobCounts('completed')).completed === 2);
    const yto = (await notify.getCompleted()).find((j) => JSON.stringify(j.returnvalue).includes('skipped'));
    expect(yto?.returnvalue).toEqual({ skipped: 'the courier has no webhook in county 140430' });
  });

  it('sends pickup status changes too (produce collected at a village)', async () => {
    const before = received.length;
    const res = await api.request('POST', `/v1/stops/${day.stops.guocun}/events`, { key: api.keys.driver, json: { type: 'picked_up', pickupIds: [day.pickupId] } });
    expect(res.status).toBe(200);
    const hook = await waitFor('the pickup webhook', async () => received.slice(before).find((r) => r.headers['x-gongpei-event'] === 'pickup.picked_up'));
    expect(JSON.parse(hook.body)).toMatchObject({ type: 'pickup.picked_up', courier: 'ZTO', data: { pickupId: day.pickupId, status: 'picked_up' } });
    expect(verifySignature(SECRET, { signature: hook.headers['x-gongpei-signature'] as string, timestamp: hook.headers['x-gongpei-timestamp'] as string }, hook.body)).toEqual({ ok: true });
    expect(hook.body).not.toContain('13511112222'); // the shipper's phone stays with us
  });

  it('a bad signature is detectable: wrong secret, tampered body, stale timestamp, missing header', () => {
    const body = JSON.stringify({ id: 'e1', type: 'parcel.delivered' });
    const ts = Math.floor(Date.now() / 1000);
    const sig = signPayload(SECRET, ts, body);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(SECRET, { signature: sig, timestamp: String(ts) }, body)).toEqual({ ok: true });
    expect(verifySignature('another-secret-0123456789', { signature: sig, timestamp: String(ts) }, body)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(SECRET, { signature: sig, timestamp: String(ts) }, body.replace('e1', 'e2'))).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(SECRET, { signature: sig, timestamp: String(ts + 1) }, body)).toEqual({ ok: false, reason: 'mismatch' });
    const old = ts - 3600;
    expect(verifySignature(SECRET, { signature: signPayload(SECRET, old, body), timestamp: String(old) }, body)).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature(SECRET, { signature: undefined, timestamp: String(ts) }, body)).toEqual({ ok: false, reason: 'missing' });
    expect(verifySignature(SECRET, { signature: 'md5=abc', timestamp: String(ts) }, body)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('dead-letters a notification after its last failed attempt', async () => {
    const event = await api.db
      .selectFrom('parcel_events')
      .innerJoin('parcels', 'parcels.id', 'parcel_events.parcel_id')
      .select('parcel_events.id')
      .where('parcel_events.type', '=', 'delivered')
      .where('parcels.courier_code', '=', 'ZTO')
      .executeTakeFirstOrThrow();
    const before = received.length;
    answers.push(500, 503, 500);
    const notify = queue(QUEUE_NAMES.notify);
    await notify.add('parcel-event', { kind: 'parcel', eventId: event.id }, { jobId: 'dead-letter-test', attempts: 3, backoff: { type: 'exponential', delay: 50 } });
    const dead = queue(QUEUE_NAMES.notifyDead);
    const job = await waitFor('the dead-lettered job', async () => (await dead.getJob('dead-dead-letter-test')) ?? undefined);
    expect(job.data).toMatchObject({ original: { kind: 'parcel', eventId: event.id }, attemptsMade: 3, error: expect.stringContaining('answered 500') });
    expect(received.slice(before).map((r) => r.status)).toEqual([500, 503, 500]);
    expect((await notify.getJob('dead-letter-test'))?.failedReason).toContain('500');
  });

  it('shows Bull Board at /admin/queues to admin keys only (Bearer or HTTP Basic)', async () => {
    const none = await fetch(`${api.base}/admin/queues`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect((await fetch(`${api.base}/admin/queues`, { headers: { authorization: `Bearer ${api.keys.dispatcher}` } })).status).toBe(403);
    const basic = await fetch(`${api.base}/admin/queues`, { headers: { authorization: `Basic ${Buffer.from(`admin:${api.keys.admin}`).toString('base64')}` } });
    expect(basic.status).toBe(200);
    expect(await basic.text()).toContain('gongpei queues');
    const apiRes = await fetch(`${api.base}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${api.keys.admin}` } });
    expect(apiRes.status).toBe(200);
    const names = ((await apiRes.json()) as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['notify', 'notify-dead']));
  });
});
