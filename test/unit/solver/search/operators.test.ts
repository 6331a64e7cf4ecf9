import { describe, expect, it } from 'vitest';
import { LocalSearch } from '../../../../src/solver/search/local-search.ts';
import { makeRelocate } from '../../../../src/solver/search/relocate.ts';
import { makeSwap } from '../../../../src/solver/search/swap.ts';
import { twoOptStar } from '../../../../src/solver/search/two-opt-star.ts';
import { makeTwoOpt } from '../../../../src/solver/search/two-opt.ts';
import { makeTwoOptStarReversed } from '../../../../src/solver/search/two-opt-star-reversed.ts';
import type { NodeOperator } from '../../../../src/solver/search/operator.ts';
import { lsInstance } from '../helpers.ts';
import type { Point } from '../helpers.ts';

function routesOf(ls: LocalSearch): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < ls.R; r++) {
    const a: number[] = [];
    for (let x = ls.next[ls.startDepot(r)]!; x < ls.n; x = ls.next[x]!) a.push(x);
    out.push(a);
  }
  return out;
}

function setup(points: Point[], routes: number[][], opts: { demand?: number[]; cap?: number; windows?: [number, number][]; wLoad?: number; wTime?: number } = {}): LocalSearch {
  const n = points.length - 1;
  const inst = lsInstance(points, opts.demand ?? new Array(n).fill(1), opts.cap ?? 100, opts.windows);
  const ls = new LocalSearch(inst, routes.length, [], []);
  ls.wLoad = opts.wLoad ?? 1;
  ls.wTime = opts.wTime ?? 1;
  ls.load(routes);
  return ls;
}

/** Evaluates, applies, and checks the delta against a full re-costing of every route. */
function applyAndCheck(ls: LocalSearch, op: NodeOperator, u: number, v: number): number {
  const before = ls.totalCost();
  const delta = op.evaluate(ls, u, v);
  op.apply(ls, u, v);
  let walked = 0;
  for (let r = 0; r < ls.R; r++) walked += ls.walkCost(r);
  expect(ls.totalCost()).toBe(before + delta);
  expect(walked).toBe(ls.totalCost());
  return delta;
}

// Points on a line: depot at 0, clients at x = 1, 2, 3 (client i at points[i+1]).
const line: Point[] = [[0, 0], [1, 0], [2, 0], [3, 0]];

describe('relocate', () => {
  it('moves a client into the other route with the exact distance delta', () => {
    const ls = setup(line, [[0, 2], [1]]);
    expect(ls.totalCost()).toBe(6 + 4);
    expect(applyAndCheck(ls, makeRelocate(1), 1, 0)).toBe(-4);
    expect(routesOf(ls)).toEqual([[0, 1, 2], []]);
  });

  it('prices the load excess with the load penalty', () => {
    const ls = setup(line, [[0, 2], [1]], { cap: 2, wLoad: 1000 });
    expect(makeRelocate(1).evaluate(ls, 1, 0)).toBe(-4 + 1000);
  });

  it('relocates within a route (after the start depot) and a reversed pair', () => {
    const ls = setup(line, [[1, 0, 2]]);
    // 0→2→1→3→0 = 2+1+2+3 = 8; 0→1→2→3→0 = 6
    expect(ls.totalCost()).toBe(8);
    expect(applyAndCheck(ls, makeRelocate(1), 0, ls.startDepot(0))).toBe(-2);
    expect(routesOf(ls)).toEqual([[0, 1, 2]]);
    const ls2 = setup(line, [[1, 0], [2]]);
    // pair (1,0) reversed after 2: route [2, 0, 1] = 3+2+1+2... = 0→3→1→2→0 = 3+2+1+2 = 8; routes before 2+1+1 + 6 = 4+6 = 10
    expect(applyAndCheck(ls2, makeRelocate(2, true), 1, 2)).toBe(8 - 10);
    expect(routesOf(ls2)).toEqual([[], [2, 0, 1]]);
  });

  it('prices time warp by concatenation', () => {
    // client 0 at x=1 must start by 1, client 1 at x=2 opens at 0; route [1, 0] arrives at 0 at t=3.
    const ls = setup(line, [[1, 0], [2]], { windows: [[0, 1], [0, 100], [0, 100]], wTime: 10 });
    expect(ls.routeCost[0]).toBe(4 + 10 * 2);
    expect(applyAndCheck(ls, makeRelocate(1), 0, ls.startDepot(0))).toBe(-20);
    expect(routesOf(ls)[0]).toEqual([0, 1]);
  });
});

describe('swap', () => {
  // depot 0; clients at x = 1, 2, 9, 10
  const pts: Point[] = [[0, 0], [1, 0], [2, 0], [9, 0], [10, 0]];
  it('swaps two clients of different routes', () => {
    const ls = setup(pts, [[0, 2], [3, 1]]);
    expect(ls.totalCost()).toBe(18 + 20);
    expect(applyAndCheck(ls, makeSwap(1, 1), 2, 1)).toBe(24 - 38);
    expect(routesOf(ls)).toEqual([[0, 1], [3, 2]]);
  });

  it('swaps a pair with a single client (2-1)', () => {
    const ls = setup([...pts, [11, 0]], [[0, 2, 3], [1, 4]]);
    // r0 = 0→1→9→10→0 = 20, r1 = 0→2→11→0 = 22; swap (2,3) with 1: r0 = [0,1] = 4, r1 = [2,3,4] = 22
    expect(applyAndCheck(ls, makeSwap(2, 1), 2, 1)).toBe(26 - 42);
    expect(routesOf(ls)).toEqual([[0, 1], [2, 3, 4]]);
  });

  it('returns a non-negative delta for a move that cannot improve', () => {
    const ls = setup(pts, [[0, 1], [2, 3]]);
    // r0 [x9, x2] = 18, r1 [x1, x10] = 20 versus 4 + 20
    expect(makeSwap(1, 1).evaluate(ls, 0, 2)).toBe(14);
  });

  it('swaps adjacent clients in one route', () => {
    const ls = setup(pts, [[1, 0, 2, 3]]);
    // 0→2→1→9→10→0 = 2+1+8+1+10 = 22 → [0,1,2,3] = 20
    expect(applyAndCheck(ls, makeSwap(1, 1), 0, 1)).toBe(-2);
    expect(routesOf(ls)).toEqual([[0, 1, 2, 3]]);
  });
});

describe('two-opt-star', () => {
  // depot (0,0); A(0,10) B(0,20) C(10,0) D(20,0) → clients 0..3
  const pts: Point[] = [[0, 0], [0, 10], [0, 20], [10, 0], [20, 0]];
  it('exchanges route tails', () => {
    const ls = setup(pts, [[0, 3], [2, 1]]);
    expect(ls.totalCost()).toBe(52 + 52);
    expect(applyAndCheck(ls, twoOptStar, 0, 2)).toBe(80 - 104);
    expect(routesOf(ls)).toEqual([[0, 1], [2, 3]]);
  });

  it('moves a tail into an empty route when the load penalty pays for it', () => {
    const ls = setup([[0, 0], [0, 10], [20, 0]], [[0, 1], []], { cap: 1, wLoad: 100 });
    // [A, D] = 52 + 100 (one unit over capacity) → [A] = 20 and [D] = 40
    expect(ls.totalCost()).toBe(152);
    expect(applyAndCheck(ls, twoOptStar, 0, ls.startDepot(1))).toBe(60 - 152);
    expect(routesOf(ls)).toEqual([[0], [1]]);
  });
});

describe('two-opt', () => {
  // square: depot (0,0), A(0,10), B(10,10), C(10,0)
  const pts: Point[] = [[0, 0], [0, 10], [10, 10], [10, 0]];
  it('reverses a crossing segment', () => {
    const ls = setup(pts, [[0, 2, 1]]);
    expect(ls.totalCost()).toBe(10 + 14 + 10 + 14);
    expect(applyAndCheck(ls, makeTwoOpt(3), 0, 1)).toBe(40 - 48);
    expect(routesOf(ls)).toEqual([[0, 1, 2]]);
  });

  it('rejects a pair in the wrong order or in another route', () => {
    const ls = setup(pts, [[0, 2], [1]]);
    expect(makeTwoOpt(3).evaluate(ls, 2, 0)).toBe(Infinity);
    expect(makeTwoOpt(3).evaluate(ls, 0, 1)).toBe(Infinity);
  });
});

describe('two-opt-star-reversed', () => {
  // depot (0,0); A(0,10)=0, B(0,20)=1, C(10,20)=2, D(10,10)=3.
  // U = [A, C] and V = [D, B]: replacing (A,C),(B,end) by (A,B),(C,end) gives U' = [A, B, D] and V' = [C]
  const pts: Point[] = [[0, 0], [0, 10], [0, 20], [10, 20], [10, 10]];
  it('joins u to v and reverses the head of v', () => {
    const ls = setup(pts, [[0, 2], [3, 1]], { cap: 10 });
    // U = 0→A 10, A→C 14, C→0 22 = 46; V = 0→D 14, D→B 14, B→0 20 = 48
    expect(ls.totalCost()).toBe(94);
    // u = A, v = B: U' = A, B, D (10+10+14+14 = 48); V' = C (22+22 = 44)
    const op = makeTwoOptStarReversed(4);
    expect(applyAndCheck(ls, op, 0, 1)).toBe(48 + 44 - 94);
    expect(routesOf(ls)).toEqual([[0, 1, 3], [2]]);
  });
});
