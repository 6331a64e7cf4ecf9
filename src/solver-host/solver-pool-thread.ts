/**
 * A long-lived solver thread for SolverPool: loads the routing core once, then solves request
 * after request (starting a thread and loading TypeScript costs about a second; a plan has a
 * dozen problems, its co-delivery comparison a hundred).
 */
import { parentPort } from 'node:worker_threads';
import { solve } from '../solver/index.ts';
import type { PoolReply, PoolRequest } from './solver-pool.ts';

const port = parentPort;
if (!port) throw new Error('solver-pool-thread.ts must run as a worker thread');

port.on('message', (request: PoolRequest) => {
  const start = performance.now();
  try {
    const limit = request.timeLimitMs;
    const solution = solve(request.problem, {
      seed: request.seed,
      deadline: () => performance.now() - start >= limit,
      timeFraction: () => Math.min(1, (performance.now() - start) / limit),
      ...(request.maxIterations !== undefined ? { maxIterations: request.maxIterations } : {}),
      ...(request.debug ? { debug: true } : {}),
    });
    const reply: PoolReply = { id: request.id, ok: true, solution, solveMs: performance.now() - start };
    port.postMessage(reply);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    const reply: PoolReply = { id: request.id, ok: false, name: e.name, message: e.message };
    port.postMessage(reply);
  }
});
