/**
 * Messages between a SolverPool and its threads (structured-clone friendly). One protocol for
 * every caller: the planner, `gongpei solve` and the benchmarks.
 */
import type { Problem, Solution, SolveProgress } from '../solver/model.ts';

/** Given to every thread once, when it starts. */
export interface ThreadData {
  /** File URL of a module exporting `solve(problem, options)`: the routing core, or a test stand-in. */
  readonly solverModule: string;
}

export interface SolveRequest {
  readonly id: number;
  readonly problem: Problem;
  /** Shared flag: non-zero = stop now (the caller aborted); the solver returns its best so far. */
  readonly stopFlag: Int32Array;
  readonly wantsProgress: boolean;
  readonly progressIntervalMs: number;
  readonly seed?: number;
  readonly timeLimitMs?: number;
  readonly maxIterations?: number;
  readonly debug?: boolean;
}

export type SolveReply =
  | { readonly id: number; readonly type: 'progress'; readonly progress: SolveProgress }
  | { readonly id: number; readonly type: 'done'; readonly solution: Solution; readonly solveMs: number }
  | { readonly id: number; readonly type: 'error'; readonly name: string; readonly message: string; readonly stack?: string };
