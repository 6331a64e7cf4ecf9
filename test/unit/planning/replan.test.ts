import { describe, expect, it } from 'vitest';
import { buildVillage } from '../../../src/planning/build-problems.ts';
import { replanVillage } from '../../../src/planning/plan-day.ts';
import { DEPOT_SKILL, lockStartedWork, reuseStopIds, vehicleSkill, type PreviousRoute, type PreviousStop } from '../../../src/planning/replan.ts';
import type { SolveFn } from '../../../src/planning/types.ts';
import { solve } from '../../../src/solver/index.ts';
import { indexNetwork } from '../../../src/planning/network-index.ts';
import { day, index, network, parcel, pickup, road } from './fixture.ts';

const inline: SolveFn = async (problem, budget) => solve(problem, { seed: budget.seed, maxIterations: budget.maxIterations ?? 200 });
const budget = { seed: 1, timeLimitMs: 1000, maxIterations: 200 };

const stop = (seq: number, over: Partial<PreviousStop>): PreviousStop => ({
  stopId: `stop-${seq}`,
  seq,
  kind: 'station',
  stationCode: null,
  hubId: null,
  trip: 1,
  arrivalS: 8 * 3600 + seq * 1800,
  departureS: 8 * 3600 + seq * 1800 + 600,
  parcelIds: [],
  pickupIds: [],
  lastEventS: null,
  ...over,
});

/** a-van: hub A → s-a1 (visited at 09:30, p1 p2 delivered, produce k1 collected) → s-a2 (p3) → A. */
const vanRoute = (lastEventS: number | null = 9.5 * 3600): PreviousRoute => ({
  routeId: 'route-van',
  tier: 'village',
  hubId: 'A',
  vehicleId: 'a-van',
  stops: [
    stop(0, { kind: 'start', hubId: 'A' }),
    stop(1, { stationCode: 's-a1', parcelIds: ['p1', 'p2'], pickupIds: ['k1'], lastEventS }),
    stop(2, { stationCode: 's-a2', parcelIds: ['p3'], pickupIds: ['k2'] }),
    stop(3, { kind: 'end', hubId: 'A' }),
  ],
});
/** a-trike: not started, p4 at s-a2. */
const trikeRoute: PreviousRoute = {
  routeId: 'route-trike',
  tier: 'village',
  hubId: 'A',
  vehicleId: 'a-trike',
  stops: [stop(0, { kind: 'start', hubId: 'A' }), stop(1, { stationCode: 's-a2', parcelIds: ['p4'] }), stop(2, { kind: 'end', hubId: 'A' })],
};

describe('locking started work', () => {
  it('keeps a started route up to its last event, puts its unvisited parcels on board and releases unstarted routes', () => {
    const locks = lockStartedWork([vanRoute(), trikeRoute], new Set());
    expect(locks.locked).toHaveLength(1);
    const van = locks.locked[0]!;
    expect(van.prefix.map((s) => s.stopId)).toEqual(['stop-0', 'stop-1']);
    expect(van.unvisited.map((s) => s.stopId)).toEqual(['stop-2', 'stop-3']);
    expect(van.resume).toEqual({ location: { kind: 'station', code: 's-a1' }, atS: 9.5 * 3600, trip: 1 });
    expect(van.onBoardParcelIds).toEqual(['p3']);
    expect(van.collectedPickupIds).toEqual(['k1']);
    // Unvisited produce is not on board: anyone passing may collect it.
    expect(locks.releasedPickupIds).toEqual(['k2']);
    expect(locks.releasedParcelIds).toEqual(['p4']);
    expect(locks.unstartedRouteIds).toEqual(['route-trike']);
    expect([...locks.busyVehicleIds]).toEqual(['a-van']);
  });

  it('resumes at the latest event of the prefix, even one reported late for an earlier stop', () => {
    const route = vanRoute();
    const stops = route.stops.map((s) => (s.seq === 0 ? { ...s, lastEventS: 10 * 3600 } : s));
    expect(lockStartedWork([{ ...route, stops }], new Set()).locked[0]!.resume.atS).toBe(10 * 3600);
  });

  it('releases a broken-down vehicle’s unvisited parcels and keeps it busy', () => {
    const locks = lockStartedWork([vanRoute(), trikeRoute], new Set(['a-van', 'a-cold']));
    expect(locks.locked[0]!.brokenDown).toBe(true);
    expect(locks.locked[0]!.onBoardParcelIds).toEqual([]);
    expect([...locks.releasedParcelIds].sort()).toEqual(['p3', 'p4']);
    expect([...locks.busyVehicleIds].sort()).toEqual(['a-cold', 'a-van']);
  });
});

describe('the village problem around vehicles under way', () => {
  const started = [{ vehicleId: 'a-van', location: { kind: 'station' as const, code: 's-a1' }, atS: 9.5 * 3600, onBoardParcelIds: ['p3'], collected: [5_000, 20_000, 2] as [number, number, number], drivenM: 10_000 }];
  const d = day([parcel('p3', 's-a2'), parcel('p4', 's-a2'), parcel('p9', 's-a1')], [pickup('k2', 's-a2')]);
  const build = buildVillage(d, index, road, 'A', { releaseS: 8 * 3600, replan: { started, busyVehicleIds: new Set(['a-van']), notBeforeS: 9 * 3600 } });

  it('starts the vehicle under way at its current stop and time, with what is left of its capacity and range', () => {
    const van = build.problem.vehicles.find((v) => v.id === 'a-van')!;
    expect(build.locations[van.startLocation]).toEqual({ kind: 'station', code: 's-a1' });
    expect(van.endLocation).toBe(0);
    expect(van.releaseTime).toBe(9.5 * 3600);
    expect(van.capacity).toEqual([700_000 - 5_000, 4_000_000 - 20_000, 1_000_000 - 2]);
    expect(van.maxDistance).toBe(120_000 - 10_000);
    expect(van.maxTrips).toBe(1);
    expect(van.fixedCost).toBe(0);
    expect(van.skills).toEqual([vehicleSkill('a-van')]);
  });

  it('pins on-board parcels to their vehicle and sends hub parcels only with vehicles still at the hub', () => {
    const byId = new Map(build.problem.jobs.map((j) => [j.id, j]));
    const onBoard = [...build.jobs.entries()].find(([, c]) => c.parcelIds.includes('p3'))![0];
    expect(byId.get(onBoard)!.skills).toEqual([vehicleSkill('a-van')]);
    const atHub = [...build.jobs.entries()].find(([, c]) => c.parcelIds.includes('p4'))![0];
    expect(byId.get(atHub)!.skills).toEqual([DEPOT_SKILL]);
    const fresh = build.problem.vehicles.filter((v) => v.id !== 'a-van');
    expect(fresh.map((v) => v.id).sort()).toEqual(['a-cold', 'a-trike']);
    for (const v of fresh) {
      expect(v.skills).toContain(DEPOT_SKILL);
      expect(v.releaseTime).toBe(9 * 3600);
    }
  });
});

describe('re-planning a hub', () => {
  const loadOf = () => [5_000, 20_000, 2] as [number, number, number];

  it('continues the started route from its last stop and gives late parcels to vehicles at the hub', async () => {
    const locks = lockStartedWork([vanRoute(), trikeRoute], new Set());
    // The day now: p3 on board, p4 released, p9 a late parcel; k2 released produce.
    const d = day([parcel('p3', 's-a2'), parcel('p4', 's-a2'), parcel('p9', 's-a1')], [pickup('k2', 's-a2')]);
    const result = await replanVillage(d, index, road, 'A', { arrivals: new Map(), lost: new Set() }, { ...locks, loadOf }, inline, budget);
    expect(result.unassigned).toEqual([]);
    expect(result.continued).toHaveLength(1);
    const van = result.continued[0]!;
    expect(van.routeId).toBe('route-van');
    expect(van.keptStopIds).toEqual(['stop-0', 'stop-1']);
    expect(van.stops[0]!.seq).toBe(2);
    expect(van.stops.every((s) => s.arrivalS >= 9.5 * 3600)).toBe(true);
    const vanParcels = van.stops.flatMap((s) => s.parcelIds);
    expect(vanParcels).toContain('p3');
    expect(vanParcels).not.toContain('p4');
    expect(vanParcels).not.toContain('p9');
    expect(van.stops[van.stops.length - 1]!.kind).toBe('end');
    const freshParcels = result.routes.flatMap((r) => r.stops.flatMap((s) => s.parcelIds)).sort();
    expect(freshParcels).toEqual(['p4', 'p9']);
    expect(result.routes.every((r) => r.vehicleId !== 'a-van')).toBe(true);
  });

  it('moves a broken-down vehicle’s remaining parcels to the others and ends its route where it stopped', async () => {
    const locks = lockStartedWork([vanRoute(), trikeRoute], new Set(['a-van']));
    const d = day([parcel('p3', 's-a2'), parcel('p4', 's-a2')]);
    const result = await replanVillage(d, index, road, 'A', { arrivals: new Map(), lost: new Set() }, { ...locks, loadOf }, inline, budget);
    const van = result.continued[0]!;
    expect(van.stops).toEqual([]);
    expect(van.endS).toBe(9.5 * 3600);
    expect(result.routes.flatMap((r) => r.stops.flatMap((s) => s.parcelIds)).sort()).toEqual(['p3', 'p4']);
    expect(result.routes.map((r) => r.vehicleId)).not.toContain('a-van');
  });

  it('counts the parcels a started van did not hand over (a failure, a return) as on board: no produce beyond the room they leave', async () => {
    // 680 kg of p2 failed at s-a1 and rides back to the hub; 30 kg of produce waits at s-a2.
    const loads: Record<string, [number, number, number]> = { k1: [5_000, 20_000, 2], p2: [680_000, 400_000, 1] };
    const heavyLoadOf = (id: string) => loads[id] ?? ([0, 0, 0] as [number, number, number]);
    const d = day([parcel('p3', 's-a2')], [pickup('k2', 's-a2', { weightG: 30_000, volumeCm3: 60_000, pieces: 3 })]);
    const collectsAt = async (carriedBack: readonly string[]) => {
      const locks = lockStartedWork([vanRoute(), trikeRoute], new Set());
      const locked = locks.locked.map((l) => ({ ...l, carriedBackParcelIds: carriedBack }));
      const result = await replanVillage(d, index, road, 'A', { arrivals: new Map(), lost: new Set() }, { ...locks, locked, loadOf: heavyLoadOf }, inline, budget);
      expect(result.continued[0]!.stops.flatMap((s) => s.parcelIds)).toContain('p3');
      return result.continued[0]!.stops.flatMap((s) => s.pickupIds);
    };
    // Passing s-a2 anyway, the van collects the produce there when it has the room...
    expect(await collectsAt([])).toContain('k2');
    // ...and not with p2 still on board (700 kg van: 15 kg left).
    expect(await collectsAt(['p2'])).not.toContain('k2');
  });

  it('sends a van under way with a trip left home to reload and take what the others cannot carry', async () => {
    // The van may drive two trips; 20 late parcels of 100 kg at s-a2 weigh more than the hub's
    // tricycle (3 × 300 kg) and cold van (700 kg) carry.
    const twoTrips = indexNetwork({ ...network, vehicles: network.vehicles.map((v) => (v.id === 'a-van' ? { ...v, max_trips: 2 } : v)) });
    const late = Array.from({ length: 20 }, (_, k) => parcel(`late${k}`, 's-a2', { weightG: 100_000, volumeCm3: 100_000 }));
    const d = day([parcel('p3', 's-a2'), ...late]);
    const run = async (idx: typeof index) => {
      const locks = lockStartedWork([vanRoute(), trikeRoute], new Set());
      return replanVillage(d, idx, road, 'A', { arrivals: new Map(), lost: new Set() }, { ...locks, loadOf }, inline, budget);
    };
    const oneTrip = await run(index);
    expect(oneTrip.unassigned.length).toBeGreaterThan(0);
    const result = await run(twoTrips);
    expect(result.unassigned.length).toBeLessThan(oneTrip.unassigned.length);
    const van = result.continued[0]!;
    expect(van.keptStopIds).toEqual(['stop-0', 'stop-1']);
    // On board first (p3), home to reload, then late parcels; seq and trips numbered on.
    const reload = van.stops.findIndex((s) => s.kind === 'reload');
    expect(reload).toBeGreaterThan(0);
    expect(van.stops[reload]!.hubId).toBe('A');
    expect(van.stops.slice(0, reload).flatMap((s) => s.parcelIds)).toContain('p3');
    expect(van.stops.slice(reload + 1).flatMap((s) => s.parcelIds).every((id) => id.startsWith('late'))).toBe(true);
    expect(van.stops.slice(reload + 1).flatMap((s) => s.parcelIds).length).toBeGreaterThan(0);
    expect(van.stops.map((s) => s.seq)).toEqual(van.stops.map((_, k) => 2 + k));
    expect(van.trips).toBe(2);
    expect(van.stops[reload + 1]!.arrivalS).toBeGreaterThanOrEqual(van.stops[reload]!.arrivalS + 900);
    // Nobody delivers a parcel twice.
    const all = [...van.stops, ...result.routes.flatMap((r) => r.stops)].flatMap((s) => s.parcelIds);
    expect(new Set(all).size).toBe(all.length);
  });

  it('sends a started vehicle with nothing left back to its hub', async () => {
    const route = vanRoute();
    const stops = route.stops.map((s) => (s.seq === 2 ? { ...s, parcelIds: [], pickupIds: [] } : s));
    const locks = lockStartedWork([{ ...route, stops }], new Set());
    const result = await replanVillage(day([]), index, road, 'A', { arrivals: new Map(), lost: new Set() }, { ...locks, loadOf }, inline, budget);
    const van = result.continued[0]!;
    expect(van.stops.map((s) => [s.seq, s.kind, s.hubId])).toEqual([[2, 'end', 'A']]);
    expect(van.endS).toBeGreaterThan(9.5 * 3600);
  });
});

describe('stop ids of a continued route', () => {
  it('reuses a replaced stop’s id for the new stop at the same station', () => {
    let n = 0;
    const ids = reuseStopIds(
      [stop(2, { stationCode: 's-a2' }), stop(3, { kind: 'end', hubId: 'A' })],
      [{ stationCode: 's-a1' }, { stationCode: 's-a2' }, { stationCode: null }],
      () => `new-${++n}`,
    );
    expect(ids).toEqual(['new-1', 'stop-2', 'new-2']);
  });
});
