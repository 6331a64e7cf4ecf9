/** The operator registry, in the order the local search tries them (HGS moves 1–9 and SWAP*). */
import type { LsInstance } from './instance.ts';
import type { NodeOperator, RouteOperator } from './operator.ts';
import { makeRelocate } from './relocate.ts';
import { makeSwap } from './swap.ts';
import { twoOptStar } from './two-opt-star.ts';
import { makeTwoOpt } from './two-opt.ts';
import { makeSwapStar } from './swap-star.ts';
import { makeTwoOptStarReversed } from './two-opt-star-reversed.ts';

export function OPERATORS(n: number): NodeOperator[] {
  return [
    makeRelocate(1),
    makeRelocate(2),
    makeRelocate(2, true),
    makeSwap(1, 1),
    makeSwap(2, 1),
    makeSwap(2, 2),
    makeTwoOpt(n),
    makeTwoOptStarReversed(n),
    twoOptStar,
  ];
}

export function ROUTE_OPERATORS(inst: LsInstance, R: number): RouteOperator[] {
  return [makeSwapStar(inst.n, R, true)];
}
