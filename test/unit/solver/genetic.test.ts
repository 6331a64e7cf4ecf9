import { describe, expect, it } from 'vitest';
import { DEFAULT_HGS, seedingDone } from '../../../src/solver/genetic.ts';
import { solve } from '../../../src/solver/index.ts';
import { Rng } from '../../../src/solver/rng.ts';
import { job, problem, vehicle } from './helpers.ts';

describe('initial population under a time budget', () => {
  it('stops at the target size, or early once the time share is spent and the minimum is there', () => {
    const p = DEFAULT_HGS;
    expect(seedingDone(25, 0, 25, p)).toBe(true);
    expect(seedingDone(10, 0.1, 25, p)).toBe(false);
    expect(seedingDone(10, 0.25, 25, p)).toBe(true);
    expect(seedingDone(p.minInitialPopulation - 1, 0.9, 25, p)).toBe(false);
    expect(seedingDone(p.minInitialPopulation, 0.9, 25, p)).toBe(true);
  });

  it('a solve whose clock runs fast still returns every job in feasible routes', () => {
    const rng = new Rng(3);
    const pts = Array.from({ length: 31 }, () => [rng.int(1000), rng.int(1000)] as const);
    const jobs = pts.slice(1).map((_, i) => job(`c${i}`, i + 1, [1 + rng.int(9)]));
    const prob = problem(pts, jobs, Array.from({ length: 10 }, (_, i) => vehicle(`v${i}`, [30])));
    let calls = 0;
    // every look at the clock spends 5 % of the budget: seeding stops at the minimum size
    const sol = solve(prob, { seed: 1, maxIterations: 30, timeFraction: () => Math.min(1, 0.05 * calls++), debug: true });
    expect(sol.unassigned).toEqual([]);
    expect(sol.iterations).toBe(30);
    const served = sol.routes.flatMap((r) => r.steps.filter((s) => s.type === 'job').map((s) => s.id!)).sort();
    expect(served).toEqual(jobs.map((j) => j.id).sort());
  });
});
