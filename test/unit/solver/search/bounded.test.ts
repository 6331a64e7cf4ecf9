/**
 * Bounded evaluation (LocalSearch.bounded, set inside run): a move whose distance delta already
 * covers the penalties of its routes cannot improve and may come back as Infinity; a move that
 * improves, even by paying distance to remove a load excess, keeps its exact delta.
 */
import { describe, expect, it } from 'vitest';
import { LocalSearch } from '../../../../src/solver/search/local-search.ts';
import { makeRelocate } from '../../../../src/solver/search/relocate.ts';
import { makeSwap } from '../../../../src/solver/search/swap.ts';
import { twoOptStar } from '../../../../src/solver/search/two-opt-star.ts';
import type { NodeOperator } from '../../../../src/solver/search/operator.ts';
import { lsInstance } from '../helpers.ts';
import type { Point } from '../helpers.ts';

function setup(points: Point[], routes: number[][], cap: number, wLoad: number): LocalSearch {
  const inst = lsInstance(points, new Array(points.length - 1).fill(1), cap);
  const ls = new LocalSearch(inst, routes.length, [], []);
  ls.wLoad = wLoad;
  ls.load(routes);
  return ls;
}

function both(ls: LocalSearch, op: NodeOperator, u: number, v: number): [exact: number, bounded: number] {
  const exact = op.evaluate(ls, u, v);
  ls.bounded = true;
  const bounded = op.evaluate(ls, u, v);
  ls.bounded = false;
  return [exact, bounded];
}

describe('bounded evaluation', () => {
  // depot at 0; clients at x = 1, 2, 9, 10
  const pts: Point[] = [[0, 0], [1, 0], [2, 0], [9, 0], [10, 0]];

  it('cuts a non-improving swap between feasible routes short', () => {
    const ls = setup(pts, [[0, 1], [2, 3]], 100, 1);
    // exact: r0 [x9, x2] = 18, r1 [x1, x10] = 20 versus 4 + 20
    expect(both(ls, makeSwap(1, 1), 0, 2)).toEqual([14, Infinity]);
  });

  it('prices exactly a relocate that pays distance to remove a load excess', () => {
    // one route [x1, x2, x9] over capacity 2 by one unit; moving x9 to the empty route costs
    // 18 + 4 - 18 = +4 of distance and removes 1000 of penalty
    const ls = setup(pts.slice(0, 4), [[0, 1, 2], []], 2, 1000);
    expect(ls.totalCost()).toBe(18 + 1000);
    const [exact, bounded] = both(ls, makeRelocate(1), 2, ls.startDepot(1));
    expect(exact).toBe(4 - 1000);
    expect(bounded).toBe(exact);
  });

  it('keeps the exact delta of an improving 2-opt* and cuts a useless one', () => {
    // depot (0,0); A(0,10) B(0,20) C(10,0) D(20,0): [A, D] and [C, B] cross; tails swap to [A, B], [C, D]
    const square: Point[] = [[0, 0], [0, 10], [0, 20], [10, 0], [20, 0]];
    const ls = setup(square, [[0, 3], [2, 1]], 10, 1);
    expect(both(ls, twoOptStar, 0, 2)).toEqual([80 - 104, 80 - 104]);
    const ls2 = setup(square, [[0, 1], [2, 3]], 10, 1);
    const [exact, bounded] = both(ls2, twoOptStar, 0, 2);
    expect(exact).toBeGreaterThan(0);
    expect(bounded).toBe(Infinity);
  });

  it('is off outside run', () => {
    const ls = setup(pts, [[0, 1], [2, 3]], 100, 1);
    expect(ls.bounded).toBe(false);
    ls.run({ shuffle: () => {}, next: () => 0, int: () => 0 } as never);
    expect(ls.bounded).toBe(false);
  });
});
