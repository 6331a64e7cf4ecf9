/**
 * `threads: N` on the one solver host: N independent searches of one problem, seeded from
 * (seed, search index), best of them by the solver's order. Runs the real routing core on a
 * small X instance under an iteration budget, so every figure is reproducible on any load.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadInstance } from '../../../src/formats/index.ts';
import { betterSolution, searchSeed, SolverPool } from '../../../src/solver-host/solver-pool.ts';
import type { Problem, Solution } from '../../../src/solver/model.ts';
import { BENCHMARK_FIXTURES } from '../../support/fixtures.ts';

const HANG_GUARD_MS = 60_000;
const ITERATIONS = 8;

async function problem(): Promise<Problem> {
  return (await loadInstance(join(BENCHMARK_FIXTURES, 'X/X-n106-k14.vrp'))).problem;
}

const routesOf = (s: Solution) => s.routes.map((r) => r.steps.map((step) => step.id ?? step.type).join(' '));

describe('parallel search (threads: N)', () => {
  const pool = new SolverPool({ size: 2 });
  afterAll(() => pool.close());

  it('gives the same routes for the same seed, thread count and iteration budget, and keeps the caller’s matrices', async () => {
    const p = await problem();
    const first = await pool.run(p, { seed: 7, threads: 3, maxIterations: ITERATIONS, timeLimitMs: HANG_GUARD_MS });
    // Shared, not transferred: the caller's matrices stay usable for the second run.
    expect(p.profiles[0]!.distance.length).toBe(p.locationCount * p.locationCount);
    const second = await pool.run(p, { seed: 7, threads: 3, maxIterations: ITERATIONS, timeLimitMs: HANG_GUARD_MS });
    expect(first.searches).toHaveLength(3);
    expect(first.searches.map((s) => s.seed)).toEqual([7, searchSeed(7, 1), searchSeed(7, 2)]);
    expect(new Set(first.searches.map((s) => s.seed)).size).toBe(3);
    expect(first.searches.every((s) => s.iterations === ITERATIONS)).toBe(true);
    expect(second.bestSearch).toBe(first.bestSearch);
    expect(second.searches.map((s) => s.cost)).toEqual(first.searches.map((s) => s.cost));
    expect(routesOf(second.solution)).toEqual(routesOf(first.solution));
    expect(second.solution.cost).toBe(first.solution.cost);
  }, 4 * HANG_GUARD_MS);

  it('returns the best search, never worse than search 0, which is the plain solve with the caller’s seed', async () => {
    const plain = await pool.run(await problem(), { seed: 3, maxIterations: ITERATIONS, timeLimitMs: HANG_GUARD_MS });
    const parallel = await pool.run(await problem(), { seed: 3, threads: 2, maxIterations: ITERATIONS, timeLimitMs: HANG_GUARD_MS });
    expect(parallel.searches[0]!.cost).toBe(plain.solution.cost);
    expect(parallel.solution.cost).toBeLessThanOrEqual(plain.solution.cost);
    expect(parallel.solution.cost).toBe(Math.min(...parallel.searches.map((s) => s.cost)));
    expect(parallel.solution.cost).toBe(parallel.searches[parallel.bestSearch]!.cost);
  }, 4 * HANG_GUARD_MS);

  it('refuses a thread count that is not a positive integer', async () => {
    await expect(pool.run(await problem(), { threads: 0, maxIterations: 1 })).rejects.toThrow(/threads/);
    await expect(pool.run(await problem(), { threads: 1.5, maxIterations: 1 })).rejects.toThrow(/threads/);
  });
});

describe('betterSolution (the reduction order)', () => {
  const sol = (cost: number, leftOut: number, optionalOut = 0): Solution => ({
    cost,
    routes: [],
    iterations: 1,
    unassigned: [
      ...Array.from({ length: leftOut }, (_, k) => ({ id: `r${k}`, kind: 'job' as const, reason: 'no_feasible_route' as const })),
      ...Array.from({ length: optionalOut }, (_, k) => ({ id: `o${k}`, kind: 'job' as const, reason: 'not_worth_it' as const })),
    ],
  });

  it('puts fewer required tasks left out first, then lower cost; a tie is not better', () => {
    expect(betterSolution(sol(900, 0), sol(100, 1))).toBe(true);
    expect(betterSolution(sol(100, 1), sol(900, 0))).toBe(false);
    expect(betterSolution(sol(99, 0), sol(100, 0))).toBe(true);
    expect(betterSolution(sol(100, 0), sol(100, 0))).toBe(false);
    // An optional job left out is priced by its prize in the cost, not counted as left out.
    expect(betterSolution(sol(120, 0, 2), sol(130, 0))).toBe(true);
  });

  it('derives distinct, stable seeds from (seed, search index)', () => {
    expect(searchSeed(5, 0)).toBe(5);
    const seeds = [1, 2, 3].flatMap((s) => [1, 2, 3].map((k) => searchSeed(s, k)));
    expect(new Set(seeds).size).toBe(seeds.length);
    expect(searchSeed(2, 1)).toBe(searchSeed(2, 1));
  });
});
