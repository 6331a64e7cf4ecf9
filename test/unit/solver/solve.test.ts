import { describe, expect, it } from 'vitest';
import { solve } from '../../../src/solver/index.ts';
import type { Problem, Solution } from '../../../src/solver/model.ts';
import { job, problem, vehicle } from './helpers.ts';

function jobIds(sol: Solution, vehicleId: string): string[] {
  const r = sol.routes.find((x) => x.vehicleId === vehicleId);
  return r ? r.steps.filter((s) => s.id !== undefined).map((s) => s.id!) : [];
}

function served(sol: Solution): string[] {
  return sol.routes.flatMap((r) => r.steps.filter((s) => s.type === 'job' || s.type === 'pickup').map((s) => s.id!)).sort();
}

// Two clusters: west (-10..-12, 0) and east (10..12, 0); depot at origin.
const pts = [[0, 0], [-10, 0], [-11, 1], [-12, 0], [10, 0], [11, 1], [12, 0]] as const;
const cvrp: Problem = problem(pts, [1, 2, 3, 4, 5, 6].map((l) => job(`c${l}`, l, [1])), [vehicle('v1', [3]), vehicle('v2', [3]), vehicle('v3', [3])]);

describe('solve', () => {
  it('finds the obvious two-cluster optimum of a small CVRP (HGS path, debug invariant on)', () => {
    const sol = solve(cvrp, { seed: 1, maxIterations: 30, debug: true });
    expect(sol.unassigned).toEqual([]);
    expect(sol.routes).toHaveLength(2);
    // each cluster: 10 + 1 + 1 + 1 + 12 rounded legs: 0→10→(11,1)→12→0 = 10+1+1+12 = 24
    expect(sol.cost).toBe(48);
  });

  it('is deterministic for a seed and iteration budget', () => {
    const a = solve(cvrp, { seed: 7, maxIterations: 20 });
    const b = solve(cvrp, { seed: 7, maxIterations: 20 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('reports every unserviceable mandatory job with its reason', () => {
    const p = problem([[0, 0], [10, 0], [200, 0]], [
      job('ok', 1, [1]),
      job('cold', 1, [1], { skills: ['cold_chain'] }),
      job('heavy', 1, [50]),
      job('too-late', 1, [1], { timeWindows: [[0, 5]] }),
      job('far', 2, [1]),
    ], [vehicle('ev', [10], { maxDistance: 100 })]);
    const sol = solve(p, { seed: 1, maxIterations: 10 });
    expect(served(sol)).toEqual(['ok']);
    const reasons = Object.fromEntries(sol.unassigned.map((u) => [u.id, u.reason]));
    expect(reasons).toEqual({ cold: 'skill', heavy: 'capacity', 'too-late': 'time_window', far: 'max_distance' });
  });

  it('reports a job that fits alone but not with the others as no_feasible_route, never drops it', () => {
    const p = problem([[0, 0], [10, 0], [-10, 0]], [job('a', 1, [1], { timeWindows: [[10, 10]] }), job('b', 2, [1], { timeWindows: [[10, 10]] })],
      [vehicle('only', [5])]);
    const sol = solve(p, { seed: 1, maxIterations: 20 });
    expect(sol.routes).toHaveLength(1);
    expect(sol.unassigned).toHaveLength(1);
    expect(sol.unassigned[0]!.reason).toBe('no_feasible_route');
  });

  it('leaves jobs unassigned with a reason when the whole fleet cannot carry the demand', () => {
    // Pure CVRP (the HGS shape) with one vehicle of capacity 10 and 4 jobs of 4: at most two fit.
    const p = problem([[0, 0], [10, 0], [11, 0], [12, 0], [13, 0]],
      [job('a', 1, [4]), job('b', 2, [4]), job('c', 3, [4]), job('d', 4, [4])], [vehicle('only', [10])]);
    const sol = solve(p, { seed: 1, maxIterations: 50 });
    expect(sol.routes).toHaveLength(1);
    expect(served(sol)).toHaveLength(2);
    expect(sol.unassigned).toHaveLength(2);
    for (const u of sol.unassigned) expect(u.reason).toBe('no_feasible_route');
  });

  it('serves an optional job only when its prize beats the detour', () => {
    const base = [job('near', 1, [1])];
    const far = (penalty: number) => job('far', 2, [1], { penalty });
    const pts2 = [[0, 0], [10, 0], [0, 100]] as const;
    const cheap = solve(problem(pts2, [...base, far(50)], [vehicle('v', [5])]), { seed: 1, maxIterations: 50, debug: true });
    expect(served(cheap)).toEqual(['near']);
    expect(cheap.unassigned).toEqual([{ id: 'far', kind: 'job', reason: 'not_worth_it' }]);
    expect(cheap.cost).toBe(20 + 50);
    const dear = solve(problem(pts2, [...base, far(1000)], [vehicle('v', [5])]), { seed: 1, maxIterations: 50, debug: true });
    expect(served(dear)).toEqual(['far', 'near']);
  });

  it('puts cold-chain jobs on the cold-chain van of a mixed fleet', () => {
    const p = problem(pts, [job('ice', 1, [1], { skills: ['cold_chain'] }), job('box', 4, [1])],
      [vehicle('cold', [5], { skills: ['cold_chain'], startLocation: 0, endLocation: 0 }), vehicle('plain', [5], { fixedCost: 0 })]);
    const sol = solve(p, { seed: 1, maxIterations: 50, debug: true });
    expect(sol.unassigned).toEqual([]);
    expect(jobIds(sol, 'cold')).toContain('ice');
  });

  it('uses several trips with reloads when one load is not enough', () => {
    const p = problem(pts, [1, 2, 3, 4].map((l) => job(`j${l}`, l, [2])), [vehicle('van', [4], { maxTrips: 2, reloadTime: 5 })]);
    const sol = solve(p, { seed: 1, maxIterations: 100, debug: true });
    expect(sol.unassigned).toEqual([]);
    const steps = sol.routes[0]!.steps;
    expect(steps.filter((s) => s.type === 'reload')).toHaveLength(1);
    for (const s of steps) expect(s.load[0]).toBeLessThanOrEqual(4);
  });

  it('chooses among several windows per job and respects a release time', () => {
    const p = problem(pts, [job('a', 1, [1], { timeWindows: [[0, 5], [100, 120]] }), job('b', 4, [1], { timeWindows: [[150, 160], [300, 400]] })],
      [vehicle('van', [5], { releaseTime: 50, shift: [0, 1000] })]);
    const sol = solve(p, { seed: 1, maxIterations: 50, debug: true });
    expect(sol.unassigned).toEqual([]);
    const steps = sol.routes[0]!.steps;
    expect(steps[0]!.departure).toBeGreaterThanOrEqual(50);
    const a = steps.find((s) => s.id === 'a')!;
    const b = steps.find((s) => s.id === 'b')!;
    expect(a.serviceStart).toBeGreaterThanOrEqual(100);
    expect(a.serviceStart).toBeLessThanOrEqual(120);
    expect(b.serviceStart).toBeGreaterThanOrEqual(150);
    expect(b.serviceStart).toBeLessThanOrEqual(160);
  });

  it('serves shipments with pickup before delivery on the same route', () => {
    const p = problem(pts, [], [vehicle('v1', [2]), vehicle('v2', [2])], {
      shipments: [
        { id: 's1', amount: [2], pickup: { location: 1, serviceTime: 0 }, delivery: { location: 3, serviceTime: 0 } },
        { id: 's2', amount: [2], pickup: { location: 4, serviceTime: 0 }, delivery: { location: 6, serviceTime: 0 } },
        { id: 's3', amount: [1], pickup: { location: 2, serviceTime: 0 }, delivery: { location: 5, serviceTime: 0 } },
      ],
    });
    const sol = solve(p, { seed: 1, maxIterations: 200, debug: true });
    expect(sol.unassigned).toEqual([]);
    for (const r of sol.routes) {
      const seen = new Set<string>();
      for (const s of r.steps) {
        if (s.type === 'pickup') seen.add(s.id!);
        if (s.type === 'delivery') expect(seen.has(s.id!)).toBe(true);
        expect(s.load[0]).toBeLessThanOrEqual(2);
      }
    }
    expect(sol.routes.flatMap((r) => r.steps.filter((s) => s.type === 'delivery'))).toHaveLength(3);
  });

  it('respects max stops per route', () => {
    const p = problem(pts, [1, 2, 3].map((l) => job(`j${l}`, l, [1])), [vehicle('a', [10], { maxStops: 2 }), vehicle('b', [10], { maxStops: 2 })]);
    const sol = solve(p, { seed: 1, maxIterations: 30, debug: true });
    expect(sol.unassigned).toEqual([]);
    for (const r of sol.routes) expect(r.steps.filter((s) => s.type === 'job').length).toBeLessThanOrEqual(2);
  });

  it('returns an empty solution for an empty problem', () => {
    const sol = solve(problem(pts, [], [vehicle('v', [1])]), { seed: 1, maxIterations: 5 });
    expect(sol).toEqual({ cost: 0, routes: [], unassigned: [], iterations: 0 });
  });
});

describe('solve with a heterogeneous fleet', () => {
  it('uses each vehicle from its own depot, with its own profile and costs', () => {
    // locations: 0 west depot (-100,0), 1 east depot (100,0), 2 near west (-90,0), 3 near east (90,0)
    const pts2 = [[-100, 0], [100, 0], [-90, 0], [90, 0]] as const;
    const base = problem(pts2, [job('w', 2, [1]), job('e', 3, [1])], [
      vehicle('west', [5], { startLocation: 0, endLocation: 0, costPerDistance: 1 }),
      vehicle('east', [5], { startLocation: 1, endLocation: 1, costPerDistance: 1, profile: 1 }),
    ]);
    const slow = base.profiles[0]!;
    const doubled = { distance: slow.distance.map((d) => 2 * d), duration: slow.duration.map((d) => 2 * d) };
    const p: Problem = { ...base, profiles: [slow, doubled] };
    const sol = solve(p, { seed: 1, maxIterations: 100, debug: true });
    expect(sol.unassigned).toEqual([]);
    expect(jobIds(sol, 'west')).toEqual(['w']);
    expect(jobIds(sol, 'east')).toEqual(['e']);
    // west: 10 + 10; east on the doubled profile: 20 + 20
    expect(sol.cost).toBe(20 + 40);
    const east = sol.routes.find((r) => r.vehicleId === 'east')!;
    expect(east.steps[0]!.location).toBe(1);
    expect(east.distance).toBe(40);
  });

  it('reports max_duration when no shift is long enough for a job alone', () => {
    const p = problem([[0, 0], [50, 0]], [job('far', 1, [1], { serviceTime: 10 })], [vehicle('short', [5], { maxDuration: 100 })]);
    const sol = solve(p, { seed: 1, maxIterations: 5 });
    expect(sol.unassigned).toEqual([{ id: 'far', kind: 'job', reason: 'max_duration' }]);
  });
});
