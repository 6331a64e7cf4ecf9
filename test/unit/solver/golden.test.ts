/**
 * Golden end-to-end runs: a fixed seed and iteration budget must give exactly this cost. Update the
 * numbers only on purpose (a search change that is meant to change the trajectory), never to
 * make a red test green.
 */
import { describe, expect, it } from 'vitest';
import { solve } from '../../../src/solver/index.ts';
import { Rng } from '../../../src/solver/rng.ts';
import type { Point } from './helpers.ts';
import { job, problem, vehicle } from './helpers.ts';

function randomPoints(seed: number, count: number): Point[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => [rng.int(1000), rng.int(1000)] as const);
}

describe('golden runs', () => {
  it('CVRP, 40 clients (HGS)', () => {
    const pts = randomPoints(5, 41);
    const rng = new Rng(6);
    const jobs = pts.slice(1).map((_, i) => job(`c${i + 1}`, i + 1, [1 + rng.int(10)]));
    const p = problem(pts, jobs, Array.from({ length: 10 }, (_, i) => vehicle(`v${i}`, [40])));
    const sol = solve(p, { seed: 1, maxIterations: 60, debug: true });
    expect(sol.unassigned).toEqual([]);
    expect(sol.iterations).toBe(60);
    expect(sol.cost).toBe(GOLDEN_CVRP);
  });

  it('pickup and delivery with windows, 15 shipments (SISR)', () => {
    const pts = randomPoints(9, 31);
    const shipments = Array.from({ length: 15 }, (_, i) => ({
      id: `s${i}`,
      amount: [1 + (i % 3)],
      pickup: { location: 1 + 2 * i, serviceTime: 10, timeWindows: [[0, 3000]] as [number, number][] },
      delivery: { location: 2 + 2 * i, serviceTime: 10, timeWindows: [[0, 6000]] as [number, number][] },
    }));
    const p = problem(pts, [], Array.from({ length: 5 }, (_, i) => vehicle(`v${i}`, [6], { shift: [0, 8000] })), { shipments });
    const sol = solve(p, { seed: 1, maxIterations: 300, debug: true });
    expect(sol.unassigned).toEqual([]);
    expect(sol.cost).toBe(GOLDEN_PDPTW);
  });
});

const GOLDEN_CVRP = 9242;
const GOLDEN_PDPTW = 7286;
