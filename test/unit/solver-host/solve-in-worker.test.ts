import { describe, expect, it } from 'vitest';
import { solveInWorker } from '../../../src/solver-host/solve-in-worker.ts';
import type { Problem, SolveProgress } from '../../../src/solver/model.ts';

const BUSY = new URL('./fixtures/busy-solver.ts', import.meta.url);

function problemOf(n: number): Problem {
  const distance = new Int32Array(n * n).map((_, i) => i % 7);
  return { locationCount: n, dimensions: 1, profiles: [{ distance, duration: distance }], jobs: [], vehicles: [] };
}

describe('solveInWorker', () => {
  it('runs the solver on another thread, streams progress and transfers the matrices', async () => {
    const problem = problemOf(50);
    const expected = problem.profiles[0]!.distance.reduce((s, v) => s + v, 0);
    const progress: SolveProgress[] = [];
    const solution = await solveInWorker(problem, { solverModule: BUSY, maxIterations: 200, progressIntervalMs: 0, onProgress: (p) => progress.push(p) });
    expect(solution.cost).toBe(expected);
    expect(solution.iterations).toBe(200);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.bestCost).toBe(1_000_000 - 200);
    // Transferred, not copied: the caller's buffer (shared by distance and duration) is detached.
    expect(problem.profiles[0]!.distance.length).toBe(0);
  });

  it('keeps the caller’s event loop turning while the worker is busy', async () => {
    let ticks = 0;
    let ticksAtProgress = -1;
    const timer = setInterval(() => ticks++, 5);
    try {
      await solveInWorker(problemOf(10), {
        solverModule: BUSY,
        timeLimitMs: 400,
        progressIntervalMs: 50,
        onProgress: () => {
          ticksAtProgress = Math.max(ticksAtProgress, ticks);
        },
      });
    } finally {
      clearInterval(timer);
    }
    // Timers fired during the solve, i.e. between the call and the solution.
    expect(ticks).toBeGreaterThan(0);
    // …and before the last progress message, i.e. while the worker was still searching.
    expect(ticksAtProgress).toBeGreaterThan(0);
  });

  it('stops at the time limit without an iteration budget', async () => {
    const solution = await solveInWorker(problemOf(5), { solverModule: BUSY, timeLimitMs: 100 });
    expect(solution.iterations).toBeGreaterThan(0);
  });

  it('returns the best solution so far when aborted', async () => {
    const controller = new AbortController();
    const pending = solveInWorker(problemOf(5), {
      solverModule: BUSY,
      signal: controller.signal,
      maxIterations: 1_000_000,
      progressIntervalMs: 0,
      onProgress: (p) => {
        if (p.iteration >= 5) controller.abort();
      },
    });
    const solution = await pending;
    expect(solution.iterations).toBeGreaterThanOrEqual(5);
    expect(solution.iterations).toBeLessThan(1_000_000);
  });

  it('can keep the caller’s matrices', async () => {
    const problem = problemOf(4);
    await solveInWorker(problem, { solverModule: BUSY, maxIterations: 1, keepMatrices: true });
    expect(problem.profiles[0]!.distance.length).toBe(16);
  });

  it('rejects with the solver’s error', async () => {
    await expect(solveInWorker(problemOf(0), { solverModule: BUSY, maxIterations: 1 })).rejects.toThrow(/stand-in solver: empty problem/);
  });
});
