/** Swap inside one route, pure-capacity regime: adjacent chains and chains in either order, exact deltas. */
import { describe, expect, it } from 'vitest';
import { LocalSearch } from '../../../../src/solver/search/local-search.ts';
import { makeSwap } from '../../../../src/solver/search/swap.ts';
import type { NodeOperator } from '../../../../src/solver/search/operator.ts';
import { lsInstance } from '../helpers.ts';
import type { Point } from '../helpers.ts';

function setup(points: Point[], routes: number[][]): LocalSearch {
  const ls = new LocalSearch(lsInstance(points, new Array(points.length - 1).fill(1), 100), routes.length, [], []);
  ls.load(routes);
  return ls;
}

function route(ls: LocalSearch, r: number): number[] {
  const out: number[] = [];
  for (let x = ls.next[ls.startDepot(r)]!; x < ls.n; x = ls.next[x]!) out.push(x);
  return out;
}

function applyAndCheck(ls: LocalSearch, op: NodeOperator, u: number, v: number): number {
  const before = ls.totalCost();
  const delta = op.evaluate(ls, u, v);
  op.apply(ls, u, v);
  expect(ls.totalCost()).toBe(before + delta);
  expect(ls.walkCost(0)).toBe(ls.totalCost());
  return delta;
}

describe('swap within a route', () => {
  // depot (0,0); c0 (0,10), c1 (10,10), c2 (10,0); diagonals round to 14
  const square: Point[] = [[0, 0], [0, 10], [10, 10], [10, 0]];

  it('swaps a pair with the client right after it', () => {
    const ls = setup(square, [[1, 2, 0]]);
    // 0→c1 14, c1→c2 10, c2→c0 14, c0→0 10
    expect(ls.totalCost()).toBe(48);
    expect(applyAndCheck(ls, makeSwap(2, 1), 1, 0)).toBe(40 - 48);
    expect(route(ls, 0)).toEqual([0, 1, 2]);
  });

  it('swaps a pair with the client right before it', () => {
    const ls = setup(square, [[2, 0, 1]]);
    // 0→c2 10, c2→c0 14, c0→c1 10, c1→0 14
    expect(ls.totalCost()).toBe(48);
    expect(applyAndCheck(ls, makeSwap(2, 1), 0, 2)).toBe(40 - 48);
    expect(route(ls, 0)).toEqual([0, 1, 2]);
  });

  it('swaps a pair with a client further before it', () => {
    // clients on a line at x = 1, 2, 3, 4: [c2, c1, c0, c3] = 3+1+1+3+4 = 12 → [c0, c3, c1, c2] = 1+3+2+1+3 = 10
    const ls = setup([[0, 0], [1, 0], [2, 0], [3, 0], [4, 0]], [[2, 1, 0, 3]]);
    expect(ls.totalCost()).toBe(12);
    expect(applyAndCheck(ls, makeSwap(2, 1), 0, 2)).toBe(-2);
    expect(route(ls, 0)).toEqual([0, 3, 1, 2]);
  });

  it('rejects overlapping chains', () => {
    const ls = setup(square, [[0, 1, 2]]);
    expect(makeSwap(2, 1).evaluate(ls, 0, 1)).toBe(Infinity);
  });
});
