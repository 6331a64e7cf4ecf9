import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AMAP_MAX_ORIGINS, AmapError, amapSource } from '../../../src/geo/amap.ts';
import { haversineMetres, roadMatrixProvider, UNREACHABLE } from '../../../src/geo/matrix.ts';
import { gcj02ToWgs84, wgs84ToGcj02 } from '../../../src/network/gcj02.ts';

/**
 * A stand-in for Amap's 距离测量 API (GET /v3/distance) answering in its documented format:
 * `status`/`info`/`infocode`, `results[]` with 1-based `origin_id`, `distance` and `duration` as
 * strings. Distances are straight-line metres between the GCJ-02 points it receives, converted
 * back to WGS84 (so a test can check the provider sent GCJ-02), × 1.2; 10 m/s.
 */
const KEY = 'good-key';
let server: Server;
let baseUrl: string;
const requests: URLSearchParams[] = [];
let busyAnswers = 0; // how many next requests answer CUQPS_HAS_EXCEEDED_THE_LIMIT
let dayUsedUp = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const q = url.searchParams;
    requests.push(q);
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
      res.end(JSON.stringify(body));
    };
    const fail = (infocode: string, info: string) => send({ status: '0', info, infocode });
    if (url.pathname !== '/v3/distance') return fail('10002', 'SERVICE_NOT_AVAILABLE');
    if (!q.get('key')) return fail('10001', 'INVALID_USER_KEY');
    if (q.get('key') !== KEY) return fail('10001', 'INVALID_USER_KEY');
    if (dayUsedUp) return fail('10044', 'USER_DAILY_QUERY_OVER_LIMIT');
    if (busyAnswers > 0) {
      busyAnswers--;
      return fail('10021', 'CUQPS_HAS_EXCEEDED_THE_LIMIT');
    }
    const parse = (s: string) => {
      if (!/^\d+\.\d{1,6},\d+\.\d{1,6}$/.test(s)) return undefined;
      const [lon, lat] = s.split(',').map(Number);
      return { lat: lat!, lon: lon! };
    };
    const origins = (q.get('origins') ?? '').split('|').map(parse);
    const destination = parse(q.get('destination') ?? '');
    if (origins.length > AMAP_MAX_ORIGINS || origins.some((o) => !o) || !destination || q.get('type') !== '1') return fail('20000', 'INVALID_PARAMS');
    const dest = gcj02ToWgs84(destination);
    const results = origins.map((o, k) => {
      const from = gcj02ToWgs84(o!);
      // A point north of 40° has no road in this stand-in (Amap leaves distance out).
      if (from.lat > 40 || dest.lat > 40) return { origin_id: String(k + 1), dest_id: '1', info: '未找到路线', code: '1' };
      const d = haversineMetres(from, dest) * 1.2;
      return { origin_id: String(k + 1), dest_id: '1', distance: String(Math.round(d)), duration: String(Math.round(d / 10)) };
    });
    send({ status: '1', info: 'OK', infocode: '10000', count: String(results.length), results: results.reverse() });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  requests.length = 0;
  busyAnswers = 0;
  dayUsedUp = false;
});

const points = Array.from({ length: 7 }, (_, i) => ({ lat: 36.5 + i * 0.03, lon: 112.5 + (i % 3) * 0.05 }));
const fast = () => ({ baseUrl, qps: 1000, retryBaseMs: 5 });

describe('Amap driving distances', () => {
  it('sends GCJ-02 with 6 decimals, one destination and ≤ maxOrigins origins per request, and reads results by origin_id', async () => {
    const amap = amapSource({ ...fast(), key: KEY, maxOrigins: 4 });
    const m = await amap(points);
    const n = points.length;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const expected = i === j ? 0 : Math.round(haversineMetres(points[i]!, points[j]!) * 1.2);
        // The stand-in measures between the points it received turned back to WGS84: within a metre.
        expect(Math.abs(m.distance[i * n + j]! - expected)).toBeLessThanOrEqual(1);
        expect(Math.abs(m.duration![i * n + j]! - expected / 10)).toBeLessThanOrEqual(1);
      }
    }
    // 7 destinations × ⌈6 origins / 4⌉ = 14 requests, each with one destination.
    expect(requests).toHaveLength(14);
    for (const q of requests) {
      expect(q.get('origins')!.split('|').length).toBeLessThanOrEqual(4);
      expect(q.get('type')).toBe('1');
    }
    // The points went out in GCJ-02, not WGS84 (the shift here is a few hundred metres).
    const g = wgs84ToGcj02(points[0]!);
    expect(requests.some((q) => q.get('destination') === `${g.lon.toFixed(6)},${g.lat.toFixed(6)}`)).toBe(true);
    expect(requests.some((q) => q.get('destination') === `${points[0]!.lon.toFixed(6)},${points[0]!.lat.toFixed(6)}`)).toBe(false);
  });

  it('asks for each road once: a second matrix comes from the cache, and a moved point costs only its own roads', async () => {
    const amap = amapSource({ ...fast(), key: KEY, maxOrigins: 100 });
    await amap(points);
    expect(requests).toHaveLength(7);
    await amap([...points].reverse());
    expect(requests).toHaveLength(7);
    const moved = [...points];
    moved[3] = { lat: 36.62, lon: 112.61 };
    const m = await amap(moved);
    // To the moved point: one request with 6 origins; from it: one request per other destination.
    expect(requests.slice(7)).toHaveLength(1 + 6);
    expect(requests.slice(7).every((q) => q.get('origins')!.split('|').length === 1 || q.get('destination') === (() => { const g = wgs84ToGcj02(moved[3]!); return `${g.lon.toFixed(6)},${g.lat.toFixed(6)}`; })())).toBe(true);
    expect(Math.abs(m.distance[3 * 7 + 0]! - Math.round(haversineMetres(moved[3]!, points[0]!) * 1.2))).toBeLessThanOrEqual(1);
    expect(amap.cache.forgetPoint(`${points[3]!.lon.toFixed(6)},${points[3]!.lat.toFixed(6)}`)).toBe(12);
  });

  it('marks a pair Amap has no route for as unreachable', async () => {
    const amap = amapSource({ ...fast(), key: KEY });
    const m = await amap([points[0]!, { lat: 41, lon: 112.5 }]);
    expect(m.distance[1]).toBe(UNREACHABLE);
    expect(m.distance[2]).toBe(UNREACHABLE);
  });

  it('waits and retries when Amap says the rate was exceeded', async () => {
    busyAnswers = 2;
    const amap = amapSource({ ...fast(), key: KEY });
    const m = await amap(points.slice(0, 2));
    expect(m.distance[1]).toBeGreaterThan(0);
    expect(amap.stats.retries).toBe(2);
  });

  it('paces requests to AMAP_QPS', async () => {
    const amap = amapSource({ baseUrl, key: KEY, qps: 20 });
    const started = performance.now();
    await amap(points.slice(0, 5)); // 5 requests at ≥ 50 ms apart
    expect(performance.now() - started).toBeGreaterThanOrEqual(4 * 50 - 5);
  });

  it('a refused key or a used-up day stops with one line naming the reason and infocode', async () => {
    const bad = amapSource({ ...fast(), qps: 5, key: 'wrong' });
    await expect(bad(points)).rejects.toThrow(/^Amap refused AMAP_KEY: INVALID_USER_KEY \(infocode 10001\)/);
    // After the refusal the queued requests are not sent: the first was refused, the other 6 never left.
    expect(requests).toHaveLength(1);
    dayUsedUp = true;
    await expect(amapSource({ ...fast(), key: KEY })(points)).rejects.toThrow(/daily quota .* USER_DAILY_QUERY_OVER_LIMIT \(infocode 10044\)/);
    expect(() => amapSource({ ...fast(), key: '' })).toThrow(AmapError);
  });

  it('MATRIX_PROVIDER=amap through roadMatrixProvider: matrices memoised per list of positions, forgotten when a point moves', async () => {
    const provider = await roadMatrixProvider({ MATRIX_PROVIDER: 'amap', DETOUR_FACTOR: 1.3, AMAP_KEY: KEY, AMAP_URL: baseUrl, AMAP_QPS: 1000 });
    expect(provider.name).toBe('amap');
    const a = await provider.source(points);
    expect(await provider.source(points)).toBe(a);
    provider.forgetPoint(points[2]!);
    const b = await provider.source(points);
    expect(b).not.toBe(a);
    expect([...b.distance]).toEqual([...a.distance]);
    // Only point 2's 12 roads were asked for again (1 request to it, 6 from it).
    expect(requests).toHaveLength(7 + 7);
  });
});
