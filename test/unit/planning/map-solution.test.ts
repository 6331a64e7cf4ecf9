import { describe, expect, it } from 'vitest';
import { buildVillage } from '../../../src/planning/build-problems.ts';
import { lineHaulArrivals, mapSolution, routeCostFen } from '../../../src/planning/map-solution.ts';
import { dedupeUnassigned, releaseTime } from '../../../src/planning/plan-day.ts';
import type { Solution } from '../../../src/solver/model.ts';
import { day, index, parcel, pickup, road, vehicle } from './fixture.ts';

const d = day([parcel('p1', 's-a1'), parcel('p2', 's-a1'), parcel('p3', 's-a2'), parcel('p6', 's-a1', { coldChain: true })], [pickup('k1', 's-a2')]);
const build = buildVillage(d, index, road, 'A', { releaseS: 9 * 3600 });

// A hand-written solution in the solver's output shape (the mapping is under test, not a solver).
const solution: Solution = {
  cost: 0,
  iterations: 0,
  routes: [
    {
      vehicleId: 'a-trike',
      distance: 12_000,
      duration: 5_400,
      cost: 0,
      steps: [
        { type: 'start', location: 0, arrival: 32_400, serviceStart: 32_400, departure: 32_400, load: [2400, 16000, 2] },
        { type: 'job', id: 'v:s-a1:dry:0', location: 1, arrival: 33_000, serviceStart: 33_000, departure: 33_200, load: [0, 0, 0] },
        { type: 'reload', location: 0, arrival: 33_800, serviceStart: 33_800, departure: 34_700, load: [1200, 8000, 1] },
        { type: 'job', id: 'v:s-a2:dry:0', location: 2, arrival: 35_000, serviceStart: 35_000, departure: 35_300, load: [5000, 20000, 2] },
        { type: 'end', location: 0, arrival: 37_800, serviceStart: 37_800, departure: 37_800, load: [5000, 20000, 2] },
      ],
    },
    { vehicleId: 'a-van', distance: 0, duration: 0, cost: 0, steps: [] },
  ],
  unassigned: [{ id: 'v:s-a1:cold:0', kind: 'job', reason: 'time_window' }],
};

describe('mapping a solution to routes and stops', () => {
  const result = mapSolution(build, solution);

  it('keeps only used vehicles and numbers stops and trips', () => {
    expect(result.routes).toHaveLength(1);
    const r = result.routes[0]!;
    expect(r.vehicleId).toBe('a-trike');
    expect(r.vehicleType).toBe('e_tricycle');
    expect(r.tier).toBe('village');
    expect(r.trips).toBe(2);
    expect(r.stops.map((s) => [s.seq, s.kind, s.stationCode ?? s.hubId, s.trip])).toEqual([
      [0, 'start', 'A', 1],
      [1, 'station', 's-a1', 1],
      [2, 'reload', 'A', 2],
      [3, 'station', 's-a2', 2],
      [4, 'end', 'A', 2],
    ]);
    expect(r.startS).toBe(32_400);
    expect(r.endS).toBe(37_800);
    expect(r.durationS).toBe(5_400);
  });

  it('assigns every parcel and pickup of a visit to its stop, with ETAs', () => {
    const r = result.routes[0]!;
    expect(r.stops[1]!.parcelIds).toEqual(['p1', 'p2']);
    expect(r.stops[1]!.arrivalS).toBe(33_000);
    expect(r.stops[3]!.parcelIds).toEqual(['p3']);
    expect(r.stops[3]!.pickupIds).toEqual(['k1']);
    expect(r.stops[3]!.pickupCount).toBe(1);
    expect(r.peakLoad).toEqual([5000, 20000, 2]);
    expect(r.capacity[0]).toBe(300_000);
  });

  it('reports every item of an unassigned visit with the solver reason and what would serve it', () => {
    expect(result.unassigned).toEqual([{ kind: 'parcel', id: 'p6', stationCode: 's-a1', tier: 'village', reason: 'time_window', remedy: 'longer_duty' }]);
  });

  it('merges consecutive visits to one station into one stop', () => {
    const merged = mapSolution(build, {
      ...solution,
      routes: [
        {
          vehicleId: 'a-cold',
          distance: 1,
          duration: 1,
          cost: 0,
          steps: [
            { type: 'start', location: 0, arrival: 0, serviceStart: 0, departure: 100, load: [3600, 24000, 3] },
            { type: 'job', id: 'v:s-a1:dry:0', location: 1, arrival: 200, serviceStart: 200, departure: 300, load: [1200, 8000, 1] },
            { type: 'job', id: 'v:s-a1:cold:0', location: 1, arrival: 300, serviceStart: 300, departure: 400, load: [0, 0, 0] },
            { type: 'end', location: 0, arrival: 500, serviceStart: 500, departure: 500, load: [0, 0, 0] },
          ],
        },
      ],
      unassigned: [],
    });
    const stops = merged.routes[0]!.stops;
    expect(stops).toHaveLength(3);
    expect(stops[1]!.parcelIds).toEqual(['p1', 'p2', 'p6']);
    expect(stops[1]!.departureS).toBe(400);
  });

  it('rejects a solution naming a job the problem does not have', () => {
    expect(() => mapSolution(build, { ...solution, unassigned: [{ id: 'ghost', kind: 'job', reason: 'capacity' }] })).toThrow(/ghost/);
  });
});

describe('line-haul arrivals and release times', () => {
  it('takes the last unloading at each centre and adds sorting time', () => {
    const lh = {
      routes: [
        {
          tier: 'line_haul' as const,
          hubId: 'C',
          vehicleId: 'truck-1',
          vehicleType: 'line_haul_truck',
          trips: 1,
          distanceM: 0,
          durationS: 0,
          costFen: 0,
          startS: 0,
          endS: 0,
          peakLoad: [0, 0, 0] as [number, number, number],
          capacity: [0, 0, 0] as [number, number, number],
          stops: [
            { seq: 1, kind: 'hub' as const, stationCode: null, hubId: 'A', trip: 1, arrivalS: 27_000, serviceStartS: 27_000, departureS: 27_600, parcelIds: [], pickupIds: [], deliverCount: 0, pickupCount: 0, load: [0, 0, 0] as [number, number, number] },
            { seq: 2, kind: 'hub' as const, stationCode: null, hubId: 'A', trip: 2, arrivalS: 30_000, serviceStartS: 30_000, departureS: 30_600, parcelIds: [], pickupIds: [], deliverCount: 0, pickupCount: 0, load: [0, 0, 0] as [number, number, number] },
          ],
        },
      ],
      unassigned: [],
    };
    const arrivals = lineHaulArrivals(lh);
    expect(arrivals.get('A')).toBe(30_600);
    expect(releaseTime(d, index, 'A', arrivals)).toBe(30_600 + 3600);
    expect(releaseTime(d, index, 'C', arrivals)).toBe(6 * 3600 + 3600);
    expect(releaseTime(d, index, 'B', arrivals)).toBe(7 * 3600);
  });

  it('reports an item lost on the line-haul once, with the line-haul reason', () => {
    const out = dedupeUnassigned([
      { kind: 'parcel', id: 'p1', stationCode: 's-a1', tier: 'line_haul', reason: 'capacity' },
      { kind: 'parcel', id: 'p1', stationCode: 's-a1', tier: 'village', reason: 'time_window' },
    ]);
    expect(out).toEqual([{ kind: 'parcel', id: 'p1', stationCode: 's-a1', tier: 'line_haul', reason: 'line_haul_capacity' }]);
  });
});

describe('route cost', () => {
  it('adds fixed, per-km and per-hour costs in fen', () => {
    expect(routeCostFen(vehicle('x', 'A', 'van'), 20_000, 7_200)).toBe(10_000 + 2_000 + 6_000);
  });
});
