/** Messages between `solveInWorker` and its worker thread (structured-clone friendly). */
import type { Problem, Solution, SolveProgress } from '../solver/model.ts';

export interface WorkerRequest {
  readonly problem: Problem;
  /** File URL of a module exporting `solve(problem, options)`. */
  readonly solverModule: string;
  /** Shared flag: non-zero = stop now (the caller aborted). */
  readonly stopFlag: Int32Array;
  readonly wantsProgress: boolean;
  readonly progressIntervalMs: number;
  readonly seed?: number;
  readonly timeLimitMs?: number;
  readonly maxIterations?: number;
  readonly debug?: boolean;
}

export type WorkerReply =
  | { readonly type: 'progress'; readonly progress: SolveProgress }
  | { readonly type: 'done'; readonly solution: Solution; readonly solveMs: number }
  | { readonly type: 'error'; readonly name: string; readonly message: string; readonly stack?: string };
