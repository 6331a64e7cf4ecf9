/**
 * Delivery events over real HTTP, on SQLite and PostgreSQL: a driver reports at their own stops,
 * parcels and pickups change status, couriers see the events at GET /v1/parcels/{waybill}, and
 * each change leaves exactly one `notify` outbox row in the same transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../src/auth/api-keys.ts';
import { testDialects } from '../../../src/db/test-database.ts';
import { QUEUE_NAMES } from '../../../src/queue/queues.ts';
import { startApi, type ApiContext } from '../http/helpers.ts';
import { DURING_DAY, seedPlannedDay, type PlannedDay } from '../manifests/fixture.ts';

describe.each(testDialects())('%s: delivery events', (dialect) => {
  let api: ApiContext;
  let day: PlannedDay;
  let driver2: string;
  beforeAll(async () => {
    api = await startApi(dialect, { relay: false, app: { clock: DURING_DAY } });
    day = await seedPlannedDay(api.db);
    driver2 = (await createApiKey(api.db, { role: 'driver', driverId: 'driver-2' })).key;
  });
  afterAll(async () => {
    await api?.close();
  });

  const notifyRows = () => api.db.selectFrom('outbox').selectAll().where('queue', '=', QUEUE_NAMES.notify).orderBy('id').execute();
  const post = (stopId: string, json: unknown, key = api.keys.driver) => api.request('POST', `/v1/stops/${stopId}/events`, { key, json });

  it('refuses other drivers’ stops (404), non-driver keys (403) and bad bodies (400/422)', async () => {
    expect((await post(day.stops.guocun, { type: 'arrived' }, driver2)).status).toBe(404);
    expect((await post('no-such-stop', { type: 'arrived' })).status).toBe(404);
    expect((await post(day.stops.guocun, { type: 'arrived' }, api.keys.zto)).status).toBe(403);
    expect((await post(day.stops.guocun, { type: 'arrived' }, api.keys.dispatcher)).status).toBe(403);
    expect((await post(day.stops.guocun, { type: 'teleported' })).status).toBe(400);
    expect((await post(day.stops.guocun, { type: 'failed' })).status).toBe(400); // no reason
    expect((await post(day.stops.guocun, { type: 'delivered', waybills: ['NOT-HERE'] })).status).toBe(422);
    expect((await post(day.stops.guocun, { type: 'delivered', waybills: day.waybills.guxian })).status).toBe(422); // another stop's parcel
    expect(await notifyRows()).toEqual([]);
  });

  it('arrived puts the stop’s parcels out for delivery; couriers see it in tracking; a replay changes nothing', async () => {
    const res = await post(day.stops.guocun, { type: 'arrived', at: '2026-11-20T08:21:00+08:00' });
    expect(res.status).toBe(200);
    expect(res.body.parcels).toHaveLength(3);
    expect(res.body.parcels.every((p: { status: string; changed: boolean }) => p.status === 'out_for_delivery' && p.changed)).toBe(true);
    expect(res.body.notifications).toBe(3);
    const track = await api.request('GET', `/v1/parcels/${day.waybills.guocun[0]}`, { key: api.keys.zto });
    expect(track.status).toBe(200);
    expect(track.body.status).toBe('out_for_delivery');
    expect(track.body.events.map((e: { type: string }) => e.type)).toContain('arrived');
    // YTO cannot see ZTO's parcel.
    expect((await api.request('GET', `/v1/parcels/${day.waybills.guocun[0]}`, { key: api.keys.yto })).status).toBe(404);

    const again = await post(day.stops.guocun, { type: 'arrived' });
    expect(again.status).toBe(200);
    expect(again.body.stopEventId).toBeNull();
    expect(again.body.parcels.every((p: { changed: boolean }) => !p.changed)).toBe(true);
    expect(await notifyRows()).toHaveLength(3);
  });

  it('delivered and failed for some waybills; tracking shows the reason; a delivered parcel cannot fail (409)', async () => {
    const [zto1, zto2, yto3] = day.waybills.guocun as [string, string, string];
    const d = await post(day.stops.guocun, { type: 'delivered', waybills: [zto1, yto3], at: '2026-11-20T08:25:00+08:00' });
    expect(d.status).toBe(200);
    expect(d.body.parcels.map((p: { waybill: string; status: string }) => [p.waybill, p.status]).sort()).toEqual([[yto3, 'delivered'], [zto1, 'delivered']].sort());
    const f = await post(day.stops.guocun, { type: 'failed', waybills: [zto2], reason: '收件人不在家' });
    expect(f.status).toBe(200);
    const t1 = await api.request('GET', `/v1/parcels/${zto1}`, { key: api.keys.zto });
    expect(t1.body.status).toBe('delivered');
    expect(t1.body.events.at(-1)).toMatchObject({ type: 'delivered', at: '2026-11-20T00:25:00.000Z' });
    const t2 = await api.request('GET', `/v1/parcels/${zto2}`, { key: api.keys.zto });
    expect(t2.body.status).toBe('failed');
    expect(t2.body.events.at(-1)).toMatchObject({ type: 'failed', details: expect.objectContaining({ reason: '收件人不在家' }) });
    const t3 = await api.request('GET', `/v1/parcels/${yto3}`, { key: api.keys.yto });
    expect(t3.body.status).toBe('delivered');

    const conflict = await post(day.stops.guocun, { type: 'failed', waybills: [zto1], reason: 'x' });
    expect(conflict.status).toBe(409);
    // A failed parcel can still be delivered on a second try.
    expect((await post(day.stops.guocun, { type: 'delivered', waybills: [zto2] })).status).toBe(200);
    expect((await api.request('GET', `/v1/parcels/${zto2}`, { key: api.keys.zto })).body.status).toBe('delivered');
    // 3 arrived + 2 delivered + 1 failed + 1 delivered; the 409 wrote nothing.
    const rows = await notifyRows();
    expect(rows).toHaveLength(7);
    expect(new Set(rows.map((r) => r.job_id)).size).toBe(7);
    expect(rows.every((r) => JSON.parse(r.payload_json).kind === 'parcel')).toBe(true);
  });

  it('picked_up collects the stop’s pickups and records a stop event; pickups need pickupIds, not waybills', async () => {
    expect((await post(day.stops.guocun, { type: 'picked_up', waybills: day.waybills.guocun })).status).toBe(400);
    const res = await post(day.stops.guocun, { type: 'picked_up' });
    expect(res.status).toBe(200);
    expect(res.body.pickups).toEqual([{ id: day.pickupId, status: 'picked_up', changed: true }]);
    const pickup = await api.db.selectFrom('pickups').select('status').where('id', '=', day.pickupId).executeTakeFirstOrThrow();
    expect(pickup.status).toBe('picked_up');
    const events = await api.db.selectFrom('stop_events').select(['type', 'driver_id']).where('stop_id', '=', day.stops.guocun).orderBy('recorded_at').execute();
    expect(events.map((e) => e.type)).toEqual(['arrived', 'delivered', 'failed', 'delivered', 'picked_up']);
    expect(events.every((e) => e.driver_id === 'driver-1')).toBe(true);
    const last = (await notifyRows()).at(-1)!;
    expect(JSON.parse(last.payload_json)).toMatchObject({ kind: 'pickup', pickupId: day.pickupId, status: 'picked_up' });
  });

  it('arrived at a stop without parcels (the depot) is recorded once', async () => {
    const a = await post(day.stops.startA, { type: 'arrived' });
    expect(a.status).toBe(200);
    expect(a.body.stopEventId).not.toBeNull();
    const b = await post(day.stops.startA, { type: 'arrived' });
    expect(b.body.stopEventId).toBeNull();
  });
});
