/**
 * The integer model's rounding guarantees, on random instances and random routes:
 * - double-precision sets: distances round(1000·d) are within half a unit per edge of the
 *   checker's double cost, and travel times ceil(1000·d) make every schedule that is feasible in
 *   the integer model feasible in double precision too (the solver never returns a route the
 *   checker rejects for lateness);
 * - integer conventions (nint, truncated tenths): the integer model and the checker agree exactly,
 *   on cost and on feasibility.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toProblem } from '../../../src/formats/index.ts';
import type { BenchmarkInstance, BenchmarkNode, DistanceConvention } from '../../../src/formats/types.ts';
import { checkSolution } from '../../../src/formats/verify.ts';
import { evaluateOnProblem } from './problem-evaluator.ts';

const customer = fc.record({
  x: fc.integer({ min: 0, max: 60 }),
  y: fc.integer({ min: 0, max: 60 }),
  demand: fc.integer({ min: 1, max: 10 }),
  ready: fc.integer({ min: 0, max: 150 }),
  width: fc.integer({ min: 0, max: 120 }),
  service: fc.integer({ min: 0, max: 10 }),
});

const scenario = fc.record({
  customers: fc.array(customer, { minLength: 1, maxLength: 8 }),
  horizon: fc.integer({ min: 150, max: 400 }),
  // Random assignment of customers to at most 3 routes, in a random order.
  order: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
  split: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 8, maxLength: 8 }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function instanceOf(convention: DistanceConvention, s: Scenario): BenchmarkInstance {
  const nodes: BenchmarkNode[] = [
    { id: 0, x: 30, y: 30, demand: 0, ready: 0, due: s.horizon, service: 0, pickupSibling: 0, deliverySibling: 0 },
    ...s.customers.map((c, i) => ({ id: i + 1, x: c.x, y: c.y, demand: c.demand, ready: c.ready, due: c.ready + c.width, service: c.service, pickupSibling: 0, deliverySibling: 0 })),
  ];
  return {
    name: 'random',
    format: 'solomon',
    convention,
    objective: 'distance',
    depotId: 0,
    nodes,
    capacity: 25,
    fleetSize: 3,
    speed: 1,
    hasTimeWindows: true,
    paired: false,
  };
}

function routesOf(n: number, order: number[], split: number[]): number[][] {
  const ids = Array.from({ length: n }, (_, i) => i + 1).sort((a, b) => order[a - 1]! - order[b - 1]! || a - b);
  const routes: number[][] = [[], [], []];
  for (const id of ids) routes[split[id - 1]!]!.push(id);
  return routes.filter((r) => r.length > 0);
}

describe('integer model built by toProblem', () => {
  it('double precision: integer-feasible implies checker-feasible; cost within half a unit per edge', () => {
    let bothFeasible = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        const instance = instanceOf('exact', s);
        const loaded = toProblem(instance);
        const routes = routesOf(s.customers.length, s.order, s.split);
        const integer = evaluateOnProblem(loaded.problem, routes);
        const check = checkSolution(instance, routes);
        if (integer.feasible) {
          expect(check.violations).toEqual([]);
          bothFeasible++;
        }
        const edges = routes.reduce((sum, r) => sum + r.length + 1, 0);
        expect(Math.abs(integer.distance - 1000 * check.cost)).toBeLessThanOrEqual(0.5 * edges + 1e-6);
      }),
      { numRuns: 300, seed: 42 },
    );
    // The property must not hold vacuously.
    expect(bothFeasible).toBeGreaterThan(10);
  });

  it('double precision, windows closing within thousandths of the arrival: still never optimistic', () => {
    // One route in random order; each due date is the exact double-precision arrival plus a few
    // thousandths either way, so the rounding of travel times decides feasibility.
    const tight = fc.record({
      points: fc.array(fc.record({ x: fc.integer({ min: 0, max: 60 }), y: fc.integer({ min: 0, max: 60 }), service: fc.integer({ min: 0, max: 5 }) }), { minLength: 1, maxLength: 8 }),
      slack: fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 8, maxLength: 8 }),
    });
    let feasible = 0;
    let infeasible = 0;
    fc.assert(
      fc.property(tight, ({ points, slack }) => {
        const depot: BenchmarkNode = { id: 0, x: 30, y: 30, demand: 0, ready: 0, due: 10_000, service: 0, pickupSibling: 0, deliverySibling: 0 };
        const nodes: BenchmarkNode[] = [depot];
        let prev = depot;
        let time = 0;
        points.forEach((p, i) => {
          time += Math.hypot(p.x - prev.x, p.y - prev.y);
          const node = { id: i + 1, x: p.x, y: p.y, demand: 1, ready: 0, due: time + slack[i]! / 2000, service: p.service, pickupSibling: 0, deliverySibling: 0 };
          nodes.push(node);
          time += p.service;
          prev = node;
        });
        const instance: BenchmarkInstance = { name: 'tight', format: 'solomon', convention: 'exact', objective: 'distance', depotId: 0, nodes, capacity: 100, fleetSize: 1, speed: 1, hasTimeWindows: true, paired: false };
        const route = nodes.slice(1).map((n) => n.id);
        const integer = evaluateOnProblem(toProblem(instance).problem, [route]);
        const check = checkSolution(instance, [route], { epsilon: 0 });
        if (integer.feasible) expect(check.violations).toEqual([]);
        if (check.feasible) feasible++;
        else infeasible++;
      }),
      { numRuns: 400, seed: 3 },
    );
    expect(feasible).toBeGreaterThan(10);
    expect(infeasible).toBeGreaterThan(10);
  });

  it.each(['round', 'trunc1'] as const)('%s: the integer model and the checker agree exactly', (convention) => {
    let feasible = 0;
    let infeasible = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        const instance = instanceOf(convention, s);
        const loaded = toProblem(instance);
        const routes = routesOf(s.customers.length, s.order, s.split);
        const integer = evaluateOnProblem(loaded.problem, routes);
        const check = checkSolution(instance, routes);
        expect(integer.feasible).toBe(check.feasible);
        expect(integer.distance).toBe(Math.round(check.cost * loaded.scale));
        if (check.feasible) feasible++;
        else infeasible++;
      }),
      { numRuns: 300, seed: 7 },
    );
    expect(feasible).toBeGreaterThan(10);
    expect(infeasible).toBeGreaterThan(10);
  });
});
