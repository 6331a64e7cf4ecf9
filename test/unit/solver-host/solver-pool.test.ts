import { afterAll, describe, expect, it } from 'vitest';
import { SolverPool } from '../../../src/solver-host/solver-pool.ts';
import type { Problem, SolveProgress } from '../../../src/solver/model.ts';

const BUSY = new URL('./fixtures/busy-solver.ts', import.meta.url);

function problemOf(n: number): Problem {
  const distance = new Int32Array(n * n).map((_, i) => i % 7);
  return { locationCount: n, dimensions: 1, profiles: [{ distance, duration: distance }], jobs: [], vehicles: [] };
}

const checksum = (p: Problem) => p.profiles[0]!.distance.reduce((s, v) => s + v, 0);

describe('SolverPool of one (the CLI and the benchmarks)', () => {
  const pool = new SolverPool({ size: 1, solverModule: BUSY });
  afterAll(() => pool.close());

  it('runs the solver on another thread, streams progress and transfers the matrices', async () => {
    const problem = problemOf(50);
    const expected = checksum(problem);
    const progress: SolveProgress[] = [];
    const { solution, solveMs } = await pool.run(problem, { maxIterations: 200, progressIntervalMs: 0, onProgress: (p) => progress.push(p) });
    expect(solution.cost).toBe(expected);
    expect(solution.iterations).toBe(200);
    expect(solveMs).toBeGreaterThan(0);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.bestCost).toBe(1_000_000 - 200);
    // Transferred, not copied: the caller's buffer (shared by distance and duration) is detached.
    expect(problem.profiles[0]!.distance.length).toBe(0);
  });

  it('keeps the caller’s event loop turning while the thread is busy', async () => {
    let ticks = 0;
    let ticksAtProgress = -1;
    const timer = setInterval(() => ticks++, 5);
    try {
      await pool.run(problemOf(10), {
        timeLimitMs: 400,
        progressIntervalMs: 50,
        onProgress: () => {
          ticksAtProgress = Math.max(ticksAtProgress, ticks);
        },
      });
    } finally {
      clearInterval(timer);
    }
    // Timers fired during the solve, i.e. between the call and the solution…
    expect(ticks).toBeGreaterThan(0);
    // …and before the last progress message, i.e. while the thread was still searching.
    expect(ticksAtProgress).toBeGreaterThan(0);
  });

  it('stops at the time limit without an iteration budget', async () => {
    const { solution } = await pool.run(problemOf(5), { timeLimitMs: 100 });
    expect(solution.iterations).toBeGreaterThan(0);
  });

  it('returns the best solution so far when aborted', async () => {
    const controller = new AbortController();
    const { solution } = await pool.run(problemOf(5), {
      signal: controller.signal,
      maxIterations: 1_000_000,
      progressIntervalMs: 0,
      onProgress: (p) => {
        if (p.iteration >= 5) controller.abort();
      },
    });
    expect(solution.iterations).toBeGreaterThanOrEqual(5);
    expect(solution.iterations).toBeLessThan(1_000_000);
  });

  it('can keep the caller’s matrices', async () => {
    const problem = problemOf(4);
    await pool.run(problem, { maxIterations: 1, keepMatrices: true });
    expect(problem.profiles[0]!.distance.length).toBe(16);
  });

  it('rejects with the solver’s error, and the thread solves the next problem', async () => {
    await expect(pool.run(problemOf(0), { maxIterations: 1 })).rejects.toThrow(/stand-in solver: empty problem/);
    expect((await pool.run(problemOf(3), { maxIterations: 2 })).solution.iterations).toBe(2);
  });
});

describe('SolverPool of several (the planner)', () => {
  it('solves more problems than threads, each answer to its own caller, through the planner’s SolveFn', async () => {
    const pool = new SolverPool({ size: 2, solverModule: BUSY });
    try {
      const problems = [3, 4, 5, 6, 7].map(problemOf);
      const expected = problems.map(checksum);
      const solutions = await Promise.all(problems.map((p, k) => pool.solve(p, { seed: k, timeLimitMs: 10_000, maxIterations: 10 + k })));
      expect(solutions.map((s) => s.cost)).toEqual(expected);
      expect(solutions.map((s) => s.iterations)).toEqual([10, 11, 12, 13, 14]);
    } finally {
      await pool.close();
    }
  });

  it('runs a threads: N solve as N searches on the pool, stops them all on abort, and fails with a failing search', async () => {
    const pool = new SolverPool({ size: 2, solverModule: BUSY });
    try {
      const problem = problemOf(6);
      const expected = checksum(problem);
      // The planner's SolveFn reports the fewest iterations any search did (a capped search makes the answer load-dependent).
      const solution = await pool.solve(problem, { seed: 1, timeLimitMs: 10_000, maxIterations: 12, threads: 2 });
      expect(solution.cost).toBe(expected);
      expect(solution.iterations).toBe(12);

      const controller = new AbortController();
      const aborted = await pool.run(problemOf(5), {
        threads: 2,
        signal: controller.signal,
        maxIterations: 1_000_000,
        progressIntervalMs: 0,
        onProgress: (p) => {
          if (p.iteration >= 5) controller.abort();
        },
      });
      expect(aborted.searches).toHaveLength(2);
      expect(aborted.searches.every((s) => s.iterations < 1_000_000)).toBe(true);

      await expect(pool.run(problemOf(0), { threads: 2, maxIterations: 1 })).rejects.toThrow(/stand-in solver: empty problem/);
    } finally {
      await pool.close();
    }
  });

  it('refuses work once closed, and fails what was still waiting', async () => {
    const pool = new SolverPool({ size: 1, solverModule: BUSY });
    const outcomes = Promise.allSettled([pool.run(problemOf(3), { timeLimitMs: 2_000 }), pool.run(problemOf(3), { maxIterations: 1 })]);
    await pool.close();
    const [running, waiting] = await outcomes;
    expect(running.status === 'rejected' && String(running.reason)).toMatch(/exited/);
    expect(waiting.status === 'rejected' && String(waiting.reason)).toMatch(/closed/);
    await expect(pool.run(problemOf(3), { maxIterations: 1 })).rejects.toThrow(/closed/);
  });
});
