/**
 * The intake API over real HTTP, against real SQLite and PostgreSQL (TEST_DIALECTS narrows) and
 * a real Redis, with a unique queue prefix per context.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../../src/db/test-database.ts';
import { STATIONS, consolidateJobsByParcel, parcel, startApi, waitFor, type ApiContext } from './helpers.ts';

describe.each(testDialects())('intake API on %s', (dialect) => {
  let api: ApiContext;
  beforeAll(async () => {
    api = await startApi(dialect);
  });
  afterAll(async () => {
    await api?.close();
  });

  describe('authentication and roles', () => {
    it('401 without a key, with an unknown key, and with a revoked key', async () => {
      for (const key of [null, 'gp_c_not-a-real-key', api.keys.revoked]) {
        const r = await api.request('POST', '/v1/parcels', { key, json: parcel() });
        expect(r.status).toBe(401);
        expect(r.body.error.code).toBe('unauthorized');
        expect(Array.isArray(r.body.error.details)).toBe(true);
      }
    });

    it('403 when driver or dispatcher keys submit parcels', async () => {
      for (const key of [api.keys.driver, api.keys.dispatcher]) {
        const r = await api.request('POST', '/v1/parcels', { key, json: parcel() });
        expect(r.status).toBe(403);
        expect(r.body.error.code).toBe('forbidden');
      }
    });

    it('403 when courier or driver keys reach the dispatcher listing; dispatchers and admins get it', async () => {
      for (const key of [api.keys.zto, api.keys.driver]) {
        expect((await api.request('GET', '/v1/parcels', { key })).status).toBe(403);
      }
      for (const key of [api.keys.dispatcher, api.keys.admin]) {
        expect((await api.request('GET', '/v1/parcels', { key })).status).toBe(200);
      }
    });
  });

  describe('single parcels', () => {
    it('201 on first submission, 200 with the same parcel on an identical replay, 409 on a changed body', async () => {
      const p = parcel();
      const first = await api.request('POST', '/v1/parcels', { json: p });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ waybill: p.waybill, courier: 'ZTO', status: 'received', stationCode: STATIONS.guocun, volumeCm3: 9000 });
      expect(first.body).not.toHaveProperty('recipient');

      // Same content, different key order and defaults spelled out: still the same parcel.
      const reordered = { recipient: p.recipient, waybill: p.waybill, weightG: p.weightG, destination: p.destination, dimensionsCm: p.dimensionsCm, promisedDate: p.promisedDate };
      const replay = await api.request('POST', '/v1/parcels', { json: reordered });
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual(first.body);

      const changed = await api.request('POST', '/v1/parcels', { json: { ...p, weightG: 1300 } });
      expect(changed.status).toBe(409);
      expect(changed.body.error.code).toBe('conflict');
      const count = await api.db.selectFrom('parcels').select((eb) => eb.fn.countAll<number>().as('n')).where('waybill', '=', p.waybill as string).executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(1);
    });

    it('GET returns status and events; an unknown waybill is 404', async () => {
      const p = parcel();
      await api.request('POST', '/v1/parcels', { json: p });
      const r = await api.request('GET', `/v1/parcels/${p.waybill}`);
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('received');
      expect(r.body.events.map((e: { type: string }) => e.type)).toEqual(['received']);
      expect((await api.request('GET', '/v1/parcels/ZT000000000000')).status).toBe(404);
    });

    it('400 on unknown fields, wrong types and bad JSON, with paths', async () => {
      const unknown = await api.request('POST', '/v1/parcels', { json: { ...parcel(), colour: 'red' } });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.code).toBe('invalid_data');
      const nested = await api.request('POST', '/v1/parcels', { json: parcel({ recipient: { name: 'x', phone: '13800001234', email: 'a@b' } }) });
      expect(nested.status).toBe(400);
      const wrong = await api.request('POST', '/v1/parcels', { json: parcel({ weightG: -5 }) });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.details.map((d: { path: string }) => d.path)).toContain('weightG');
      const badJson = await api.request('POST', '/v1/parcels', { body: '{"waybill": ', contentType: 'application/json' });
      expect(badJson.status).toBe(400);
      const twoForms = await api.request('POST', '/v1/parcels', { json: parcel({ destination: { stationCode: STATIONS.guocun, lat: 36.6, lon: 112.55 } }) });
      expect(twoForms.status).toBe(400);
    });

    it('415 for a body that is not JSON', async () => {
      const r = await api.request('POST', '/v1/parcels', { body: 'waybill=1', contentType: 'application/x-www-form-urlencoded' });
      expect(r.status).toBe(415);
      expect(r.body.error.code).toBe('unsupported_media_type');
      expect((await api.request('POST', '/v1/parcels', { body: JSON.stringify(parcel()) })).status).toBe(415);
    });

    it('413 for an oversized body', async () => {
      const r = await api.request('POST', '/v1/parcels', { body: JSON.stringify({ ...parcel(), pad: 'x'.repeat(3 * 1024 * 1024) }), contentType: 'application/json' });
      expect(r.status).toBe(413);
      expect(r.body.error.code).toBe('payload_too_large');
    });
  });

  describe('destinations', () => {
    it('resolves names exactly and forgivingly, and coordinates to the nearest station', async () => {
      const byName = await api.request('POST', '/v1/parcels', { json: parcel({ destination: { township: '故县镇', village: '小河村委会' } }) });
      expect(byName.status).toBe(201);
      expect(byName.body.stationCode).toBe(STATIONS.xiaoheB);
      expect(byName.body.destination).toEqual({ township: '故县镇', village: '小河村委会' });
      const forgiving = await api.request('POST', '/v1/parcels', { json: parcel({ destination: { township: '郭村', village: '小河' } }) });
      expect(forgiving.body.stationCode).toBe(STATIONS.xiaoheA);
      const byPoint = await api.request('POST', '/v1/parcels', { json: parcel({ destination: { lat: 36.541, lon: 112.621 } }) });
      expect(byPoint.status).toBe(201);
      expect(byPoint.body.stationCode).toBe(STATIONS.guxian);
    });

    it('422 for an ambiguous village, listing the candidates', async () => {
      const r = await api.request('POST', '/v1/parcels', { json: parcel({ destination: { village: '小河村' } }) });
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('unprocessable');
      const d = r.body.error.details[0];
      expect(d.path).toBe('destination');
      expect(d.candidates.map((c: { stationCode: string }) => c.stationCode).sort()).toEqual([STATIONS.xiaoheA, STATIONS.xiaoheB]);
    });

    it('422 for an unknown station, a point outside the county, or too far from any station', async () => {
      for (const destination of [{ stationCode: '140430999999' }, { lat: 36.9, lon: 112.6 }, { lat: 36.69, lon: 112.69 }]) {
        const r = await api.request('POST', '/v1/parcels', { json: parcel({ destination }) });
        expect(r.status).toBe(422);
      }
    });
  });

  describe('batches', () => {
    it('201 for a new batch, 200 for its replay, with every parcel in order', async () => {
      const parcels = Array.from({ length: 50 }, () => parcel());
      const first = await api.request('POST', '/v1/parcels', { json: { parcels } });
      expect(first.status).toBe(201);
      expect(first.body.created).toBe(50);
      expect(first.body.parcels.map((p: { waybill: string }) => p.waybill)).toEqual(parcels.map((p) => p.waybill));
      const replay = await api.request('POST', '/v1/parcels', { json: { parcels } });
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({ created: 0, existing: 50 });
      expect(replay.body.parcels).toEqual(first.body.parcels);
    });

    it('is all-or-nothing: one conflicting or unresolvable parcel rejects the whole batch', async () => {
      const accepted = parcel();
      await api.request('POST', '/v1/parcels', { json: accepted });
      const fresh = parcel();
      const conflict = await api.request('POST', '/v1/parcels', { json: { parcels: [fresh, { ...accepted, weightG: 999 }] } });
      expect(conflict.status).toBe(409);
      expect(conflict.body.error.details[0].path).toBe('parcels.1.waybill');
      const bad = await api.request('POST', '/v1/parcels', { json: { parcels: [fresh, parcel({ destination: { stationCode: '140430999999' } })] } });
      expect(bad.status).toBe(422);
      expect(bad.body.error.details[0].path).toBe('parcels.1.destination');
      expect((await api.request('GET', `/v1/parcels/${fresh.waybill}`)).status).toBe(404);
    });

    it('413 for more than 1,000 parcels', async () => {
      const parcels = Array.from({ length: 1_001 }, () => parcel());
      const r = await api.request('POST', '/v1/parcels', { json: { parcels } });
      expect(r.status).toBe(413);
    });
  });

  describe('CSV import', () => {
    const header = 'waybill,stationCode,township,village,weightG,coldChain,recipientName,recipientPhone';
    it('accepts a CSV with a header row, idempotently', async () => {
      const w1 = parcel().waybill as string;
      const w2 = parcel().waybill as string;
      const csv = `${header}\n${w1},${STATIONS.guocun},,,800,no,王五,13900001111\n${w2},,故县镇,故县,2500,yes,赵六,13900002222\n`;
      const r = await api.request('POST', '/v1/parcels/import', { body: csv, contentType: 'text/csv' });
      expect(r.status).toBe(201);
      expect(r.body.created).toBe(2);
      expect(r.body.parcels[1]).toMatchObject({ waybill: w2, stationCode: STATIONS.guxian, coldChain: true });
      const again = await api.request('POST', '/v1/parcels/import', { body: csv, contentType: 'text/csv' });
      expect(again.status).toBe(200);
    });

    it('400 with line numbers for bad rows; 422 with line numbers for unresolvable destinations; 415 for JSON', async () => {
      const bad = `${header}\n${parcel().waybill},${STATIONS.guocun},,,800,no,王五,13900001111\n${parcel().waybill},${STATIONS.guocun},,,heavy,no,王五,13900001111\n${parcel().waybill},,,,800,maybe,王五,13900001111\n`;
      const r = await api.request('POST', '/v1/parcels/import', { body: bad, contentType: 'text/csv' });
      expect(r.status).toBe(400);
      const lines = r.body.error.details.map((d: { line: number }) => d.line);
      expect(lines).toContain(3);
      expect(lines).toContain(4);
      expect(lines).not.toContain(2);
      const unresolvable = `${header}\n${parcel().waybill},,,小河,800,no,王五,13900001111\n`;
      const u = await api.request('POST', '/v1/parcels/import', { body: unresolvable, contentType: 'text/csv' });
      expect(u.status).toBe(422);
      expect(u.body.error.details[0]).toMatchObject({ line: 2, path: 'line 2.destination' });
      const json = await api.request('POST', '/v1/parcels/import', { json: parcel() });
      expect(json.status).toBe(415);
    });

    it('413 for more than 10,000 rows', async () => {
      const rows = Array.from({ length: 10_001 }, (_, i) => `ZTBIG${String(i).padStart(7, '0')},${STATIONS.guocun},,,800,no,王五,13900001111`);
      const r = await api.request('POST', '/v1/parcels/import', { body: `${header}\n${rows.join('\n')}\n`, contentType: 'text/csv' });
      expect(r.status).toBe(413);
      expect(r.body.error.code).toBe('payload_too_large');
    });
  });

  describe('tenant isolation', () => {
    it('courier B cannot read, cancel or overwrite courier A’s parcel; the same waybill is two parcels', async () => {
      const p = parcel();
      const a = await api.request('POST', '/v1/parcels', { json: p, key: api.keys.zto });
      expect(a.status).toBe(201);
      expect((await api.request('GET', `/v1/parcels/${p.waybill}`, { key: api.keys.yto })).status).toBe(404);
      expect((await api.request('GET', `/v1/parcels/${p.waybill}?courier=ZTO`, { key: api.keys.yto })).status).toBe(404);
      expect((await api.request('DELETE', `/v1/parcels/${p.waybill}`, { key: api.keys.yto })).status).toBe(404);
      const b = await api.request('POST', '/v1/parcels', { json: { ...p, weightG: 50 }, key: api.keys.yto });
      expect(b.status).toBe(201);
      expect(b.body.id).not.toBe(a.body.id);
      expect(b.body.courier).toBe('YTO');
      const stillA = await api.request('GET', `/v1/parcels/${p.waybill}`, { key: api.keys.zto });
      expect(stillA.body).toMatchObject({ id: a.body.id, weightG: 1200, status: 'received' });
      // A dispatcher names the courier.
      const d = await api.request('GET', `/v1/parcels/${p.waybill}?courier=YTO`, { key: api.keys.dispatcher });
      expect(d.body.id).toBe(b.body.id);
    });
  });

  describe('cancellation', () => {
    it('cancels before planning (idempotently); after planning the cancellation becomes a return request', async () => {
      const p = parcel();
      await api.request('POST', '/v1/parcels', { json: p });
      const c = await api.request('DELETE', `/v1/parcels/${p.waybill}`);
      expect(c.status).toBe(200);
      expect(c.body.status).toBe('cancelled');
      expect((await api.request('DELETE', `/v1/parcels/${p.waybill}`)).status).toBe(200);
      const events = (await api.request('GET', `/v1/parcels/${p.waybill}`)).body.events.map((e: { type: string }) => e.type);
      expect(events).toEqual(['received', 'cancelled']);

      const planned = parcel();
      await api.request('POST', '/v1/parcels', { json: planned });
      await api.db.updateTable('parcels').set({ status: 'planned' }).where('courier_code', '=', 'ZTO').where('waybill', '=', planned.waybill as string).execute();
      const late = await api.request('DELETE', `/v1/parcels/${planned.waybill}`);
      expect(late.status).toBe(200);
      expect(late.body).toMatchObject({ status: 'return_requested', statusReason: 'cancelled_by_courier' });
      expect((await api.request('DELETE', `/v1/parcels/${planned.waybill}`)).body.status).toBe('return_requested');
      await api.db.updateTable('parcels').set({ status: 'delivered' }).where('courier_code', '=', 'ZTO').where('waybill', '=', planned.waybill as string).execute();
      expect((await api.request('DELETE', `/v1/parcels/${planned.waybill}`)).status).toBe(409);
    });
  });

  describe('pickups', () => {
    const pickup = {
      station: { township: '郭村镇', village: '郭村' },
      weightKg: 120,
      volumeM3: 0.4,
      pieces: 40,
      coldChain: false,
      readyDate: '2026-12-01',
      shipper: { name: '李四合作社', phone: '13900001234' },
      description: '沁州黄小米',
    };
    it('201 then readable by its courier and dispatchers, 404 for other couriers, 403 for drivers', async () => {
      const r = await api.request('POST', '/v1/pickups', { json: pickup });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ stationCode: STATIONS.guocun, weightG: 120_000, volumeCm3: 400_000, pieces: 40, status: 'requested', courier: 'ZTO' });
      expect(r.body).not.toHaveProperty('shipper');
      expect((await api.request('GET', `/v1/pickups/${r.body.id}`)).body.id).toBe(r.body.id);
      expect((await api.request('GET', `/v1/pickups/${r.body.id}`, { key: api.keys.dispatcher })).status).toBe(200);
      expect((await api.request('GET', `/v1/pickups/${r.body.id}`, { key: api.keys.yto })).status).toBe(404);
      expect((await api.request('GET', `/v1/pickups/${r.body.id}`, { key: api.keys.driver })).status).toBe(403);
      const byDispatcher = await api.request('POST', '/v1/pickups', { json: pickup, key: api.keys.dispatcher });
      expect(byDispatcher.body.courier).toBeNull();
    });

    it('is idempotent on its reference: the same body again is 200 with the same pickup, another body 409, nothing stored twice', async () => {
      const reference = `PU-${Date.now()}`;
      const first = await api.request('POST', '/v1/pickups', { json: { ...pickup, reference } });
      expect(first.status).toBe(201);
      expect(first.body.reference).toBe(reference);
      // Key order and an omitted default do not make a different body.
      const { pieces, ...rest } = { ...pickup, reference, coldChain: undefined };
      const again = await api.request('POST', '/v1/pickups', { json: { pieces, ...rest } });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      const changed = await api.request('POST', '/v1/pickups', { json: { ...pickup, reference, weightKg: 121 } });
      expect(changed.status).toBe(409);
      expect(changed.body.error.details).toEqual([{ path: 'reference', message: `already names pickup ${first.body.id}` }]);
      // Another courier and a dispatcher have their own reference spaces.
      expect((await api.request('POST', '/v1/pickups', { json: { ...pickup, reference }, key: api.keys.yto })).status).toBe(201);
      const byDispatcher = await api.request('POST', '/v1/pickups', { json: { ...pickup, reference }, key: api.keys.dispatcher });
      expect(byDispatcher.status).toBe(201);
      expect((await api.request('POST', '/v1/pickups', { json: { ...pickup, reference }, key: api.keys.dispatcher })).body.id).toBe(byDispatcher.body.id);
      // Concurrent retries of one request make one pickup.
      const racing = `PU-RACE-${Date.now()}`;
      const answers = await Promise.all(Array.from({ length: 6 }, () => api.request('POST', '/v1/pickups', { json: { ...pickup, reference: racing } })));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      const stored = await api.db.selectFrom('pickups').select(['id']).where('reference', 'in', [reference, racing]).execute();
      expect(stored).toHaveLength(4);
      const outbox = await api.db.selectFrom('outbox').select('job_id').where('job_id', 'in', stored.map((p) => `pickup-${p.id}`)).execute();
      expect(outbox).toHaveLength(4);
      expect((await api.request('POST', '/v1/pickups', { json: { ...pickup, reference: 'has space' } })).body.error.details[0].path).toBe('reference');
    });

    it('400 for both or neither weight units; 422 for an unknown station', async () => {
      expect((await api.request('POST', '/v1/pickups', { json: { ...pickup, weightG: 5 } })).status).toBe(400);
      expect((await api.request('POST', '/v1/pickups', { json: { ...pickup, station: { stationCode: '140430999999' } } })).status).toBe(422);
    });
  });

  describe('dispatcher listing', () => {
    it('filters by status, courier and local day, with a cursor', async () => {
      const p = parcel();
      await api.request('POST', '/v1/parcels', { json: p, key: api.keys.yto });
      const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
      const r = await api.request('GET', `/v1/parcels?status=received&courier=YTO&date=${today}&limit=1000`, { key: api.keys.dispatcher });
      expect(r.status).toBe(200);
      expect(r.body.parcels.map((x: { waybill: string }) => x.waybill)).toContain(p.waybill);
      expect(r.body.parcels.every((x: { courier: string; status: string }) => x.courier === 'YTO' && x.status === 'received')).toBe(true);
      const page1 = await api.request('GET', '/v1/parcels?limit=2', { key: api.keys.dispatcher });
      const page2 = await api.request('GET', `/v1/parcels?limit=2&after=${page1.body.next}`, { key: api.keys.dispatcher });
      expect(page2.body.parcels[0].id).not.toBe(page1.body.parcels[0].id);
      expect((await api.request('GET', '/v1/parcels?status=lost', { key: api.keys.dispatcher })).status).toBe(400);
    });
  });

  describe('queue', () => {
    it('the parcels of a committed request reach the consolidate queue as one job with a deterministic id', async () => {
      const parcels = Array.from({ length: 20 }, () => parcel());
      const r = await api.request('POST', '/v1/parcels', { json: { parcels } });
      expect(r.status).toBe(201);
      const ids = (r.body.parcels as { id: string }[]).map((p) => p.id);
      const q = api.consolidateQueue();
      // A lone request is committed by a transaction of its own: one job, named by its first parcel.
      const job = await waitFor(`job for ${ids[0]}`, async () => (await q.getJob(`parcels-${ids[0]}`)) ?? undefined);
      expect(job.name).toBe('parcels');
      expect(job.data).toEqual({ kind: 'parcels', parcelIds: ids });
      await waitFor('outbox drained', async () => (await api.relay.backlog()) === 0);
      // An identical replay commits nothing and enqueues nothing.
      const again = await api.request('POST', '/v1/parcels', { json: { parcels } });
      expect(again.status).toBe(200);
      expect(await api.db.selectFrom('outbox').select('id').where('job_id', '=', `parcels-${ids[0]}`).execute()).toHaveLength(1);
      expect(await api.relay.backlog()).toBe(0);
    });

    it('concurrent requests share jobs, and every accepted parcel is listed in exactly one job', async () => {
      const bodies = [
        ...Array.from({ length: 12 }, () => parcel()),
        ...Array.from({ length: 6 }, () => ({ parcels: Array.from({ length: 7 }, () => parcel()) })),
      ];
      const answers = await Promise.all(bodies.map((json, i) => api.request('POST', '/v1/parcels', { json, key: i % 2 === 0 ? api.keys.zto : api.keys.yto })));
      expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 201));
      const ids = answers.flatMap((a) => ('parcels' in a.body ? (a.body.parcels as { id: string }[]) : [a.body as { id: string }]).map((p) => p.id));
      expect(ids).toHaveLength(12 + 6 * 7);
      await waitFor('outbox drained', async () => (await api.relay.backlog()) === 0);
      const { byParcel } = await consolidateJobsByParcel(api.consolidateQueue());
      for (const id of ids) expect(byParcel.get(id), `jobs listing ${id}`).toHaveLength(1);
    });
  });

  describe('operations', () => {
    it('healthz, readyz and docs are public; metrics for admin keys', async () => {
      expect((await api.request('GET', '/healthz', { key: null })).body).toEqual({ status: 'ok' });
      const ready = await api.request('GET', '/readyz', { key: null });
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('ok');
      const metrics = await api.request('GET', '/metrics', { key: api.keys.admin });
      expect(metrics.status).toBe(200);
      expect(metrics.body).toContain('gongpei_http_requests_total{method="POST",route="/v1/parcels",status="201"}');
      expect(metrics.body).toContain('gongpei_http_request_duration_seconds_bucket');
      expect(metrics.body).toMatch(/gongpei_outbox_backlog \d+/);
      expect(metrics.body).toMatch(/gongpei_queue_jobs\{queue="consolidate",state="\w+"\} \d+/);
      const docs = await api.request('GET', '/docs/', { key: null });
      expect(docs.status).toBe(200);
      expect(String(docs.body)).toContain('swagger');
    });

    it('sends security headers and a request id', async () => {
      const r = await api.request('GET', '/healthz', { key: null, headers: { 'x-request-id': 'req-abc-123' } });
      expect(r.headers.get('x-request-id')).toBe('req-abc-123');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('content-security-policy')).toBeTruthy();
      expect(r.headers.get('x-powered-by')).toBeNull();
    });

    it('never logs recipient or shipper names and phones, or API keys', async () => {
      await api.request('POST', '/v1/parcels', { json: parcel({ recipient: { name: '欧阳秘密', phone: '13999887766' } }) });
      await api.request('POST', '/v1/parcels', { json: parcel({ recipient: { name: '欧阳秘密', phone: '13999887766' }, destination: { stationCode: '140430999999' } }) });
      await api.request('POST', '/v1/parcels', { json: parcel({ recipient: { name: '欧阳秘密', phone: 'bad13999887766' } }) });
      const logs = api.logs();
      expect(logs).toContain('"statusCode":201');
      expect(logs).toContain('"statusCode":422');
      expect(logs).not.toContain('13999887766');
      expect(logs).not.toContain('欧阳秘密');
      expect(logs).not.toContain(api.keys.zto);
    });

    it('404 in the error shape for unknown routes', async () => {
      const r = await api.request('GET', '/v2/nothing', { key: null });
      expect(r.status).toBe(404);
      expect(r.body.error).toMatchObject({ code: 'not_found', details: [] });
    });
  });
});
