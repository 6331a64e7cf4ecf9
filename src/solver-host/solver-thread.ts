/**
 * A solver thread of a SolverPool: loads the solver module once (starting a thread and loading
 * TypeScript costs about a second), then solves request after request. Each solve gets a
 * deadline built from this thread's clock, the request's time limit and the caller's stop flag,
 * and posts throttled progress, then the solution (or the error).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Problem, Solution, SolveOptions, SolveProgress } from '../solver/model.ts';
import type { SolveReply, SolveRequest, ThreadData } from './protocol.ts';

interface SolverModule {
  solve(problem: Problem, options: SolveOptions): Solution | Promise<Solution>;
}

const port = parentPort;
if (!port) throw new Error('solver-thread.ts must run as a worker thread');
const solver = (await import((workerData as ThreadData).solverModule)) as SolverModule;

// One request at a time: the pool sends a thread its next problem only after the last answer.
port.on('message', (request: SolveRequest) => {
  void run(request).then(
    ({ solution, solveMs }) => post({ id: request.id, type: 'done', solution, solveMs }),
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      post({ id: request.id, type: 'error', name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
    },
  );
});

function post(reply: SolveReply): void {
  port!.postMessage(reply);
}

async function run(request: SolveRequest): Promise<{ solution: Solution; solveMs: number }> {
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
      post({ id: request.id, type: 'progress', progress });
    } else {
      pending = progress;
    }
  };
  const options: SolveOptions = {
    deadline,
    ...(request.seed === undefined ? {} : { seed: request.seed }),
    ...(request.maxIterations === undefined ? {} : { maxIterations: request.maxIterations }),
    ...(request.debug ? { debug: true } : {}),
    ...(request.wantsProgress ? { onProgress } : {}),
    // With an iteration budget the schedules follow the iterations, not the clock, so the same
    // seed gives the same solution however loaded the machine is; the time limit is then a cap.
    ...(limit === undefined || request.maxIterations !== undefined ? {} : { timeFraction: () => Math.min(1, (performance.now() - start) / limit) }),
  };
  const solution = await solver.solve(request.problem, options);
  const solveMs = performance.now() - start;
  if (pending) post({ id: request.id, type: 'progress', progress: pending });
  return { solution, solveMs };
}
