/**
 * Issue 13, findings 4, 5, 7, 8, 9 and part of 11, over real HTTP on SQLite and PostgreSQL: text
 * that one engine cannot store and the other would store mangled (NUL, invalid UTF-8, lone
 * surrogates) is a 400 naming the field on both; CSV duplicate columns and non-decimal numbers,
 * weights that round to 0 g, undecodable URL paths and event times off the route's day are 400s;
 * an unknown key is echoed back shortened. Nothing of a refused request is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../../src/db/test-database.ts';
import { CSV_COLUMNS } from '../../../src/parcels/parcel.schemas.ts';
import { DAY, seedPlannedDay, type PlannedDay } from '../manifests/fixture.ts';
import { STATIONS, parcel, startApi, type ApiContext } from './helpers.ts';

const csvLine = (p: Record<string, unknown>, overrides: Record<string, string> = {}): string => {
  const r = p.recipient as { name: string; phone: string };
  const cells: Record<string, string> = {
    waybill: String(p.waybill),
    stationCode: STATIONS.guocun,
    weightG: '1200',
    recipientName: r.name,
    recipientPhone: r.phone,
    ...overrides,
  };
  return CSV_COLUMNS.map((c) => cells[c] ?? '').join(',');
};

const pickup = (overrides: Record<string, unknown> = {}) => ({
  station: { stationCode: STATIONS.guocun },
  weightKg: 12,
  volumeM3: 0.1,
  readyDate: '2026-12-01',
  shipper: { name: '沁州黄合作社', phone: '13900001234' },
  description: '小米',
  ...overrides,
});

describe.each(testDialects())('input edge cases on %s', (dialect) => {
  let api: ApiContext;
  let day: PlannedDay;
  beforeAll(async () => {
    api = await startApi(dialect, { relay: false });
    day = await seedPlannedDay(api.db);
  });
  afterAll(async () => {
    await api?.close();
  });

  const count = async (table: 'parcels' | 'pickups'): Promise<number> =>
    Number((await api.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  /** Raw bytes as the body (fetch would re-encode a string). */
  const rawPost = async (path: string, bytes: Uint8Array, contentType: string) => {
    const res = await fetch(`${api.base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${api.keys.zto}`, 'content-type': contentType }, body: bytes });
    return { status: res.status, body: (await res.json()) as { error: { code: string; message: string; details: { path: string; message: string }[] } } };
  };
  const paths = (body: { error: { details: { path: string }[] } }) => body.error.details.map((d) => d.path);

  it('finding 4: a NUL in a recipient name, a pickup description, a webhook secret or a CSV cell is a 400 naming the field', async () => {
    const parcels = await count('parcels');
    const pickups = await count('pickups');
    const single = await api.request('POST', '/v1/parcels', { json: parcel({ recipient: { name: '张\u0000三', phone: '13812345678' } }) });
    expect(single.status).toBe(400);
    expect(paths(single.body)).toEqual(['recipient.name']);
    const batch = await api.request('POST', '/v1/parcels', { json: { parcels: [parcel(), parcel({ recipient: { name: 'x\u0000', phone: '13812345678' } })] } });
    expect(batch.status).toBe(400);
    expect(paths(batch.body)).toEqual(['parcels.1.recipient.name']);
    const pu = await api.request('POST', '/v1/pickups', { json: pickup({ description: '小米\u0000' }) });
    expect(pu.status).toBe(400);
    expect(paths(pu.body)).toEqual(['description']);
    const hook = await api.request('PUT', '/v1/webhook', { json: { url: 'https://courier.example.com/hook', secret: 'sixteen-chars-and\u0000more' } });
    expect(hook.status).toBe(400);
    expect(paths(hook.body)).toEqual(['secret']);
    const p = parcel();
    const csv = await api.request('POST', '/v1/parcels/import', { body: `${CSV_COLUMNS.join(',')}\n${csvLine(p, { recipientName: '王\u0000五' })}\n`, contentType: 'text/csv' });
    expect(csv.status).toBe(400);
    expect(paths(csv.body)).toEqual(['line 2.recipientName']);
    // A NUL in a path parameter or a query reaches no query either.
    const path = await api.request('GET', `/v1/parcels/ZT1%00abc`);
    expect(path.status).toBe(400);
    expect(paths(path.body)).toEqual(['waybill']);
    expect(await count('parcels')).toBe(parcels);
    expect(await count('pickups')).toBe(pickups);
    expect(api.logs()).not.toContain('request failed');
  });

  it('finding 5: a malformed percent-encoding in the path is a 400, not a 500 with a stack trace', async () => {
    for (const key of [null, api.keys.zto]) {
      const r = await api.request('GET', '/v1/parcels/%ZZ', { key });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('invalid_data');
    }
    expect((await api.request('DELETE', '/v1/parcels/%E0%A4%A', { key: api.keys.zto })).status).toBe(400);
    expect(api.logs()).not.toContain('request failed');
  });

  it('finding 7: a CSV with a duplicate column, or a number in hex, is a 400 naming the column', async () => {
    const parcels = await count('parcels');
    const p = parcel();
    const dup = await api.request('POST', '/v1/parcels/import', {
      body: `${CSV_COLUMNS.join(',')},weightG\n${csvLine(p, { weightG: '1200' })},999999\n`,
      contentType: 'text/csv',
    });
    expect(dup.status).toBe(400);
    expect(paths(dup.body)).toEqual(['line 1.weightG']);
    expect(dup.body.error.message).toContain('more than once');
    for (const weightG of ['0x10', '0b101', '1e3', 'Infinity', '0o17']) {
      const hex = await api.request('POST', '/v1/parcels/import', { body: `${CSV_COLUMNS.join(',')}\n${csvLine(parcel(), { weightG })}\n`, contentType: 'text/csv' });
      expect(hex.status, weightG).toBe(400);
      expect(paths(hex.body)).toEqual(['line 2.weightG']);
    }
    expect(await count('parcels')).toBe(parcels);
    // Plain decimals still work.
    const ok = await api.request('POST', '/v1/parcels/import', { body: `${CSV_COLUMNS.join(',')}\n${csvLine(parcel(), { weightG: '16', lat: '', codAmountFen: '+5' })}\n`, contentType: 'text/csv' });
    expect(ok.status).toBe(201);
    expect(ok.body.parcels[0]).toMatchObject({ weightG: 16, codAmountFen: 5 });
  });

  it('finding 8: invalid UTF-8 bytes (JSON and CSV) and lone surrogates are 400s, never stored mangled', async () => {
    const parcels = await count('parcels');
    const json = Buffer.from(JSON.stringify(parcel({ recipient: { name: 'AAAA', phone: '13812345678' } })), 'utf8');
    const at = json.indexOf('AAAA');
    json[at] = 0xff; // not a UTF-8 byte anywhere
    json[at + 1] = 0xfe;
    const badJson = await rawPost('/v1/parcels', json, 'application/json');
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.message).toContain('UTF-8');
    // The same through body-parser's path (a charset parameter it handles, chunked).
    const chunked = await fetch(`${api.base}/v1/parcels`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.keys.zto}`, 'content-type': 'application/json; charset=UTF-8' },
      body: new ReadableStream({ start: (c) => (c.enqueue(json), c.close()) }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(400);
    const csv = Buffer.from(`${CSV_COLUMNS.join(',')}\n${csvLine(parcel(), { recipientName: 'BBBB' })}\n`, 'utf8');
    csv[csv.indexOf('BBBB')] = 0xc3; // a lead byte without its continuation
    const badCsv = await rawPost('/v1/parcels/import', csv, 'text/csv');
    expect(badCsv.status).toBe(400);
    expect(badCsv.body.error.message).toContain('UTF-8');

    // A lone surrogate, as a JSON escape (valid JSON, not valid Unicode text).
    const lone = await rawPost('/v1/parcels', Buffer.from(JSON.stringify(parcel({ recipient: { name: 'PLACEHOLDER', phone: '13812345678' } })).replace('PLACEHOLDER', '\\ud800x'), 'utf8'), 'application/json');
    expect(lone.status).toBe(400);
    expect(paths(lone.body)).toEqual(['recipient.name']);
    const loneLow = await api.request('POST', '/v1/pickups', { json: pickup({ description: 'x\udc00' }) });
    expect(loneLow.status).toBe(400);
    expect(paths(loneLow.body)).toEqual(['description']);
    // A proper pair (an emoji) is fine.
    const pair = await api.request('POST', '/v1/parcels', { json: parcel({ recipient: { name: '张三😀', phone: '13812345678' } }) });
    expect(pair.status).toBe(201);
    expect(await count('parcels')).toBe(parcels + 1);
  });

  it('finding 9: a pickup weight that rounds to 0 g is a 400 naming weightKg', async () => {
    const pickups = await count('pickups');
    const r = await api.request('POST', '/v1/pickups', { json: pickup({ weightKg: 0.0000001 }) });
    expect(r.status).toBe(400);
    expect(paths(r.body)).toEqual(['weightKg']);
    expect(await count('pickups')).toBe(pickups);
    const ok = await api.request('POST', '/v1/pickups', { json: pickup({ weightKg: 0.001 }) });
    expect(ok.status).toBe(201);
    expect(ok.body.weightG).toBe(1);
  });

  it('finding 11: an unknown 1.9 MB key is echoed back as a short prefix only', async () => {
    const key = 'k'.repeat(1_900_000);
    const r = await api.request('POST', '/v1/parcels', { json: { ...parcel(), [key]: 1 } });
    expect(r.status).toBe(400);
    const text = JSON.stringify(r.body);
    expect(text.length).toBeLessThan(2_000);
    expect(text).toContain('kkkkkkkkkk');
    const header = await api.request('POST', '/v1/parcels/import', { body: `${CSV_COLUMNS.join(',')},${'h'.repeat(100_000)}\n${csvLine(parcel())},x\n`, contentType: 'text/csv' });
    expect(header.status).toBe(400);
    expect(JSON.stringify(header.body).length).toBeLessThan(2_000);
  });

  it('finding 11: an event time outside the route’s service day (1970, the day before, the day after) is a 400 naming `at`', async () => {
    const post = (at: string) => api.request('POST', `/v1/stops/${day.stops.guocun}/events`, { key: api.keys.driver, json: { type: 'arrived', at } });
    for (const at of ['1970-01-01T00:00:00Z', `${DAY}T00:30:00+09:00`, '2026-11-19T23:59:59+08:00', '2026-11-21T00:00:00+08:00']) {
      const r = await post(at);
      expect(r.status, at).toBe(400);
      expect(paths(r.body)).toEqual(['at']);
    }
    // Without `at` the event happens now, which (this server's clock is the real one) is not the
    // fixture's day: refused the same way, naming `at`, whatever the event type.
    for (const json of [{ type: 'arrived' }, { type: 'delivered' }, { type: 'failed', reason: '无人签收' }, { type: 'picked_up' }]) {
      const r = await api.request('POST', `/v1/stops/${day.stops.guocun}/events`, { key: api.keys.driver, json });
      expect(r.status, json.type).toBe(400);
      expect(paths(r.body)).toEqual(['at']);
      expect(r.body.error.message).toContain(DAY);
    }
    const events = await api.db.selectFrom('stop_events').select('id').execute();
    expect(events).toEqual([]);
    const parcels = await api.db.selectFrom('parcels').select('status').where('stop_id', '=', day.stops.guocun).execute();
    expect(parcels.every((p) => p.status === 'planned')).toBe(true);
    const ok = await post(`${DAY}T08:21:00+08:00`);
    expect(ok.status).toBe(200);
  });

  it('a draft plan takes no driver events (409 naming the draft); once published it does', async () => {
    const post = () => api.request('POST', `/v1/stops/${day.stops.xiaohe}/events`, { key: api.keys.driver, json: { type: 'delivered', at: `${DAY}T08:55:00+08:00` } });
    await api.db.updateTable('plans').set({ state: 'draft', published_at: null }).where('id', '=', day.planId).execute();
    const refused = await post();
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/draft.*publish/);
    expect(paths(refused.body)).toEqual(['stopId']);
    const xiaohe = () => api.db.selectFrom('parcels').select('status').where('stop_id', '=', day.stops.xiaohe).execute();
    expect((await xiaohe()).map((p) => p.status)).toEqual(['planned']);
    expect(await api.db.selectFrom('stop_events').select('id').where('stop_id', '=', day.stops.xiaohe).execute()).toEqual([]);
    const plan = await api.db.selectFrom('plans').select('state').where('id', '=', day.planId).executeTakeFirstOrThrow();
    expect(plan.state).toBe('draft'); // not moved to in_progress by the refused event

    expect((await api.request('POST', `/v1/plans/${day.planId}/publish`, { key: api.keys.dispatcher })).status).toBe(200);
    expect((await post()).status).toBe(200);
    expect((await xiaohe()).map((p) => p.status)).toEqual(['delivered']);
  });
});
