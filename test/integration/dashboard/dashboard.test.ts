/**
 * The dashboard's server side: static files at / (no build step, Leaflet served locally), the CSP
 * that allows a configured tile origin and nothing else, and the dispatcher read endpoints
 * GET /v1/network.geojson and GET /v1/dashboard/kpis (with on-time share once events arrive).
 */
import { get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../../src/db/test-database.ts';
import { startApi, type ApiContext } from '../http/helpers.ts';
import { DAY, seedPlannedDay, type PlannedDay } from '../manifests/fixture.ts';

describe.each(testDialects())('%s: dashboard server side', (dialect) => {
  let api: ApiContext;
  let day: PlannedDay;
  beforeAll(async () => {
    api = await startApi(dialect, { relay: false, app: { tileUrl: 'https://tiles.example.org/{z}/{x}/{y}.png' } });
    day = await seedPlannedDay(api.db);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('serves the dashboard page with its bundled, minified, pre-compressed assets and the Chinese font from this server, without a key', async () => {
    const page = await fetch(`${api.base}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const script = /<script type="module" src="(\/assets\/dashboard-[\w-]+\.js)">/.exec(html)?.[1];
    const style = /<link rel="stylesheet" href="(\/assets\/dashboard-[\w-]+\.css)">/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect(style).toBeDefined();
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/img-src 'self' data: https:\/\/tiles\.example\.org/);
    expect(csp).not.toContain('upgrade-insecure-requests');
    // Leaflet, the base map renderer and the app in one minified module, below Leaflet's own 425 KB source.
    const raw = await fetch(`${api.base}${script}`, { headers: { 'accept-encoding': 'identity' } });
    expect(raw.headers.get('content-type')).toMatch(/javascript/);
    expect(raw.headers.get('cache-control')).toContain('immutable');
    const source = await raw.text();
    expect(source).toContain('leaflet');
    expect(source.length).toBeLessThan(350_000); // Leaflet + protomaps-leaflet (the offline base map) + the app
    expect(source.length / source.split('\n').length).toBeGreaterThan(2000); // minified: long lines
    const br = await fetch(`${api.base}${script}`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(Number(br.headers.get('content-length'))).toBeLessThan(source.length / 3);
    const gz = await fetch(`${api.base}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect((await fetch(`${api.base}${script}`, { headers: { 'if-none-match': raw.headers.get('etag')! } })).status).toBe(304);
    const css = await (await fetch(`${api.base}${style}`)).text();
    expect(css).toContain('.leaflet-container');
    expect(css).toContain('.stop-number');
    // The font: its stylesheet and a slice, nothing else of the package.
    const fontCss = await fetch(`${api.base}/vendor/fonts/noto-sans-sc/400.css`);
    expect(fontCss.status).toBe(200);
    const slice = /url\(\.\/(files\/[\w-]+\.woff2)\)/.exec(await fontCss.text())![1];
    const woff2 = await fetch(`${api.base}/vendor/fonts/noto-sans-sc/${slice}`);
    expect(woff2.status).toBe(200);
    expect(woff2.headers.get('content-type')).toMatch(/font\/woff2/);
    await woff2.arrayBuffer();
    expect((await fetch(`${api.base}/vendor/fonts/noto-sans-sc/package.json`)).status).toBe(404);
    expect((await fetch(`${api.base}/assets/nope.js`)).status).toBe(404);
    expect(await (await fetch(`${api.base}/dashboard-config.json`)).json()).toEqual({ tileUrl: 'https://tiles.example.org/{z}/{x}/{y}.png', utcOffsetMinutes: 480 });
  });

  it('GET /v1/network.geojson gives outline, township areas, hubs and stations to dispatchers only', async () => {
    const res = await api.request('GET', '/v1/network.geojson', { key: api.keys.dispatcher });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/geo\+json/);
    const byLayer: Record<string, number> = {};
    for (const f of res.body.features) byLayer[f.properties.layer] = (byLayer[f.properties.layer] ?? 0) + 1;
    // Hubs and stations from this database (the fixture's 2 + 4); outline and areas from the dataset.
    expect(byLayer).toMatchObject({ county: 1, hub: 2, station: 4 });
    expect(byLayer.township).toBeGreaterThanOrEqual(10);
    expect(res.body.features.find((f: { properties: { layer: string } }) => f.properties.layer === 'station').properties).toMatchObject({ township: expect.any(String), name: expect.any(String) });
    // Each station carries its keeper and phone, as the dispatcher last set them.
    const code = res.body.features.find((f: { properties: { layer: string } }) => f.properties.layer === 'station').properties.code as string;
    const patched = await api.request('PATCH', `/v1/stations/${code}`, { key: api.keys.dispatcher, json: { keeperName: ' 赵秀英 ', keeperPhone: '0355-1234567' } });
    expect(patched.status).toBe(200);
    const keeperOf = async () => (await api.request('GET', '/v1/network.geojson', { key: api.keys.dispatcher })).body.features.find((f: { properties: { code?: string } }) => f.properties.code === code).properties;
    expect(await keeperOf()).toMatchObject({ keeperName: '赵秀英', keeperPhone: '0355-1234567' });
    expect((await api.request('PATCH', `/v1/stations/${code}`, { key: api.keys.dispatcher, json: { keeperPhone: null } })).status).toBe(200);
    expect(await keeperOf()).toMatchObject({ keeperName: '赵秀英', keeperPhone: null });
    // Sent gzip-compressed to a client that accepts it (the bytes on the wire, read without decoding), as is to one that does not.
    const wire = (encoding: string) =>
      new Promise<{ encoding: string | undefined; bytes: Buffer }>((resolve, reject) => {
        get(`${api.base}/v1/network.geojson`, { headers: { authorization: `Bearer ${api.keys.dispatcher}`, 'accept-encoding': encoding } }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (b: Buffer) => parts.push(b));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], bytes: Buffer.concat(parts) }));
        }).on('error', reject);
      });
    const plain = await wire('identity');
    const gz = await wire('gzip');
    expect(plain.encoding).toBeUndefined();
    expect(gz.encoding).toBe('gzip');
    expect(gunzipSync(gz.bytes).equals(plain.bytes)).toBe(true);
    expect(gz.bytes.length).toBeLessThan(plain.bytes.length / 2);
    expect((await api.request('GET', '/v1/network.geojson', { key: api.keys.zto })).status).toBe(403);
    expect((await api.request('GET', '/v1/network.geojson', { key: api.keys.driver })).status).toBe(403);
    expect((await api.request('GET', '/v1/network.geojson', { key: null })).status).toBe(401);
  });

  it('GET /v1/dashboard/kpis: parcels by courier and township, unassigned reasons, on-time share once events arrive', async () => {
    const before = await api.request('GET', `/v1/dashboard/kpis?planId=${day.planId}`, { key: api.keys.dispatcher });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      planId: day.planId,
      date: DAY,
      parcels: { total: 5, byCourier: { ZTO: 3, YTO: 2 }, byTownship: { 郭村镇: 4, 故县镇: 1 } },
      pickups: { total: 1, byStatus: { planned: 1 } },
      unassigned: { total: 2, byReason: { capacity: 2 } },
      delivery: { delivered: 0, failed: 0, onTimeShare: null },
    });
    expect(before.body.stations['140430101201']).toEqual({ parcels: 3, pickups: 1 });
    // The unplaced items by station, with the station's name and place for the map and the list.
    expect(before.body.unassigned.stations).toEqual([{ code: '140430101201', name: expect.any(String), township: '郭村镇', lat: expect.any(Number), lon: expect.any(Number), parcels: 1, pickups: 1, byReason: { capacity: 2 } }]);

    const stop = `/v1/stops/${day.stops.guocun}/events`;
    const [a, b, c] = day.waybills.guocun as [string, string, string];
    // On the promised day (local time) → on time; after it → late; failed → not on time. An
    // event must lie on its route's service day, so the late one is a parcel promised the day before.
    await api.db.updateTable('parcels').set({ promised_date: '2026-11-19' }).where('waybill', '=', day.waybills.guocun[2]!).execute();
    expect((await api.request('POST', stop, { key: api.keys.driver, json: { type: 'delivered', waybills: [a], at: `${DAY}T15:00:00+08:00` } })).status).toBe(200);
    expect((await api.request('POST', stop, { key: api.keys.driver, json: { type: 'failed', waybills: [b], reason: '无人签收', at: `${DAY}T15:05:00+08:00` } })).status).toBe(200);
    expect((await api.request('POST', stop, { key: api.keys.driver, json: { type: 'arrived', at: `${DAY}T15:10:00+08:00` } })).status).toBe(200);
    expect((await api.request('POST', stop, { key: api.keys.driver, json: { type: 'delivered', waybills: [c], at: `${DAY}T16:00:00+08:00` } })).status).toBe(200);
    const after = await api.request('GET', `/v1/dashboard/kpis?planId=${day.planId}`, { key: api.keys.dispatcher });
    expect(after.body.delivery).toEqual({ stopsArrived: 1, delivered: 2, failed: 1, failedByReason: { 无人签收: 1 }, onTimeShare: 0.333 });
    expect(after.body.parcels.byStatus).toMatchObject({ delivered: 2, failed: 1, planned: 2 });
    expect((await api.request('GET', '/v1/dashboard/kpis?planId=nope', { key: api.keys.dispatcher })).status).toBe(404);
    expect((await api.request('GET', `/v1/dashboard/kpis?planId=${day.planId}`, { key: api.keys.zto })).status).toBe(403);
  });

  it('documents the new endpoints in /openapi.json', async () => {
    const doc = (await api.request('GET', '/openapi.json', { key: null })).body;
    for (const path of ['/v1/manifests', '/v1/manifests/{routeId}', '/v1/stops/{stopId}/events', '/v1/webhook', '/v1/network.geojson', '/v1/dashboard/kpis']) {
      expect(Object.keys(doc.paths), path).toContain(path);
    }
  });
});
