/**
 * Driver manifests over real HTTP: who may read which route, what the JSON says (order, ETA,
 * masked phones, loading order), and the printable HTML with its QR codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../../src/db/test-database.ts';
import { createApiKey } from '../../../src/auth/api-keys.ts';
import { maskPhone } from '../../../src/manifests/manifest.service.ts';
import { startApi, STATIONS, type ApiContext } from '../http/helpers.ts';
import { DAY, DURING_DAY, seedPlannedDay, type PlannedDay } from './fixture.ts';

describe.each(testDialects())('%s: manifests', (dialect) => {
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

  it('masks phone numbers like 138****1234', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('+8613812341234')).toBe('+86138****1234');
    expect(maskPhone('5551234')).toBe('55***34');
  });

  it('lists a driver’s own routes only; dispatchers see all', async () => {
    const own = await api.request('GET', `/v1/manifests?date=${DAY}`, { key: api.keys.driver });
    expect(own.status).toBe(200);
    expect(own.body.manifests.map((m: { routeId: string }) => m.routeId)).toEqual([day.routeA]);
    expect(own.body.manifests[0]).toMatchObject({ stops: 2, links: { html: `/v1/manifests/${day.routeA}.html` } });
    const other = await api.request('GET', `/v1/manifests?date=${DAY}`, { key: driver2 });
    expect(other.body.manifests.map((m: { routeId: string }) => m.routeId)).toEqual([day.routeB]);
    const all = await api.request('GET', `/v1/manifests?date=${DAY}`, { key: api.keys.dispatcher });
    expect(all.body.manifests.map((m: { routeId: string }) => m.routeId).sort()).toEqual([day.routeA, day.routeB].sort());
    expect((await api.request('GET', '/v1/manifests?date=2030-01-01', { key: api.keys.dispatcher })).body.manifests).toEqual([]);
    expect((await api.request('GET', '/v1/manifests', { key: api.keys.dispatcher })).status).toBe(400);
  });

  it('lets the route’s driver and dispatchers read a manifest; another driver gets 404, a courier 403, no key 401', async () => {
    for (const suffix of ['', '.html']) {
      const path = `/v1/manifests/${day.routeA}${suffix}`;
      expect((await api.request('GET', path, { key: api.keys.driver })).status).toBe(200);
      expect((await api.request('GET', path, { key: api.keys.dispatcher })).status).toBe(200);
      expect((await api.request('GET', path, { key: api.keys.admin })).status).toBe(200);
      const y = await api.request('GET', path, { key: driver2 });
      expect(y.status).toBe(404);
      expect(y.body.error.code).toBe('not_found');
      const c = await api.request('GET', path, { key: api.keys.zto });
      expect(c.status).toBe(403);
      expect((await api.request('GET', path, { key: null })).status).toBe(401);
    }
    expect((await api.request('GET', '/v1/manifests/no-such-route', { key: api.keys.dispatcher })).status).toBe(404);
  });

  it('gives stops in order with ETA, station, parcels with masked phones, pickups and the loading order', async () => {
    const res = await api.request('GET', `/v1/manifests/${day.routeA}`, { key: api.keys.driver });
    expect(res.status).toBe(200);
    const m = res.body;
    expect(m).toMatchObject({ routeId: day.routeA, date: DAY, tier: 'village', driverId: 'driver-1', vehicle: { id: 'van-guocun', type: 'van' }, hub: { id: 'hub-guocun' } });
    expect(m.stops.map((s: { seq: number }) => s.seq)).toEqual([0, 1, 2, 3]);
    const guocun = m.stops[1];
    expect(guocun).toMatchObject({ stopId: day.stops.guocun, number: 1, kind: 'station', eta: '2026-11-20T00:20:00.000Z', station: { code: STATIONS.guocun, name: '郭村村委会', township: '郭村镇', keeper: { name: null, phone: null } } });
    // What is handed over at the stop: 3 parcels of 1.2 kg and 9,000 cm³, no cash on delivery; 1 pickup.
    expect(guocun.totals).toEqual({ parcels: 3, weightG: 3600, volumeCm3: 27_000, codFen: 0, pickups: 1 });
    expect(m.stops.map((s: { number: number | null }) => s.number)).toEqual([null, 1, 2, null]);
    expect(guocun.parcels.map((p: { waybill: string }) => p.waybill).sort()).toEqual([...day.waybills.guocun].sort());
    const first = guocun.parcels.find((p: { waybill: string }) => p.waybill === day.waybills.guocun[0]);
    expect(first).toMatchObject({ courier: 'ZTO', recipient: { name: '张三丰', phone: '138****5678' } });
    expect(JSON.stringify(m)).not.toContain('13812345678');
    expect(guocun.pickups).toEqual([expect.objectContaining({ id: day.pickupId, courier: 'ZTO', pieces: 2, shipper: { name: '李四', phone: '135****2222' } })]);
    // Last stop loaded first.
    expect(m.loadingOrder).toEqual([{ trip: 1, stops: [expect.objectContaining({ stopId: day.stops.xiaohe, parcels: 1 }), expect.objectContaining({ stopId: day.stops.guocun, parcels: 3 })] }]);
    expect(m.totals).toEqual({ stops: 2, parcels: 4, pickups: 1, weightG: 4800 });
  });

  it('names the route’s driver: by name once the driver is on record, else by the id the route carries', async () => {
    await api.db.insertInto('drivers').values({ id: 'driver-2', name: '赵师傅', phone: `1370000${String(Date.now()).slice(-4)}`, active: 1, created_at: new Date().toISOString() }).onConflict((oc) => oc.column('id').doNothing()).execute();
    const b = await api.request('GET', `/v1/manifests/${day.routeB}`, { key: api.keys.dispatcher });
    expect(b.body).toMatchObject({ driverId: 'driver-2', driverName: '赵师傅' });
    expect(await (await fetch(`${api.base}/v1/manifests/${day.routeB}.html`, { headers: { authorization: `Bearer ${api.keys.dispatcher}` } })).text()).toContain('司机 driver 赵师傅 ·');
    const a = await api.request('GET', `/v1/manifests/${day.routeA}`, { key: api.keys.dispatcher });
    expect(a.body).toMatchObject({ driverId: 'driver-1', driverName: null });
    expect(await (await fetch(`${api.base}/v1/manifests/${day.routeA}.html`, { headers: { authorization: `Bearer ${api.keys.dispatcher}` } })).text()).toContain('司机 driver driver-1 ·');
  });

  it('prints an A4 HTML manifest: one QR code per stop (its event link), numbered stops, full ids, keeper, totals, footer, sign-off', async () => {
    // The dispatcher records the keeper of the first station; the manifest prints them.
    const patched = await api.request('PATCH', `/v1/stations/${STATIONS.guocun}`, { key: api.keys.dispatcher, json: { keeperName: '李桂兰', keeperPhone: '13900001111' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ code: STATIONS.guocun, name: '郭村村委会', keeperName: '李桂兰', keeperPhone: '13900001111', position: { lat: 36.6, lon: 112.55, quality: 'estimated' } });
    const m = (await api.request('GET', `/v1/manifests/${day.routeA}`, { key: api.keys.driver })).body;
    const res = await fetch(`${api.base}/v1/manifests/${day.routeA}.html`, { headers: { authorization: `Bearer ${api.keys.driver}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('size: A4');
    const qrs = [...html.matchAll(/<svg class="(qr-[a-z]+)" data-qr="([^"]+)"/g)].map((x) => [x[1], x[2]]);
    // Exactly one QR per stop, leading to the stop in the driver view on this server.
    expect(qrs).toEqual([
      ['qr-stop', `${api.base}/driver#stop=${day.stops.guocun}`],
      ['qr-stop', `${api.base}/driver#stop=${day.stops.xiaohe}`],
    ]);
    // Each QR is a real drawing (a path), not a placeholder.
    expect(html.match(/<svg class="qr-stop"[^>]*>[\s\S]*?<path/g)?.length).toBe(2);
    expect([...html.matchAll(/data-stop-number="(\d+)"/g)].map((x) => x[1])).toEqual(['1', '2']);
    for (const w of [...day.waybills.guocun, ...day.waybills.xiaohe]) expect(html).toContain(`>${w}<`);
    expect(html).toContain(`取件 ${day.pickupId}<`); // the full pickup id, not its first 8 characters
    expect(html).toContain('李桂兰');
    expect(html).toContain('13900001111');
    expect(html).toContain('派 3 件 · 3.6 kg · 0.027 m³');
    expect(html).toMatch(/@bottom-right \{ content: "第 " counter\(page\) " \/ " counter\(pages\)/);
    expect(html).toContain(`@bottom-left { content: "${m.vehicle.name} · ${DAY} · ${day.routeA}";`);
    expect(html).toContain('class="signoff"');
    expect(html).toContain('138****5678');
    expect(html).not.toContain('13812345678');
    // Cleared again with null.
    expect((await api.request('PATCH', `/v1/stations/${STATIONS.guocun}`, { key: api.keys.dispatcher, json: { keeperName: null, keeperPhone: null } })).body).toMatchObject({ keeperName: null, keeperPhone: null });
  });

  it('PATCH /v1/stations/{code}: dispatchers only, fields checked, unknown station 404', async () => {
    const path = `/v1/stations/${STATIONS.guocun}`;
    expect((await api.request('PATCH', path, { key: api.keys.driver, json: { keeperName: 'x' } })).status).toBe(403);
    expect((await api.request('PATCH', path, { key: api.keys.zto, json: { keeperName: 'x' } })).status).toBe(403);
    const bad = await api.request('PATCH', path, { key: api.keys.dispatcher, json: { keeperPhone: 'call me' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('keeperPhone');
    expect((await api.request('PATCH', path, { key: api.keys.dispatcher, json: { keeper: 'x' } })).status).toBe(400);
    expect((await api.request('PATCH', '/v1/stations/999999999999', { key: api.keys.dispatcher, json: { keeperName: 'x' } })).status).toBe(404);
  });

  it('marks delivered and failed parcels once the driver has reported them', async () => {
    const [a, b] = day.waybills.guocun as [string, string, string];
    const stop = `/v1/stops/${day.stops.guocun}/events`;
    expect((await api.request('POST', stop, { key: api.keys.driver, json: { type: 'delivered', waybills: [a] } })).status).toBe(200);
    expect((await api.request('POST', stop, { key: api.keys.driver, json: { type: 'failed', waybills: [b], reason: '无人签收' } })).status).toBe(200);
    const m = (await api.request('GET', `/v1/manifests/${day.routeA}`, { key: api.keys.driver })).body;
    const byWaybill = new Map(m.stops[1].parcels.map((p: { waybill: string }) => [p.waybill, p]));
    expect(byWaybill.get(a)).toMatchObject({ status: 'delivered', failedReason: null });
    expect(byWaybill.get(b)).toMatchObject({ status: 'failed', failedReason: '无人签收' });
    const html = await (await fetch(`${api.base}/v1/manifests/${day.routeA}.html`, { headers: { authorization: `Bearer ${api.keys.driver}` } })).text();
    expect(html).toMatch(new RegExp(`${a}<.*?✓ 已签收`));
    expect(html).toMatch(new RegExp(`${b}<.*?✗ 未送达 无人签收`));
  });

  it('a line-haul manifest lists the township bins by courier and the produce to bring back', async () => {
    await api.db.insertInto('hubs').values({ id: 'county', kind: 'county_warehouse', name: '县级共配中心', township_code: '140430101', lat: 36.7, lon: 112.6, coord_quality: 'known' }).execute();
    const routeId = `lh-${dialect}`;
    const iso = (h: number) => new Date(Date.UTC(2026, 10, 19, 22 + h)).toISOString();
    await api.db.insertInto('routes').values({ id: routeId, plan_id: day.planId, tier: 'line_haul', hub_id: 'county', vehicle_id: 'truck-1', driver_id: 'driver-lh', trips: 1, distance_m: 80_000, duration_s: 10_800, cost_fen: 30_000, start_at: iso(0), end_at: iso(3), load_json: JSON.stringify({ vehicle_type: 'line_haul_truck', peak: [6000, 45000, 6], capacity: [1500000, 14000000, 100000], units: ['g', 'cm3', 'pieces'] }), geometry_json: null }).execute();
    const stop = (seq: number, kind: string, hub: string, h: number) => ({ id: `${routeId}-${seq}`, route_id: routeId, seq, kind, station_code: null, hub_id: hub, trip: 1, arrival_at: iso(h), departure_at: iso(h), deliver_count: 0, pickup_count: 0, load_json: '[0,0,0]' });
    // Two trips: the truck reloads at the county warehouse between the two township centres.
    await api.db.insertInto('stops').values([stop(0, 'start', 'county', 0), stop(1, 'hub', 'hub-guocun', 1), { ...stop(2, 'reload', 'county', 2), trip: 1 }, { ...stop(3, 'hub', 'hub-guxian', 2), trip: 2 }, { ...stop(4, 'end', 'county', 3), trip: 2 }]).execute();

    const m = (await api.request('GET', `/v1/manifests/${routeId}`, { key: api.keys.dispatcher })).body;
    expect(m.tier).toBe('line_haul');
    expect(m.stops[1]).toMatchObject({ hub: { id: 'hub-guocun' }, parcels: [], bins: [{ courier: 'YTO', parcels: 1, weightG: 1200 }, { courier: 'ZTO', parcels: 3, weightG: 3600 }], pickupsToCollect: 1 });
    expect(m.stops[3]).toMatchObject({ hub: { id: 'hub-guxian' }, bins: [{ courier: 'YTO', parcels: 1, weightG: 1200 }], pickupsToCollect: 0 });
    // Every stop numbered, the reload too: 1, 2, 3 (it used to print 1, 2, 4).
    expect(m.stops.map((s: { number: number | null }) => s.number)).toEqual([null, 1, 2, 3, null]);
    expect(m.totals).toEqual({ stops: 2, parcels: 5, pickups: 1, weightG: 6000 });
    expect(m.loadingOrder.map((t: { stops: { stopId: string }[] }) => t.stops.map((x) => x.stopId))).toEqual([[`${routeId}-1`], [`${routeId}-3`]]);
    const html = await (await fetch(`${api.base}/v1/manifests/${routeId}.html`, { headers: { authorization: `Bearer ${api.keys.dispatcher}` } })).text();
    expect([...html.matchAll(/class="qr-stop" data-qr="([^"]+)"/g)].map((x) => x[1])).toEqual([`${api.base}/driver#stop=${routeId}-1`, `${api.base}/driver#stop=${routeId}-3`]);
    expect(html).toContain('卸货 bin · ZTO');
    expect(html).toMatch(/<span class="num">2<\/span> 回站装货 reload/);
    expect([...html.matchAll(/data-stop-number="(\d+)"/g)].map((x) => x[1])).toEqual(['1', '3']);
  });
});
