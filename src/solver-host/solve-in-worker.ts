/**
 * Runs the pure solver on a worker thread, so the calling thread (an HTTP server, the CLI's
 * progress bar) keeps its event loop while a solve burns a core.
 *
 * The caller's clock becomes the solver's `deadline`: the worker stops the search once
 * `timeLimitMs` has passed or once `signal` aborts. Aborting sets a flag in shared memory that
 * the solver sees at its next deadline check, so a cancelled solve still returns its best
 * solution so far instead of being killed. Progress (best cost so far) comes back as messages,
 * throttled so a fast-improving search cannot flood the caller's event loop.
 *
 * The distance/duration matrices are *transferred* to the worker (no copy): after the call
 * they are detached (length 0) in the caller, unless `keepMatrices` asks for a copy.
 *
 * Workers execute TypeScript through tsx, registered by a small JS bootstrap inside the worker
 * (solve-worker-bootstrap.mjs), which works the same whether the caller runs under tsx,
 * bin/gongpei.js or vitest.
 */
import { Worker } from 'node:worker_threads';
import type { Problem, Solution, SolveProgress } from '../solver/model.ts';
import type { WorkerRequest, WorkerReply } from './worker-protocol.ts';

export interface SolveInWorkerOptions {
  readonly seed?: number;
  /** Wall-clock budget; the solver returns its best solution once it is spent. */
  readonly timeLimitMs?: number;
  /** Deterministic iteration budget (same seed + same budget ⇒ same solution). */
  readonly maxIterations?: number;
  /** Best cost so far, at most every `progressIntervalMs` (and the last one before returning). */
  readonly onProgress?: (progress: SolveProgress) => void;
  readonly progressIntervalMs?: number;
  /** Stops the search early; the promise still resolves with the best solution so far. */
  readonly signal?: AbortSignal;
  /** Copy the matrices instead of transferring them (the caller keeps using `problem`). */
  readonly keepMatrices?: boolean;
  /** Debug invariant mode of the solver (re-costs routes after every move). */
  readonly debug?: boolean;
  /**
   * Module exporting `solve(problem, options)`; defaults to the routing core. Tests point it at
   * a stand-in to exercise the runner itself.
   */
  readonly solverModule?: URL;
}

const WORKER_ENTRY = new URL('./solve-worker-bootstrap.mjs', import.meta.url);
const DEFAULT_SOLVER = new URL('../solver/index.ts', import.meta.url);

export interface WorkerSolveResult {
  readonly solution: Solution;
  /** Time spent inside `solve` on the worker (excludes starting the thread and loading code). */
  readonly solveMs: number;
}

export async function solveInWorker(problem: Problem, options: SolveInWorkerOptions = {}): Promise<Solution> {
  return (await solveInWorkerTimed(problem, options)).solution;
}

/** `solveInWorker`, also reporting how long the solver itself ran. */
export function solveInWorkerTimed(problem: Problem, options: SolveInWorkerOptions = {}): Promise<WorkerSolveResult> {
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const transfer: ArrayBuffer[] = [];
  let sent = problem;
  if (options.keepMatrices) {
    sent = {
      ...problem,
      profiles: problem.profiles.map((p) => {
        const distance = p.distance.slice();
        return { distance, duration: p.duration === p.distance ? distance : p.duration.slice() };
      }),
    };
  }
  for (const profile of sent.profiles) {
    for (const matrix of [profile.distance, profile.duration]) {
      const buffer = matrix.buffer;
      // A matrix shared between profiles (or distance === duration) must be listed once.
      if (buffer instanceof ArrayBuffer && !transfer.includes(buffer)) transfer.push(buffer);
    }
  }
  const request: WorkerRequest = {
    problem: sent,
    solverModule: (options.solverModule ?? DEFAULT_SOLVER).href,
    stopFlag,
    progressIntervalMs: options.progressIntervalMs ?? 100,
    wantsProgress: options.onProgress !== undefined,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.timeLimitMs === undefined ? {} : { timeLimitMs: options.timeLimitMs }),
    ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
    ...(options.debug === undefined ? {} : { debug: options.debug }),
  };

  return new Promise<WorkerSolveResult>((resolve, reject) => {
    // Whatever the solver thread might print goes to stderr: stdout belongs to the caller (the
    // CLI's --json promises exactly one JSON object there).
    const worker = new Worker(WORKER_ENTRY, { stdout: true });
    worker.stdout.pipe(process.stderr, { end: false });
    let settled = false;
    const stop = (): void => {
      Atomics.store(stopFlag, 0, 1);
    };
    if (options.signal?.aborted) stop();
    options.signal?.addEventListener('abort', stop, { once: true });
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', stop);
      fn();
      void worker.terminate();
    };
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'progress') options.onProgress?.(reply.progress);
      else if (reply.type === 'done') finish(() => resolve({ solution: reply.solution, solveMs: reply.solveMs }));
      else finish(() => reject(Object.assign(new Error(reply.message), { name: reply.name, ...(reply.stack ? { stack: reply.stack } : {}) })));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`solver worker exited with code ${code} before returning a solution`))));
    worker.postMessage(request, transfer);
  });
}
