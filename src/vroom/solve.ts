/**
 * One VROOM-format solve, the same for `gongpei solve problem.json` and `POST /v1/solve`:
 * parse and translate (400s naming fields), solve on the caller's SolverPool (the one solver
 * host) with its work budget, answer in VROOM's shape, and re-check the answer independently.
 */
import { AppError } from '../errors.ts';
import type { SolverPool } from '../solver-host/solver-pool.ts';
import { checkVroomAnswer, type VroomCheck } from './check.ts';
import { withComputedMatrices, type TimedMatrixSource } from './coordinates.ts';
import { toVroomAnswer } from './to-answer.ts';
import { parseVroomInput, toVroomModel } from './to-problem.ts';
import type { VroomAnswer } from './vroom.schemas.ts';

export interface VroomBudget {
  readonly seed?: number;
  /** Deterministic work budget (solver iterations). */
  readonly maxIterations?: number;
  /** Wall-clock cap; the best solution so far is returned when it is spent. */
  readonly timeLimitMs?: number;
  readonly signal?: AbortSignal;
  /** Matrices for a problem given by coordinates alone (OSRM); absent: such a problem is a 400. */
  readonly roadMatrix?: TimedMatrixSource | undefined;
  /** Parallel searches, overriding the problem's own `threads` (the CLI's `--threads`). */
  readonly threads?: number;
  /** Most searches one problem may ask for (the serving pool's threads); more is a 400 naming `threads`. */
  readonly maxThreads?: number;
}

export interface VroomResult {
  readonly answer: VroomAnswer;
  readonly check: VroomCheck;
  /** Tasks (jobs + pickups + deliveries), for budgets and logs. */
  readonly tasks: number;
}

/** Tasks in a raw VROOM problem, before validation (for a default budget). */
export function countTasks(raw: unknown): number {
  const r = raw as { jobs?: unknown; shipments?: unknown } | null;
  return (Array.isArray(r?.jobs) ? r.jobs.length : 0) + 2 * (Array.isArray(r?.shipments) ? r.shipments.length : 0);
}

export async function solveVroom(raw: unknown, pool: SolverPool, budget: VroomBudget): Promise<VroomResult> {
  const started = performance.now();
  const model = toVroomModel(await withComputedMatrices(parseVroomInput(raw), budget.roadMatrix));
  const loadingMs = performance.now() - started;
  const threads = budget.threads ?? model.input.threads ?? 1;
  if (budget.maxThreads !== undefined && threads > budget.maxThreads) {
    const message = `at most ${budget.maxThreads} here (the solver's threads, SOLVE_THREADS)`;
    throw new AppError('invalid_data', `Invalid problem: threads: ${message}`, [{ path: 'threads', message }]);
  }
  let result;
  try {
    result = await pool.run(model.problem, {
      // The answer reads the matrices after the solve: copy them to the thread, not move them.
      keepMatrices: true,
      ...(budget.seed === undefined ? {} : { seed: budget.seed }),
      ...(budget.maxIterations === undefined ? {} : { maxIterations: budget.maxIterations }),
      ...(budget.timeLimitMs === undefined ? {} : { timeLimitMs: budget.timeLimitMs }),
      ...(budget.signal ? { signal: budget.signal } : {}),
      threads,
    });
  } catch (err) {
    // The translation validates everything the core checks; this is the backstop, still a 400.
    if ((err as Error).name === 'SolverInputError') throw new AppError('invalid_data', `Invalid problem: ${(err as Error).message}`);
    throw err;
  }
  const answer = toVroomAnswer(model, result.solution, { loadingMs, solvingMs: result.solveMs });
  return { answer, check: checkVroomAnswer(model.input, answer), tasks: countTasks(raw) };
}
