/**
 * A fixed pool of solver threads (default: one per core) behind the planner's SolveFn.
 *
 * The planning workers solve many small problems (a line-haul, a dozen townships, and the
 * per-courier comparison); a fresh thread per problem (src/solver-host/solve-in-worker.ts) pays the
 * thread and TypeScript start-up each time, so plans keep a few threads warm instead. The main
 * thread stays free: a BullMQ worker keeps renewing its locks while the pool computes. A thread
 * that dies fails its current problem and is replaced.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Problem, Solution } from '../solver/model.ts';
import type { SolveBudget, SolveFn } from '../planning/types.ts';

export interface PoolRequest {
  readonly id: number;
  readonly problem: Problem;
  readonly seed: number;
  readonly timeLimitMs: number;
  readonly maxIterations?: number;
  readonly debug?: boolean;
}

export type PoolReply =
  | { readonly id: number; readonly ok: true; readonly solution: Solution; readonly solveMs: number }
  | { readonly id: number; readonly ok: false; readonly name: string; readonly message: string };

interface Task {
  readonly request: PoolRequest;
  readonly resolve: (s: Solution) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | undefined;
}

const ENTRY = new URL('./solver-pool-bootstrap.mjs', import.meta.url);

export class SolverPool {
  readonly #size: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Task[] = [];
  readonly #debug: boolean;
  #nextId = 1;
  #closed = false;

  constructor(options: { readonly size?: number; readonly debug?: boolean } = {}) {
    this.#size = Math.max(1, options.size ?? Math.min(4, availableParallelism()));
    this.#debug = options.debug ?? false;
  }

  get size(): number {
    return this.#size;
  }

  /** The planner's solve function on this pool. */
  readonly solve: SolveFn = (problem: Problem, budget: SolveBudget): Promise<Solution> => {
    if (this.#closed) return Promise.reject(new Error('the solver pool is closed'));
    return new Promise<Solution>((resolve, reject) => {
      const request: PoolRequest = {
        id: this.#nextId++,
        problem,
        seed: budget.seed,
        timeLimitMs: budget.timeLimitMs,
        ...(budget.maxIterations !== undefined ? { maxIterations: budget.maxIterations } : {}),
        ...(this.#debug ? { debug: true } : {}),
      };
      this.#queue.push({ request, resolve, reject });
      this.#dispatch();
    });
  };

  async close(): Promise<void> {
    this.#closed = true;
    for (const t of this.#queue.splice(0)) t.reject(new Error('the solver pool was closed'));
    await Promise.all(this.#slots.splice(0).map((s) => s.worker.terminate()));
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let slot = this.#slots.find((s) => s.task === undefined);
      if (!slot && this.#slots.length < this.#size) slot = this.#spawn();
      if (!slot) return;
      const task = this.#queue.shift()!;
      slot.task = task;
      const transfer: ArrayBuffer[] = [];
      for (const p of task.request.problem.profiles) {
        for (const m of [p.distance, p.duration]) if (m.buffer instanceof ArrayBuffer && !transfer.includes(m.buffer)) transfer.push(m.buffer);
      }
      slot.worker.postMessage(task.request, transfer);
    }
  }

  #spawn(): Slot {
    const worker = new Worker(ENTRY);
    const slot: Slot = { worker, task: undefined };
    worker.on('message', (reply: PoolReply) => {
      const task = slot.task;
      slot.task = undefined;
      if (task && task.request.id === reply.id) {
        if (reply.ok) task.resolve(reply.solution);
        else task.reject(Object.assign(new Error(reply.message), { name: reply.name }));
      }
      this.#dispatch();
    });
    const fail = (err: Error) => {
      const task = slot.task;
      slot.task = undefined;
      const k = this.#slots.indexOf(slot);
      if (k >= 0) this.#slots.splice(k, 1);
      task?.reject(err);
      if (!this.#closed) this.#dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`solver thread exited with code ${code}`)));
    this.#slots.push(slot);
    return slot;
  }
}
