/**
 * Worker-thread entry for `solveInWorker`: receives one problem, runs the solver with a
 * deadline built from this thread's clock and the caller's stop flag, posts throttled
 * progress, then the solution, and exits.
 */
import { parentPort } from 'node:worker_threads';
import type { Problem, Solution, SolveOptions, SolveProgress } from '../solver/model.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

interface SolverModule {
  solve(problem: Problem, options: SolveOptions): Solution | Promise<Solution>;
}

const port = parentPort;
if (!port) throw new Error('solve-worker.ts must run as a worker thread');

port.once('message', (request: WorkerRequest) => {
  void run(request).then(
    ({ solution, solveMs }) => post({ type: 'done', solution, solveMs }),
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      post({ type: 'error', name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
    },
  );
});

function post(reply: WorkerReply): void {
  port!.postMessage(reply);
}

async function run(request: WorkerRequest): Promise<{ solution: Solution; solveMs: number }> {
  const solver = (await import(request.solverModule)) as SolverModule;
  const start = performance.now();
  const limit = request.timeLimitMs;
  const stopped = (): boolean => Atomics.load(request.stopFlag, 0) !== 0;
  const deadline = limit === undefined ? stopped : () => stopped() || performance.now() - start >= limit;

  let lastPost = Number.NEGATIVE_INFINITY;
  let pending: SolveProgress | undefined;
  const onProgress = (progress: SolveProgress): void => {
    const now = performance.now();
    if (now - lastPost >= request.progressIntervalMs) {
      lastPost = now;
      pending = undefined;
      post({ type: 'progress', progress });
    } else {
      pending = progress;
    }
  };
  // timeFraction and debug are newer SolveOptions fields; spelled out so this file compiles
  // against either version of the contract.
  const options: SolveOptions & { timeFraction?: () => number; debug?: boolean } = {
    deadline,
    ...(request.seed === undefined ? {} : { seed: request.seed }),
    ...(request.maxIterations === undefined ? {} : { maxIterations: request.maxIterations }),
    ...(request.debug === undefined ? {} : { debug: request.debug }),
    ...(request.wantsProgress ? { onProgress } : {}),
    ...(limit === undefined ? {} : { timeFraction: () => Math.min(1, (performance.now() - start) / limit) }),
  };
  const solution = await solver.solve(request.problem, options);
  const solveMs = performance.now() - start;
  if (pending) post({ type: 'progress', progress: pending });
  return { solution, solveMs };
}
