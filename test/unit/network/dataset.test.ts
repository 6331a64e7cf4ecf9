import { booleanPointInPolygon, point } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { loadNetwork, networkRows } from '../../../src/network/load.ts';
import { gcj02ToWgs84, wgs84ToGcj02 } from '../../../src/network/gcj02.ts';

const network = loadNetwork();

/** NBS 2021 counts (FACTS §2): village committees + communities per township. */
const EXPECTED: Record<string, [villages: number, communities: number]> = {
  定昌镇: [35, 6], 郭村镇: [15, 0], 故县镇: [27, 0], 新店镇: [23, 0], 漳源镇: [22, 0], 册村镇: [20, 0],
  沁州黄镇: [20, 0], 南里镇: [19, 0], 松村镇: [18, 0], 牛寺乡: [11, 0], 杨安乡: [8, 0],
};

/** The 6 units with real Amap points (FACTS §2). */
const KNOWN = ['140430100001', '140430100003', '140430100004', '140430100005', '140430100213', '140430101204'];

const metres = (a: { lat: number; lon: number }, b: { lat: number; lon: number }) => {
  const r = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * r) / 2) ** 2 + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(((b.lon - a.lon) * r) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
};

describe('Qin County dataset', () => {
  it('has 11 townships, 1 county warehouse, 10 township centres and 224 stations', () => {
    expect(network.townships).toHaveLength(11);
    expect(network.hubs.filter((h) => h.kind === 'county_warehouse')).toHaveLength(1);
    expect(network.hubs.filter((h) => h.kind === 'township_centre')).toHaveLength(10);
    expect(network.stations).toHaveLength(224);
    expect(network.stations.filter((s) => s.kind === 'village')).toHaveLength(218);
    expect(network.stations.filter((s) => s.kind === 'community')).toHaveLength(6);
  });

  it.each(Object.entries(EXPECTED))('%s has exactly the NBS number of villages and communities', (name, [villages, communities]) => {
    const t = network.townships.find((x) => x.name === name)!;
    const stations = network.stations.filter((s) => s.townshipCode === t.code);
    expect(stations.filter((s) => s.kind === 'village')).toHaveLength(villages);
    expect(stations.filter((s) => s.kind === 'community')).toHaveLength(communities);
    expect([t.villageCount, t.communityCount]).toEqual([villages, communities]);
  });

  it('uses unique 12-digit codes that start with their township code', () => {
    const codes = network.stations.map((s) => s.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const s of network.stations) {
      expect(s.code).toMatch(/^\d{12}$/);
      expect(s.code.startsWith(s.townshipCode)).toBe(true);
    }
    expect(new Set(network.townships.map((t) => t.code)).size).toBe(11);
  });

  it('leaves out the virtual 示范区 unit', () => {
    expect(network.stations.some((s) => s.code.startsWith('140430400'))).toBe(false);
    expect(network.townships.some((t) => t.code === '140430400')).toBe(false);
  });

  it('puts every station inside the county boundary and inside its own township area', () => {
    const areas = new Map(network.townshipAreas.features.map((f) => [f.properties.code, f]));
    expect(areas.size).toBe(11);
    for (const s of network.stations) {
      const pt = point([s.lon, s.lat]);
      expect(booleanPointInPolygon(pt, network.boundary), `${s.name} in county`).toBe(true);
      expect(booleanPointInPolygon(pt, areas.get(s.townshipCode)!), `${s.name} in its township`).toBe(true);
    }
  });

  it('puts every hub inside the county and inside the area of the township it belongs to', () => {
    const areas = new Map(network.townshipAreas.features.map((f) => [f.properties.code, f]));
    for (const h of network.hubs) {
      expect(booleanPointInPolygon(point([h.lon, h.lat]), areas.get(h.townshipCode)!), h.name).toBe(true);
    }
  });

  it('keeps the 6 known points as known, at their source coordinates, and marks all others estimated', () => {
    const known = network.stations.filter((s) => s.coordQuality === 'known').map((s) => s.code).sort();
    expect(known).toEqual(KNOWN);
    for (const s of network.stations) {
      if (s.coordQuality === 'known') {
        expect(s.gcj02.origin).toBe('source');
        const back = gcj02ToWgs84(s.gcj02);
        expect(metres(back, s)).toBeLessThan(0.5);
      } else {
        expect(s.gcj02.origin).toBe('computed');
        expect(s.coordSource.startsWith('ESTIMATE')).toBe(true);
      }
    }
    expect(network.stations.find((s) => s.code === '140430100213')!.gcj02).toMatchObject({ lat: 36.792095, lon: 112.733003 });
  });

  it('keeps estimated village stations at least the minimum spacing apart', () => {
    const villages = network.stations.filter((s) => s.kind === 'village');
    let min = Infinity;
    for (let i = 0; i < villages.length; i++) {
      for (let j = i + 1; j < villages.length; j++) {
        const seatVillage = (s: (typeof villages)[number]) => s.coordSource.includes('seat village');
        if (seatVillage(villages[i]!) || seatVillage(villages[j]!)) continue;
        min = Math.min(min, metres(villages[i]!, villages[j]!));
      }
    }
    expect(min).toBeGreaterThanOrEqual(network.minSpacingM - 1);
  });

  it('clusters the 6 county-seat communities in the county seat', () => {
    for (const s of network.stations.filter((x) => x.kind === 'community')) {
      expect(metres(s, network.county.seat)).toBeLessThan(2500);
    }
  });

  it('links 定昌镇 stations to the county warehouse and every other station to its township centre', () => {
    const warehouse = network.hubs.find((h) => h.kind === 'county_warehouse')!;
    expect(warehouse.townshipCode).toBe('140430100');
    expect(warehouse.coordQuality).toBe('estimated');
    for (const s of network.stations) {
      const t = network.townships.find((x) => x.code === s.townshipCode)!;
      expect(s.hubId).toBe(t.hubId);
      const hub = network.hubs.find((h) => h.id === s.hubId)!;
      expect(hub.kind).toBe(s.townshipCode === '140430100' ? 'county_warehouse' : 'township_centre');
    }
  });

  it('places the county warehouse east of the 定昌镇 seat, near 小河村', () => {
    const warehouse = network.hubs.find((h) => h.kind === 'county_warehouse')!;
    const seat = network.townships.find((t) => t.code === '140430100')!.seat;
    expect(warehouse.lon).toBeGreaterThan(seat.lon);
    const xiaohe = network.stations.find((s) => s.code === '140430100218')!;
    expect(xiaohe.name).toBe('小河村');
    expect(metres(warehouse, xiaohe)).toBeLessThan(1000);
  });

  it('puts the 沁州黄镇 centre at 次村 and marks the three assumed seats estimated', () => {
    const centre = network.hubs.find((h) => h.townshipCode === '140430106')!;
    expect(centre.name).toContain('次村');
    const estimated = network.townships.filter((t) => t.seat.quality === 'estimated').map((t) => t.name).sort();
    expect(estimated).toEqual(['南里镇', '松村镇', '沁州黄镇'].sort());
  });

  it('opens stations 08:00–19:00 and gives every station a positive size weight with a source', () => {
    for (const s of network.stations) {
      expect([s.opens, s.closes]).toEqual(['08:00', '19:00']);
      expect(s.sizeWeight).toBeGreaterThan(0);
      expect(s.sizeSource.length).toBeGreaterThan(0);
    }
    expect(network.stations.find((s) => s.code === '140430101201')!.sizeWeight).toBeCloseTo(1780 / 410, 2);
  });

  it('has a default fleet: 4.2 m trucks at the county warehouse, vans and tricycles at every centre, a cold-chain van', () => {
    const rows = networkRows(network);
    const warehouse = network.hubs.find((h) => h.kind === 'county_warehouse')!;
    const trucks = rows.vehicles.filter((v) => v.type === 'line_haul_truck');
    expect(trucks.length).toBeGreaterThanOrEqual(1);
    for (const t of trucks) {
      expect(t.hub_id).toBe(warehouse.id);
      expect([t.capacity_g, t.capacity_cm3]).toEqual([1_500_000, 14_000_000]);
    }
    for (const h of network.hubs.filter((x) => x.kind === 'township_centre')) {
      const types = rows.vehicles.filter((v) => v.hub_id === h.id).map((v) => v.type);
      expect(types).toContain('van');
      expect(types).toContain('e_tricycle');
    }
    const trike = rows.vehicles.find((v) => v.type === 'e_tricycle')!;
    expect([trike.capacity_g, trike.capacity_cm3, trike.range_m]).toEqual([300_000, 1_500_000, 60_000]);
    expect(rows.vehicles.filter((v) => v.cold_chain === 1).length).toBeGreaterThanOrEqual(1);
    for (const t of network.vehicleTypes) expect(Object.keys(t.sources).length).toBeGreaterThan(0);
  });

  it('lists the nine default couriers', () => {
    expect(network.couriers.map((c) => c.code)).toEqual(['ZTO', 'YTO', 'STO', 'YUNDA', 'JT', 'EMS', 'SF', 'JD', 'DEPPON']);
  });
});

describe('GCJ-02', () => {
  it('round-trips WGS84 → GCJ-02 → WGS84 to well under a centimetre', () => {
    for (const s of network.stations) {
      const back = gcj02ToWgs84(wgs84ToGcj02(s));
      expect(metres(back, s)).toBeLessThan(0.01);
    }
  });

  it('matches the conversion in the facts (定昌镇 seat) to a metre', () => {
    const p = gcj02ToWgs84({ lat: 36.769023, lon: 112.704889 });
    expect(metres(p, { lat: 36.768826, lon: 112.698577 })).toBeLessThan(1);
    // GCJ-02 shifts points here by roughly 500–600 m, mostly east.
    expect(metres(p, { lat: 36.769023, lon: 112.704889 })).toBeGreaterThan(400);
  });
});

describe('township areas', () => {
  it('partition the county: their areas add up to the county area', () => {
    const sum = network.townships.reduce((a, t) => a + t.areaKm2, 0);
    expect(Math.abs(sum - network.county.areaKm2) / network.county.areaKm2).toBeLessThan(0.001);
    expect(network.county.areaKm2).toBeGreaterThan(1300); // FACTS: ~1320 km²
    expect(network.county.areaKm2).toBeLessThan(1340);
  });

  it('contain their own seat', () => {
    for (const f of network.townshipAreas.features) {
      const t = network.townships.find((x) => x.code === f.properties.code)!;
      expect(booleanPointInPolygon(point([t.seat.lon, t.seat.lat]), f)).toBe(true);
      expect(f.properties.estimated).toBe(true);
    }
  });
});
