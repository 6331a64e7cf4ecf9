/**
 * Issue 11 item 7: items the plan cannot serve are reported with what would serve them (another
 * cold van, a second trip, a larger vehicle, an earlier line-haul, …), from the real solver's
 * reasons on small village problems.
 */
import { describe, expect, it } from 'vitest';
import { solveVillage } from '../../../src/planning/plan-day.ts';
import { remedyFor } from '../../../src/planning/remedies.ts';
import type { SolveFn, UnassignedItem } from '../../../src/planning/types.ts';
import { solve } from '../../../src/solver/index.ts';
import { day, index, parcel, road } from './fixture.ts';

const solveInline: SolveFn = (problem, budget) => Promise.resolve(solve(problem, { seed: budget.seed, ...(budget.maxIterations !== undefined ? { maxIterations: budget.maxIterations } : {}) }));
const budget = { seed: 3, timeLimitMs: 60_000, maxIterations: 100 };
const noLineHaul = { arrivals: new Map<string, number>(), lost: new Set<string>() };
const many = (prefix: string, n: number, code: string, over: Parameters<typeof parcel>[2]) => Array.from({ length: n }, (_, k) => parcel(`${prefix}${k}`, code, over));
const remediesOf = (items: readonly UnassignedItem[]) => [...new Set(items.map((u) => u.remedy))];

describe('what would serve an item the plan cannot', () => {
  it('another cold van, when the cold-chain van is full', async () => {
    // 2.1 t of cold-chain parcels at one station of A: three van loads, one cold van of one trip.
    const model = day(many('c', 30, 's-a1', { coldChain: true, weightG: 70_000, volumeCm3: 20_000 }));
    const r = await solveVillage(model, index, road, 'A', { arrivals: new Map([['A', 8 * 3600]]), lost: new Set() }, solveInline, budget);
    expect(r.unassigned.length).toBeGreaterThan(0);
    expect(remediesOf(r.unassigned)).toEqual(['another_cold_van']);
  });

  it('a second trip, when a one-trip van is full', async () => {
    // 2.1 t of dry parcels at the county seat: the county's van and cold van (one trip each) take two loads.
    const model = day(many('d', 30, 's-c1', { weightG: 70_000, volumeCm3: 20_000 }));
    const r = await solveVillage(model, index, road, 'C', noLineHaul, solveInline, budget);
    expect(r.unassigned.length).toBeGreaterThan(0);
    expect(remediesOf(r.unassigned)).toEqual(['second_trip']);
  });

  it('an earlier line-haul, when the township’s vans leave after the station closes', async () => {
    // s-a2 closes at 17:00; A's line-haul unloads at 16:10, sorting takes an hour.
    const model = day([parcel('late', 's-a2')]);
    const r = await solveVillage(model, index, road, 'A', { arrivals: new Map([['A', 16 * 3600 + 600]]), lost: new Set() }, solveInline, budget);
    expect(r.unassigned.map((u) => [u.id, u.remedy])).toEqual([['late', 'earlier_line_haul']]);
  });

  it('a larger vehicle, a vehicle at the hub, a correct address, another truck trip', () => {
    expect(remedyFor('capacity', 'village', undefined, undefined, false)).toBe('larger_vehicle');
    expect(remedyFor('max_distance', 'village', undefined, undefined, false)).toBe('larger_vehicle');
    expect(remedyFor('max_duration', 'village', undefined, undefined, false)).toBe('longer_duty');
    expect(remedyFor('no_vehicle', 'village', undefined, undefined, false)).toBe('vehicle_at_hub');
    expect(remedyFor('unknown_station', 'line_haul', undefined, undefined, false)).toBe('station_address');
    expect(remedyFor('no_feasible_route', 'line_haul', undefined, undefined, false)).toBe('another_truck_trip');
  });
});
