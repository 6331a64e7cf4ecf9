/**
 * The fused pure-capacity pass (search/fast-cvrp.ts) against the operators' own evaluations: from
 * the same start and seed, a local search with it and one without it apply the same moves in the
 * same order and end in the same routes (debug mode re-costs every route after each move).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/solver/rng.ts';
import { LocalSearch } from '../../../../src/solver/search/local-search.ts';
import type { LsInstance } from '../../../../src/solver/search/instance.ts';
import { OPERATORS, ROUTE_OPERATORS } from '../../../../src/solver/search/operators.ts';
import { lsInstance } from '../helpers.ts';
import type { Point } from '../helpers.ts';

function routesOf(ls: LocalSearch): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < ls.R; r++) {
    const a: number[] = [];
    for (let x = ls.next[ls.startDepot(r)]; x < ls.n; x = ls.next[x]) a.push(x);
    out.push(a);
  }
  return out;
}

/** n random clients on a 100×100 grid, demands 1..10, start routes cut from a random order. */
function randomCase(seed: number, n: number, R: number): { inst: LsInstance; routes: number[][] } {
  const rng = new Rng(seed);
  const points: Point[] = [[50, 50]];
  for (let i = 0; i < n; i++) points.push([rng.int(101), rng.int(101)]);
  const demand = Array.from({ length: n }, () => 1 + rng.int(10));
  const total = demand.reduce((s, d) => s + d, 0);
  const inst = lsInstance(points, demand, Math.ceil(total / (R - 2)));
  const order = Array.from({ length: n }, (_, i) => i);
  rng.shuffle(order);
  const used = R - 1 - rng.int(2);
  const routes: number[][] = Array.from({ length: used }, () => []);
  order.forEach((x, i) => routes[i % used].push(x));
  return { inst, routes };
}

function search(inst: LsInstance, R: number, routes: number[][], seed: number, wLoad: number, fused: boolean): { routes: number[][]; moves: number; cost: number } {
  const ls = new LocalSearch(inst, R, OPERATORS(inst.n), ROUTE_OPERATORS(inst, R));
  ls.debug = true;
  ls.fused = fused;
  ls.wLoad = wLoad;
  ls.load(routes);
  ls.run(new Rng(seed));
  return { routes: routesOf(ls), moves: ls.moves, cost: ls.totalCost() };
}

describe('fused pure-capacity pass', () => {
  for (const [seed, wLoad, fixed] of [[1, 1, 0], [2, 0.3, 0], [3, 20, 0], [4, 2.5, 400], [5, 1, 150]] as const) {
    it(`applies the operators' moves (seed ${seed}, load penalty ${wLoad}, fixed cost ${fixed})`, () => {
      const R = 8;
      const { inst, routes } = randomCase(seed, 45, R);
      const withFixed = { ...inst, fixed, trueFixed: fixed };
      const generic = search(withFixed, R, routes, seed, wLoad, false);
      const fused = search(withFixed, R, routes, seed, wLoad, true);
      expect(generic.moves).toBeGreaterThan(10);
      expect(fused).toEqual(generic);
    });
  }
});
