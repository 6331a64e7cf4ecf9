import { describe, expect, it } from 'vitest';
import { generateDay } from '../../../src/demo/generate.ts';
import { loadNetwork, networkRows } from '../../../src/network/index.ts';

const rows = networkRows(loadNetwork());
const couriers = rows.couriers.map((c) => c.code);

describe('demo day generator', () => {
  const day = generateDay(rows.stations, couriers, { parcels: 4000, seed: 7, readyDate: '2026-11-29' });
  const all = [...day.parcels.values()].flat();

  it('is deterministic from the seed', () => {
    const again = generateDay(rows.stations, couriers, { parcels: 4000, seed: 7, readyDate: '2026-11-29' });
    expect([...again.parcels.values()].flat()).toEqual(all);
    expect(again.pickups).toEqual(day.pickups);
    const other = generateDay(rows.stations, couriers, { parcels: 4000, seed: 8, readyDate: '2026-11-29' });
    expect([...other.parcels.values()].flat()).not.toEqual(all);
  });

  it('has the requested parcels from at least 8 couriers, ≈8 % pickups and ≈3 % cold chain', () => {
    expect(all).toHaveLength(4000);
    expect([...day.parcels.values()].filter((l) => l.length > 0).length).toBeGreaterThanOrEqual(8);
    expect(day.pickups.length).toBe(320);
    const cold = all.filter((p) => p.coldChain).length / all.length;
    expect(cold).toBeGreaterThan(0.02);
    expect(cold).toBeLessThan(0.04);
    expect(new Set(all.map((p) => p.waybill)).size).toBe(4000);
  });

  it('weights destinations by village size: the county-seat communities get ≈ 44 %', () => {
    const seat = new Set(rows.stations.filter((s) => s.kind === 'community').map((s) => s.code));
    const share = all.filter((p) => 'stationCode' in p.destination && seat.has(p.destination.stationCode)).length / all.length;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.4);
    // pickups are farm produce: villages only
    expect(day.pickups.every((p) => !seat.has(p.body.station.stationCode))).toBe(true);
  });
});
