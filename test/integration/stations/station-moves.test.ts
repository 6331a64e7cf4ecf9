/**
 * Fixing the map over real HTTP (issue 15 item 2): a dispatcher moves a station to its true
 * position; the move is audited (who, when, from, to, why), the position becomes `corrected`, and
 * the road matrices forget the old position, so the next matrix asks the provider (an Amap
 * stand-in answering in its documented format) for the moved station's roads only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../src/auth/api-keys.ts';
import { haversineMetres, roadMatrixProvider, type RoadMatrixProvider } from '../../../src/geo/matrix.ts';
import { gcj02ToWgs84, wgs84ToGcj02 } from '../../../src/network/gcj02.ts';
import { testDialects } from '../../../src/db/test-database.ts';
import { startApi, STATIONS, type ApiContext } from '../http/helpers.ts';

const AT = new Date('2026-12-01T08:30:00.000Z');
let amap: Server;
let amapUrl: string;
const amapRequests: URLSearchParams[] = [];

beforeAll(async () => {
  amap = createServer((req, res) => {
    const q = new URL(req.url!, 'http://x').searchParams;
    amapRequests.push(q);
    const at = (s: string) => {
      const [lon, lat] = s.split(',').map(Number);
      return gcj02ToWgs84({ lat: lat!, lon: lon! });
    };
    const dest = at(q.get('destination')!);
    const results = q.get('origins')!.split('|').map((o, k) => {
      const d = Math.round(haversineMetres(at(o), dest) * 1.25);
      return { origin_id: String(k + 1), dest_id: '1', distance: String(d), duration: String(Math.round(d / 12)) };
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: '1', info: 'OK', infocode: '10000', count: String(results.length), results }));
  });
  await new Promise<void>((resolve) => amap.listen(0, '127.0.0.1', resolve));
  amapUrl = `http://127.0.0.1:${(amap.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => amap.close(() => resolve())));

describe.each(testDialects())('%s: moving a station', (dialect) => {
  let api: ApiContext;
  let roads: RoadMatrixProvider;
  beforeAll(async () => {
    roads = await roadMatrixProvider({ MATRIX_PROVIDER: 'amap', DETOUR_FACTOR: 1.3, AMAP_KEY: 'k', AMAP_URL: amapUrl, AMAP_QPS: 1000 });
    api = await startApi(dialect, { relay: false, roadProvider: roads, app: { clock: () => AT } });
  });
  afterAll(async () => {
    await api?.close();
  });

  /** The network's positions as the planner reads them: hubs, then stations by code. */
  async function networkPoints() {
    const hubs = await api.db.selectFrom('hubs').select(['id', 'lat', 'lon']).orderBy('id').execute();
    const stations = await api.db.selectFrom('stations').select(['code', 'lat', 'lon']).orderBy('code').execute();
    return [...hubs.map((h) => ({ lat: h.lat, lon: h.lon, id: h.id })), ...stations.map((s) => ({ lat: s.lat, lon: s.lon, id: s.code }))];
  }

  it('moves the station, marks it corrected, audits the move, and only its roads are asked for again', async () => {
    amapRequests.length = 0;
    const before = await networkPoints();
    const n = before.length; // 2 hubs + 4 stations
    await roads.source(before);
    expect(amapRequests).toHaveLength(n); // one request per destination (≤ 100 origins each)

    const path = `/v1/stations/${STATIONS.guocun}`;
    const res = await api.request('PATCH', path, { key: api.keys.dispatcher, json: { position: { lat: 36.6031, lon: 112.5544 }, reason: '站点在村委会东侧小卖部' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ code: STATIONS.guocun, name: '郭村村委会', keeperName: null, keeperPhone: null, position: { lat: 36.6031, lon: 112.5544, quality: 'corrected' } });
    const row = await api.db.selectFrom('stations').select(['lat', 'lon', 'coord_quality']).where('code', '=', STATIONS.guocun).executeTakeFirstOrThrow();
    expect(row).toEqual({ lat: 36.6031, lon: 112.5544, coord_quality: 'corrected' });
    // The dashboard's map draws each station by its position's quality.
    const map = (await api.request('GET', '/v1/network.geojson', { key: api.keys.dispatcher })).body as { features: { geometry: { coordinates: number[] }; properties: { code?: string; quality?: string } }[] };
    const onMap = map.features.find((f) => f.properties.code === STATIONS.guocun)!;
    expect(onMap.properties.quality).toBe('corrected');
    expect(onMap.geometry.coordinates).toEqual([112.5544, 36.6031]);
    expect(map.features.find((f) => f.properties.code === STATIONS.guxian)!.properties.quality).toBe('estimated');

    const moves = await api.request('GET', `${path}/moves`, { key: api.keys.dispatcher });
    expect(moves.status).toBe(200);
    const dispatcherKeyId = (await api.db.selectFrom('api_keys').select('id').where('role', '=', 'dispatcher').executeTakeFirstOrThrow()).id;
    expect(moves.body.moves).toEqual([
      { id: expect.any(String), stationCode: STATIONS.guocun, movedAt: AT.toISOString(), movedBy: dispatcherKeyId, from: { lat: 36.6, lon: 112.55, quality: 'estimated' }, to: { lat: 36.6031, lon: 112.5544, quality: 'corrected' }, reason: '站点在村委会东侧小卖部' },
    ]);

    amapRequests.length = 0;
    const after = await networkPoints();
    const m = await roads.source(after);
    // To the moved station: one request with its n − 1 origins; from it: one per other destination.
    expect(amapRequests).toHaveLength(1 + (n - 1));
    const moved = after.findIndex((p) => p.id === STATIONS.guocun);
    const hub = after.findIndex((p) => p.id === 'hub-guocun');
    expect(Math.abs(m.distance[moved * n + hub]! - Math.round(haversineMetres(after[moved]!, after[hub]!) * 1.25))).toBeLessThanOrEqual(1);
    // The same network again costs nothing.
    await roads.source(after);
    expect(amapRequests).toHaveLength(n);
  });

  it('takes a GCJ-02 position read off Amap and stores WGS84; a second move is audited from the corrected position', async () => {
    const path = `/v1/stations/${STATIONS.xiaoheA}`;
    const truth = { lat: 36.6212, lon: 112.5617 };
    const g = wgs84ToGcj02(truth);
    const res = await api.request('PATCH', path, { key: api.keys.admin, json: { position: { lat: g.lat, lon: g.lon, datum: 'gcj02' }, reason: '高德地图上的位置' } });
    expect(res.status).toBe(200);
    expect(haversineMetres(res.body.position, truth)).toBeLessThan(0.05);
    expect(res.body.position.quality).toBe('corrected');
    const again = await api.request('PATCH', path, { key: api.keys.dispatcher, json: { position: { lat: 36.622, lon: 112.562 }, reason: '站长电话确认', keeperName: '王小明' } });
    expect(again.body).toMatchObject({ keeperName: '王小明', position: { lat: 36.622, lon: 112.562, quality: 'corrected' } });
    const moves = (await api.request('GET', `${path}/moves`, { key: api.keys.dispatcher })).body.moves;
    expect(moves.map((m: { from: { quality: string }; to: { lat: number }; reason: string }) => [m.from.quality, m.to.lat, m.reason])).toEqual([
      ['estimated', res.body.position.lat, '高德地图上的位置'],
      ['corrected', 36.622, '站长电话确认'],
    ]);
  });

  it('refuses a move without a reason, a position out of range, couriers and drivers, an unknown station; nothing is written', async () => {
    const path = `/v1/stations/${STATIONS.guxian}`;
    const noReason = await api.request('PATCH', path, { key: api.keys.dispatcher, json: { position: { lat: 36.5, lon: 112.6 } } });
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body)).toContain('reason');
    const badLat = await api.request('PATCH', path, { key: api.keys.dispatcher, json: { position: { lat: 136.5, lon: 112.6 }, reason: 'x' } });
    expect(badLat.status).toBe(400);
    expect(JSON.stringify(badLat.body)).toContain('position.lat');
    const badDatum = await api.request('PATCH', path, { key: api.keys.dispatcher, json: { position: { lat: 36.5, lon: 112.6, datum: 'bd09' }, reason: 'x' } });
    expect(badDatum.status).toBe(400);
    expect(JSON.stringify(badDatum.body)).toContain('position.datum');
    expect((await api.request('PATCH', path, { key: api.keys.dispatcher, json: { reason: 'x' } })).status).toBe(400);
    expect((await api.request('PATCH', path, { key: api.keys.driver, json: { position: { lat: 36.5, lon: 112.6 }, reason: 'x' } })).status).toBe(403);
    expect((await api.request('PATCH', path, { key: api.keys.zto, json: { position: { lat: 36.5, lon: 112.6 }, reason: 'x' } })).status).toBe(403);
    expect((await api.request('GET', `${path}/moves`, { key: api.keys.zto })).status).toBe(403);
    expect((await api.request('PATCH', '/v1/stations/999999999999', { key: api.keys.dispatcher, json: { position: { lat: 36.5, lon: 112.6 }, reason: 'x' } })).status).toBe(404);
    expect((await api.request('GET', '/v1/stations/999999999999/moves', { key: api.keys.dispatcher })).status).toBe(404);
    const row = await api.db.selectFrom('stations').select(['lat', 'lon', 'coord_quality']).where('code', '=', STATIONS.guxian).executeTakeFirstOrThrow();
    expect(row).toEqual({ lat: 36.54, lon: 112.62, coord_quality: 'estimated' });
    expect((await api.request('GET', `${path}/moves`, { key: api.keys.dispatcher })).body.moves).toEqual([]);
  });

  it('the offline base map is built again after a move, so the station’s name label follows it', async () => {
    const archive = async () => Buffer.from(await (await fetch(`${api.base}/tiles/county.pmtiles`)).arrayBuffer());
    const before = await archive();
    expect(await archive()).toEqual(before); // built once, kept
    const res = await api.request('PATCH', `/v1/stations/${STATIONS.xiaoheA}`, { key: api.keys.dispatcher, json: { position: { lat: 36.63, lon: 112.57 }, reason: '村口' } });
    expect(res.status).toBe(200);
    const after = await archive();
    expect(after.equals(before)).toBe(false);
  });

  it('a key scoped to another county cannot move or see this county’s stations', async () => {
    const now = AT.toISOString();
    await api.db.insertInto('counties').values({ id: '140431', name: '沁源县', seat_lat: 36.5, seat_lon: 112.34, boundary_json: null, created_at: now, updated_at: now }).execute();
    const other = (await createApiKey(api.db, { role: 'dispatcher', counties: ['140431'] })).key;
    const path = `/v1/stations/${STATIONS.guxian}`;
    expect((await api.request('PATCH', path, { key: other, json: { position: { lat: 36.5, lon: 112.6 }, reason: 'x' } })).status).toBe(404);
    expect((await api.request('GET', `${path}/moves`, { key: other })).status).toBe(404);
  });
});
