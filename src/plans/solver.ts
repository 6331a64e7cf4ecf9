/**
 * The planner's solve function: the routing core on a worker thread (src/solve/solve-in-worker),
 * so a BullMQ worker's event loop keeps renewing its job locks and the API stays responsive while
 * a township is being solved.
 */
import { solveInWorker } from '../solve/solve-in-worker.ts';
import type { SolveFn } from '../planning/types.ts';

export function threadedSolve(options: { readonly debug?: boolean } = {}): SolveFn {
  return (problem, budget) =>
    solveInWorker(problem, {
      seed: budget.seed,
      timeLimitMs: budget.timeLimitMs,
      ...(budget.maxIterations !== undefined ? { maxIterations: budget.maxIterations } : {}),
      // Problems are built fresh for every solve, so their matrices can be moved, not copied.
      keepMatrices: false,
      ...(options.debug !== undefined ? { debug: options.debug } : {}),
    });
}
