import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNetworkFolder, writeNetworkFolder } from '../../../src/network/files.ts';
import { dailyParcels, drawCountyShape, provinceCounty, SHANXI_COUNTY_SPREAD, syntheticCounty } from '../../../src/network/synthetic.ts';

const dir = mkdtempSync(join(tmpdir(), 'gongpei-synthetic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Clark–Evans ratio: mean nearest-neighbour distance over what uniform points in the bounding box would have (1 = uniform, < 1 clustered). */
function clarkEvans(points: readonly { lat: number; lon: number }[]): number {
  const km = points.map((p) => ({ x: p.lon * 111.32 * Math.cos((p.lat * Math.PI) / 180), y: p.lat * 111.32 }));
  const xs = km.map((p) => p.x);
  const ys = km.map((p) => p.y);
  const area = (Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys));
  let sum = 0;
  for (const p of km) sum += Math.min(...km.filter((q) => q !== p).map((q) => Math.hypot(p.x - q.x, p.y - q.y)));
  return sum / km.length / (0.5 * Math.sqrt(area / km.length));
}

describe('synthetic counties', () => {
  it('are deterministic by seed', () => {
    expect(syntheticCounty({ code: '149901', seed: 5 })).toEqual(syntheticCounty({ code: '149901', seed: 5 }));
    expect(provinceCounty(3)).toEqual(provinceCounty(3));
    expect(syntheticCounty({ code: '149901', seed: 6 }).stations).not.toEqual(syntheticCounty({ code: '149901', seed: 5 }).stations);
  });

  it('keep a fixed shape when told (tests\' small counties)', () => {
    const n = syntheticCounty({ code: '149901', seed: 11, townships: 3, villagesPerTownship: 6 });
    expect(n.townships).toHaveLength(3);
    expect(n.stations).toHaveLength(18);
    expect(n.stations.every((s) => s.kind === 'village')).toBe(true);
    expect(n.hubs.filter((h) => h.kind === 'county_warehouse')).toHaveLength(1);
  });

  it('draw townships, villages and population within the spread of Shanxi\'s counties', () => {
    const s = SHANXI_COUNTY_SPREAD;
    const counties = Array.from({ length: s.counties }, (_, i) => provinceCounty(i));
    const shapes = Array.from({ length: s.counties }, (_, i) => drawCountyShape(1_000 + i + 1));
    for (const [i, n] of counties.entries()) {
      expect(n.townships.length).toBe(shapes[i]!.villagesByTownship.length);
      expect(n.townships.length).toBeGreaterThanOrEqual(s.townships.min);
      expect(n.townships.length).toBeLessThanOrEqual(s.townships.max);
      for (const t of n.townships) {
        const villages = n.stations.filter((st) => st.township_code === t.code && st.kind === 'village').length;
        expect(villages).toBeGreaterThanOrEqual(s.villagesPerTownship.min);
        expect(villages).toBeLessThanOrEqual(s.villagesPerTownship.max);
      }
      // Size weights carry the population: Σ weight × 410 ≈ residents.
      const residents = n.stations.reduce((a, st) => a + st.size_weight, 0) * 410;
      expect(residents / shapes[i]!.population).toBeGreaterThan(0.97);
      expect(residents / shapes[i]!.population).toBeLessThan(1.03);
    }
    // Not all alike: the spread shows, and the province's totals are Shanxi-like.
    const townships = counties.map((n) => n.townships.length);
    expect(new Set(townships).size).toBeGreaterThan(5);
    const meanTownships = townships.reduce((a, b) => a + b, 0) / townships.length;
    expect(meanTownships).toBeGreaterThan(8);
    expect(meanTownships).toBeLessThan(12);
    const villages = counties.reduce((a, n) => a + n.stations.filter((st) => st.kind === 'village').length, 0);
    expect(villages).toBeGreaterThan(15_000);
    expect(villages).toBeLessThan(23_000);
    const parcels = counties.reduce((a, n) => a + dailyParcels(n.stations), 0);
    expect(parcels).toBeGreaterThan(1_200_000);
    expect(parcels).toBeLessThan(1_700_000);
    // Codes are unique across the province (one deployment holds them all).
    const codes = counties.flatMap((n) => [n.county.id, ...n.townships.map((t) => t.code), ...n.stations.map((st) => st.code), ...n.hubs.map((h) => h.id), ...n.vehicles.map((v) => v.id)]);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('cluster villages along valleys rather than uniformly', () => {
    for (const i of [0, 1, 2, 3, 4]) {
      const n = provinceCounty(i);
      expect(clarkEvans(n.stations.filter((s) => s.kind === 'village')), `county ${i}`).toBeLessThan(0.75);
    }
  });

  it('give the fleet every tier it needs: line-haul at the warehouse, vehicles at every centre', () => {
    const n = provinceCounty(7);
    const warehouse = n.hubs.find((h) => h.kind === 'county_warehouse')!;
    expect(n.vehicles.some((v) => v.hub_id === warehouse.id && v.type === 'line_haul_truck')).toBe(true);
    for (const h of n.hubs) expect(n.vehicles.some((v) => v.hub_id === h.id), h.id).toBe(true);
  });

  it('write network files that read back unchanged (what `gongpei network import` accepts)', () => {
    const n = provinceCounty(2);
    writeNetworkFolder(join(dir, 'round-trip'), n);
    expect(readNetworkFolder(join(dir, 'round-trip'))).toEqual(n);
  });

  it('are written by `gongpei network generate`', () => {
    const out = join(dir, 'cli');
    const printed = execFileSync(process.execPath, ['bin/gongpei.js', 'network', 'generate', '--seed', '9', '--code', '149977', '--out', out], { encoding: 'utf8' });
    expect(printed).toMatch(/^county 149977 \(seed 9\): \d+ townships, \d+ stations/);
    expect(readNetworkFolder(out)).toEqual(syntheticCounty({ code: '149977', seed: 9 }));
  });
});
