import { describe, expect, it } from 'vitest';
import { LocalSearch } from '../../../../src/solver/search/local-search.ts';
import { makeSwapStar } from '../../../../src/solver/search/swap-star.ts';
import { lsInstance } from '../helpers.ts';

describe('swap-star', () => {
  // depot (0,0); clients A(0,10)=0, Y(20,20)=1, C(20,10)=2, Z(0,20)=3
  const pts = [[0, 0], [0, 10], [20, 20], [20, 10], [0, 20]] as const;

  function setup(routes: number[][]): LocalSearch {
    const inst = lsInstance(pts, [1, 1, 1, 1], 10);
    const ls = new LocalSearch(inst, routes.length, [], []);
    ls.load(routes);
    return ls;
  }

  it('exchanges clients between two routes, each at its best position, with the exact delta', () => {
    const ls = setup([[0, 1], [2, 3]]);
    // U = 0→A→Y→0 = 10+22+28 = 60, V = 0→C→Z→0 = 22+22+20 = 64
    expect(ls.totalCost()).toBe(124);
    const op = makeSwapStar(4, 2);
    const delta = op.evaluate(ls, 0, 1);
    // U' = 0→A→Z→0 = 40, V' = 0→C→Y→0 = 22+10+28 = 60
    expect(delta).toBe(100 - 124);
    op.apply(ls);
    expect(ls.totalCost()).toBe(100);
    expect(ls.walkCost(0) + ls.walkCost(1)).toBe(100);
    const route = (r: number): number[] => {
      const a: number[] = [];
      for (let x = ls.next[ls.startDepot(r)]!; x < ls.n; x = ls.next[x]!) a.push(x);
      return a;
    };
    // (A,Z | C,Y) — swapping Y↔Z or A↔C gives the same two routes, on either vehicle
    const routes = [route(0), route(1)].map((r) => JSON.stringify(r.slice().sort()));
    expect(routes.sort()).toEqual([JSON.stringify([0, 3]), JSON.stringify([1, 2])]);
  });

  it('finds nothing to improve on an optimal pair of routes', () => {
    const ls = setup([[0, 3], [2, 1]]);
    expect(makeSwapStar(4, 2).evaluate(ls, 0, 1)).toBe(Infinity);
  });
});
