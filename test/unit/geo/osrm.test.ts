import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haversineMetres, roadMatrixSource } from '../../../src/geo/matrix.ts';
import { osrmTable, OsrmError } from '../../../src/geo/osrm.ts';

/** A tiny OSRM stand-in: straight-line metres, 10 m/s, and OSRM's table size limit. */
const MAX_TABLE = 6;
let server: Server;
let baseUrl: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url!);
    const url = new URL(req.url!, 'http://x');
    const match = /^\/table\/v1\/driving\/(.+)$/.exec(url.pathname);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!match) return send(400, { code: 'InvalidUrl' });
    const coords = match[1]!.split(';').map((p) => {
      const [lon, lat] = p.split(',').map(Number);
      return { lat: lat!, lon: lon! };
    });
    if (coords.length > MAX_TABLE) return send(400, { code: 'TooBig', message: 'Too many table coordinates' });
    const sources = url.searchParams.get('sources')!.split(';').map(Number);
    const destinations = url.searchParams.get('destinations')!.split(';').map(Number);
    const distances = sources.map((s) =>
      destinations.map((d) => (coords[d]!.lat > 89 || coords[s]!.lat > 89 ? null : haversineMetres(coords[s]!, coords[d]!))),
    );
    const durations = distances.map((row) => row.map((d) => (d === null ? null : d / 10)));
    send(200, { code: 'Ok', distances, durations });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const points = Array.from({ length: 11 }, (_, i) => ({ lat: 36.5 + i * 0.03, lon: 112.5 + (i % 4) * 0.05 }));

describe('OSRM table client', () => {
  it('stitches a matrix larger than the server limit from blocks', async () => {
    requests.length = 0;
    const m = await osrmTable(points, { baseUrl, maxTableSize: MAX_TABLE });
    expect(m.size).toBe(11);
    for (let i = 0; i < 11; i++) {
      for (let j = 0; j < 11; j++) {
        const expected = Math.round(haversineMetres(points[i]!, points[j]!));
        expect(Math.abs(m.distance[i * 11 + j]! - expected)).toBeLessThanOrEqual(1);
        expect(Math.abs(m.duration![i * 11 + j]! - expected / 10)).toBeLessThanOrEqual(1);
      }
    }
    // blocks of 3 sources × 3 destinations: ceil(11/3)² = 16 requests, none over the limit
    expect(requests).toHaveLength(16);
  });

  it('turns an unroutable pair into the unreachable sentinel', async () => {
    const m = await osrmTable([points[0]!, { lat: 89.5, lon: 0 }], { baseUrl, maxTableSize: MAX_TABLE });
    expect(m.distance[1]).toBeGreaterThanOrEqual(100_000_000);
    expect(m.distance[0]).toBe(0);
  });

  it('reports the server error when a block is refused', async () => {
    await expect(osrmTable(points, { baseUrl, maxTableSize: 40 })).rejects.toThrow(/TooBig/);
  });

  it('reports an unreachable server as a user-facing error', async () => {
    await expect(osrmTable(points.slice(0, 2), { baseUrl: 'http://127.0.0.1:1' })).rejects.toBeInstanceOf(OsrmError);
  });

  it('is the road source when OSRM_URL is configured, haversine × detour otherwise', async () => {
    const viaOsrm = await (await roadMatrixSource({ osrmUrl: baseUrl, osrmMaxTableSize: MAX_TABLE }))(points.slice(0, 3));
    expect(viaOsrm.duration).toBeDefined();
    const plain = await (await roadMatrixSource({ detourFactor: 1.5 }))(points.slice(0, 3));
    expect(plain.duration).toBeUndefined();
    expect(Math.abs(plain.distance[1]! - viaOsrm.distance[1]! * 1.5)).toBeLessThanOrEqual(2);
  });
});
