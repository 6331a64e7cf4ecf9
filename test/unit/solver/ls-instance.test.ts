/**
 * Granular neighbours of the local-search instance: HGS-CVRP's symmetric correlated vertices
 * for capacity-only problems (j is tried from i when either is among the other's nearest), each
 * row keeping the client's own nearest first; time-window problems keep the one-sided lists.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/solver/data.ts';
import { buildLsInstance } from '../../../src/solver/ls-instance.ts';
import { job, problem, vehicle } from './helpers.ts';
import type { Point } from './helpers.ts';

// depot, A (10, 0), B (11, 0), C (30, 0): A and B are each other's nearest; C's nearest is B
const points: Point[] = [[0, 0], [10, 0], [11, 0], [30, 0]];

function rows(tw: boolean): { rows: number[][]; k: number; nearest: number } {
  const more = tw ? { timeWindows: [[0, 1000]] as [number, number][] } : {};
  const p = problem(points, [job('A', 1, [1], more), job('B', 2, [1], more), job('C', 3, [1], more)], [vehicle('v', [10])]);
  const inst = buildLsInstance(compile(p), Int32Array.of(0, 1, 2), 0, 1);
  const out: number[][] = [];
  for (let i = 0; i < inst.n; i++) out.push(Array.from(inst.neighbours.subarray(i * inst.k, i * inst.k + inst.k)));
  return { rows: out, k: inst.k, nearest: inst.nearest };
}

describe('granular neighbours', () => {
  it('are symmetric for capacity-only problems, own nearest first, padded with -1', () => {
    // B's own nearest is A; C has B as its nearest, so C joins B's row
    expect(rows(false)).toEqual({ rows: [[1, -1], [0, 2], [1, -1]], k: 2, nearest: 1 });
  });

  it('stay one-sided with time windows', () => {
    expect(rows(true)).toEqual({ rows: [[1], [0], [1]], k: 1, nearest: 1 });
  });
});
