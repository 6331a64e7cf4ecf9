/** SWAP* with relocations (HGS-CVRP): one client alone may move to its best place in the other route. */
import { describe, expect, it } from 'vitest';
import { LocalSearch } from '../../../../src/solver/search/local-search.ts';
import { makeSwapStar } from '../../../../src/solver/search/swap-star.ts';
import { lsInstance } from '../helpers.ts';

describe('swap-star with relocations', () => {
  // depot (0,0); clients A(0,10)=0, Y(20,20)=1, C(20,10)=2, Z(0,20)=3
  const pts = [[0, 0], [0, 10], [20, 20], [20, 10], [0, 20]] as const;

  function setup(routes: number[][], cap = 10): LocalSearch {
    const ls = new LocalSearch(lsInstance(pts, [1, 1, 1, 1], cap), routes.length, [], []);
    ls.load(routes);
    return ls;
  }

  function route(ls: LocalSearch, r: number): number[] {
    const a: number[] = [];
    for (let x = ls.next[ls.startDepot(r)]!; x < ls.n; x = ls.next[x]!) a.push(x);
    return a;
  }

  it('moves one client to its best place in the other route, with the exact delta', () => {
    // U = 0→A→Z→0 = 10+10+20 = 40, V = 0→C→Y→0 = 22+10+28 = 60; no swap improves (see
    // swap-star.test.ts), but Z after Y gives U' = 0→A→0 = 20 and V' = 0→C→Y→Z→0 = 22+10+20+20 = 72
    const ls = setup([[0, 3], [2, 1]]);
    expect(ls.totalCost()).toBe(100);
    const op = makeSwapStar(4, 2, true);
    expect(op.evaluate(ls, 0, 1)).toBe(92 - 100);
    op.apply(ls);
    expect(route(ls, 0)).toEqual([0]);
    expect(route(ls, 1)).toEqual([2, 1, 3]);
    expect(ls.totalCost()).toBe(92);
    expect(ls.walkCost(0) + ls.walkCost(1)).toBe(92);
  });

  it('does not relocate into an overloaded route when the load penalty outweighs the distance', () => {
    // capacity 2: V' would carry 3 units; with wLoad = 1 the excess costs 1 < 8 saved, with 100 it does not pay
    const ls = setup([[0, 3], [2, 1]], 2);
    const op = makeSwapStar(4, 2, true);
    expect(op.evaluate(ls, 0, 1)).toBe(92 + 1 - 100);
    ls.setPenalties(100, 1);
    expect(op.evaluate(ls, 0, 1)).toBe(Infinity);
  });

  it('without relocations keeps to exchanges', () => {
    const ls = setup([[0, 3], [2, 1]]);
    expect(makeSwapStar(4, 2).evaluate(ls, 0, 1)).toBe(Infinity);
  });
});
