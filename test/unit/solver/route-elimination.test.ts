import { describe, expect, it } from 'vitest';
import { loadInstance } from '../../../src/formats/index.ts';
import { compile } from '../../../src/solver/data.ts';
import type { Data } from '../../../src/solver/data.ts';
import { RouteEvaluator } from '../../../src/solver/evaluate.ts';
import type { Problem } from '../../../src/solver/model.ts';
import { eliminateRoutes, eliminationApplies } from '../../../src/solver/route-elimination.ts';
import { Rng } from '../../../src/solver/rng.ts';
import { Sisr } from '../../../src/solver/sisr.ts';
import { solve } from '../../../src/solver/index.ts';
import { job, problem, vehicle } from './helpers.ts';

const FIXED = 1_000_000;

function setup(p: Problem): { data: Data; ev: RouteEvaluator; active: Uint8Array } {
  const data = compile(p);
  return { data, ev: new RouteEvaluator(data), active: new Uint8Array(data.requestCount).fill(1) };
}

const used = (routes: readonly (readonly number[])[]): number => routes.filter((r) => r.length > 0).length;

/** Every route feasible for the exact evaluator and every request served exactly once, shipments on one route, pickup first. */
function expectValid(data: Data, ev: RouteEvaluator, routes: readonly (readonly number[])[]): void {
  const seen = new Int32Array(data.N);
  routes.forEach((route, v) => {
    expect(ev.evaluate(v, route, route.length)).toBeLessThan(Infinity);
    route.forEach((x, k) => {
      seen[x]++;
      const sib = data.sibling[x];
      if (sib >= 0) {
        const at = route.indexOf(sib);
        expect(at).toBeGreaterThanOrEqual(0);
        // Node ids: the pickup is the smaller of the pair.
        expect(x < sib ? k < at : k > at).toBe(true);
      }
    });
  });
  expect(Array.from(seen)).toEqual(new Array(data.N).fill(1));
}

/**
 * Two clusters of three clients, 20 apart, each due by 30 (distance = time): one route can serve a
 * cluster but not both, so the fewest vehicles is exactly 2.
 */
function twoClusters(): Problem {
  const pts = [[0, 0], [10, 0], [11, 0], [12, 0], [-10, 0], [-11, 0], [-12, 0]] as const;
  const jobs = [1, 2, 3, 4, 5, 6].map((l) => job(`c${l}`, l, [1], { timeWindows: [[0, 30]] }));
  return problem(pts, jobs, Array.from({ length: 6 }, (_, i) => vehicle(`v${i}`, [10], { fixedCost: FIXED })));
}

/** Three shipments along a line, capacity 1: only one on board at a time, all in one route (pickup, delivery, next pickup, ...). */
function threeShipments(): Problem {
  const pts = [[0, 0], [10, 0], [20, 0], [30, 0], [40, 0], [50, 0], [60, 0]] as const;
  const shipments = [0, 1, 2].map((i) => ({
    id: `s${i}`,
    amount: [1],
    pickup: { location: 1 + 2 * i, serviceTime: 0, timeWindows: [[0, 1000]] as [number, number][] },
    delivery: { location: 2 + 2 * i, serviceTime: 0, timeWindows: [[0, 1000]] as [number, number][] },
  }));
  return problem(pts, [], Array.from({ length: 3 }, (_, i) => vehicle(`v${i}`, [1], { fixedCost: FIXED })), { shipments });
}

describe('route elimination', () => {
  it('shrinks one route per client to the two routes the windows allow', () => {
    const { data, ev, active } = setup(twoClusters());
    const start = [[0], [1], [2], [3], [4], [5]];
    expect(eliminationApplies(data, ev, active, start)).toBe(true);
    const res = eliminateRoutes(data, ev, new Rng(1), active, start, { maxSteps: 500 });
    expect(used(res.routes)).toBe(2);
    expect(res.removed).toBe(4);
    expectValid(data, ev, res.routes);
    // Each route holds one cluster: jobs 0-2 east, 3-5 west.
    const clusters = res.routes.filter((r) => r.length > 0).map((r) => [...r].sort((a, b) => a - b));
    expect(clusters.sort((a, b) => a[0]! - b[0]!)).toEqual([[0, 1, 2], [3, 4, 5]]);
  });

  it('moves shipments as pairs and keeps the pickup before the delivery', () => {
    const { data, ev, active } = setup(threeShipments());
    // Nodes: pickup 0 / delivery 1 for s0, 2 / 3 for s1, 4 / 5 for s2.
    const start = [[0, 1], [2, 3], [4, 5]];
    const res = eliminateRoutes(data, ev, new Rng(3), active, start, { maxSteps: 500 });
    expect(used(res.routes)).toBe(1);
    expectValid(data, ev, res.routes);
    const route = res.routes.find((r) => r.length > 0)!;
    // Capacity 1: never two shipments on board, so each delivery directly follows its pickup.
    for (let k = 0; k < route.length; k += 2) expect(route[k + 1]).toBe(data.sibling[route[k]!]);
  });

  it('places requests the start leaves out, or returns the start unchanged when the budget ends first', () => {
    const { data, ev, active } = setup(twoClusters());
    const complete = eliminateRoutes(data, ev, new Rng(1), active, [[0, 1], [3, 4], [], [], [], []], { maxSteps: 500 });
    expectValid(data, ev, complete.routes);
    expect(used(complete.routes)).toBe(2);
    // Only used vehicles take requests: the west cluster cannot join the east route, so after
    // the budget the start comes back as it was (nothing served twice).
    const stuck = eliminateRoutes(data, ev, new Rng(2), active, [[0, 1, 2], [], [], [], [], []], { maxSteps: 300 });
    expect(stuck.routes).toEqual([[0, 1, 2], [], [], [], [], []]);
    const none = eliminateRoutes(data, ev, new Rng(1), active, [[0], [1], [2], [3], [4], [5]], { maxSteps: 0 });
    expect(none.routes).toEqual([[0], [1], [2], [3], [4], [5]]);
    expect(none.removed).toBe(0);
  });

  it('never returns an infeasible solution, and the same seed and steps give the same routes (Li & Lim lc102)', async () => {
    const { problem: p } = await loadInstance('test/fixtures/benchmarks/li_lim_100/lc102.txt');
    const { data, ev, active } = setup(p);
    const start = new Sisr(data, ev, new Rng(7), active).construct().routes;
    expectValid(data, ev, start);
    const results = [1, 2].map(() => eliminateRoutes(data, ev, new Rng(5), active, start, { maxSteps: 300 }));
    for (const res of results) expectValid(data, ev, res.routes);
    expect(results[0]!.routes).toEqual(results[1]!.routes);
    expect(results[0]!.steps).toBe(results[1]!.steps);
    expect(used(results[0]!.routes)).toBeLessThan(used(start));
    expect(used(results[0]!.routes)).toBeGreaterThanOrEqual(10); // lc102's best-known fleet
  });

  it('does not apply without a vehicle cost above the driving', () => {
    const p = twoClusters();
    const { data, ev, active } = setup({ ...p, vehicles: p.vehicles.map((v) => ({ ...v, fixedCost: 5 })) });
    expect(eliminationApplies(data, ev, active, [[0], [1], [2], [3], [4], [5]])).toBe(false);
  });

  it('inside solve: a vehicles-first problem with windows ends on the fewest vehicles, reproducibly', () => {
    const p = twoClusters();
    const a = solve(p, { seed: 4, maxIterations: 30, debug: true });
    const b = solve(p, { seed: 4, maxIterations: 30, debug: true });
    expect(a.unassigned).toEqual([]);
    expect(a.routes).toHaveLength(2);
    expect(b).toEqual(a);
  });
});
