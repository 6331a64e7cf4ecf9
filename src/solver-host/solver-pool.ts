/**
 * The one solver host: a fixed pool of solver threads, so the calling thread (an HTTP server, a
 * BullMQ worker renewing its locks, the CLI's progress line) keeps its event loop while solves
 * burn cores. The planner keeps a few threads warm (a plan has a dozen problems, its co-delivery
 * comparison a hundred); `gongpei solve` and the benchmarks use a pool of one.
 *
 * The caller's budget becomes the solver's `deadline` on the thread: the search stops once
 * `timeLimitMs` has passed or once `signal` aborts. Aborting sets a flag in shared memory that
 * the solver sees at its next deadline check, so a cancelled solve still returns its best
 * solution so far. Progress (best cost so far) comes back as messages, throttled so a
 * fast-improving search cannot flood the caller's event loop.
 *
 * The distance/duration matrices are *transferred* to the thread (no copy): after the call they
 * are detached (length 0) in the caller, unless `keepMatrices` asks for a copy. A thread that dies
 * fails its current problem and is replaced. Threads run TypeScript through tsx, registered by
 * bootstrap.mjs, which works the same under tsx, bin/gongpei.js or vitest.
 *
 * Parallel search (`threads: N`): one problem becomes N independent searches queued on this
 * pool's threads, search k seeded with `searchSeed(seed, k)` (search 0 keeps the caller's seed, so
 * `threads: 1` is the plain solve and the best of N is never worse than it), each with the full
 * budget (the same iteration budget; with a time limit, the full wall time from its own start).
 * The answer is the best by `betterSolution` (fewer required tasks left out, then lower cost),
 * ties to the lower search index: under an iteration budget the same seed and thread count give
 * the same solution on any load and any pool size. With N > 1 the matrices are copied once into
 * shared memory that every search reads (nothing is transferred; the caller's stay usable).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SolveBudget, SolveFn } from '../planning/types.ts';
import type { Problem, Solution, SolveProgress } from '../solver/model.ts';
import type { SolveReply, SolveRequest, ThreadData } from './protocol.ts';

export interface SolverPoolOptions {
  /** Threads (default: min(4, cores)). */
  readonly size?: number;
  /** Debug invariant mode of the solver for every solve (config SOLVER_DEBUG). */
  readonly debug?: boolean;
  /** Module exporting `solve(problem, options)`; default the routing core (tests use a stand-in). */
  readonly solverModule?: URL;
}

export interface PoolSolveOptions {
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
  /**
   * Independent searches of this one problem (default 1), run on this pool's threads: the best of
   * them is returned. More than the pool's size queue behind each other (same answer, later).
   */
  readonly threads?: number;
}

export interface PoolSolveResult {
  readonly solution: Solution;
  /** Time spent inside `solve` on the thread (excludes waiting for a thread and loading code). */
  readonly solveMs: number;
  /** Each search of a `threads: N` solve, in search order (one entry for a plain solve). */
  readonly searches: readonly SearchOutcome[];
  /** Index in `searches` of the one returned. */
  readonly bestSearch: number;
}

export interface SearchOutcome {
  readonly seed: number;
  readonly cost: number;
  /** Required tasks left out (unassigned for any reason but `not_worth_it`). */
  readonly leftOut: number;
  readonly iterations: number;
  readonly solveMs: number;
}

interface Task {
  readonly request: SolveRequest;
  readonly transfer: ArrayBuffer[];
  readonly onProgress: ((progress: SolveProgress) => void) | undefined;
  readonly resolve: (r: { solution: Solution; solveMs: number }) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  task: Task | undefined;
}

const ENTRY = new URL('./bootstrap.mjs', import.meta.url);
const ROUTING_CORE = new URL('../solver/index.ts', import.meta.url);

export class SolverPool {
  readonly #size: number;
  readonly #debug: boolean;
  readonly #threadData: ThreadData;
  readonly #slots: Slot[] = [];
  readonly #queue: Task[] = [];
  #nextId = 1;
  #closed = false;

  constructor(options: SolverPoolOptions = {}) {
    this.#size = Math.max(1, options.size ?? Math.min(4, availableParallelism()));
    this.#debug = options.debug ?? false;
    this.#threadData = { solverModule: (options.solverModule ?? ROUTING_CORE).href };
  }

  get size(): number {
    return this.#size;
  }

  /** Solves `problem` on the next free thread (`threads: N`: N searches on the next N, best of them). */
  async run(problem: Problem, options: PoolSolveOptions = {}): Promise<PoolSolveResult> {
    const threads = options.threads ?? 1;
    if (!Number.isSafeInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
    const seed = options.seed ?? 1;
    if (threads === 1) {
      const { solution, solveMs } = await this.#runOne(problem, options);
      return { solution, solveMs, searches: [outcome(seed, solution, solveMs)], bestSearch: 0 };
    }
    const shared = withSharedMatrices(problem);
    const onProgress = options.onProgress;
    const latest: (SolveProgress | undefined)[] = new Array<SolveProgress | undefined>(threads);
    // One stop for every search: the caller's abort, or the first search that fails.
    const stop = new AbortController();
    const forward = (): void => stop.abort();
    if (options.signal?.aborted) stop.abort();
    options.signal?.addEventListener('abort', forward, { once: true });
    try {
      const settled = await Promise.allSettled(
        Array.from({ length: threads }, (_, k) =>
          this.#runOne(shared, {
            ...options,
            seed: searchSeed(seed, k),
            keepMatrices: false,
            signal: stop.signal,
            ...(onProgress
              ? {
                  onProgress: (p: SolveProgress) => {
                    latest[k] = p;
                    onProgress(bestProgress(latest));
                  },
                }
              : {}),
          }).catch((err: unknown) => {
            stop.abort();
            throw err;
          }),
        ),
      );
      const failed = settled.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      const results = settled.map((r) => (r as PromiseFulfilledResult<{ solution: Solution; solveMs: number }>).value);
      let best = 0;
      for (let k = 1; k < threads; k++) if (betterSolution(results[k]!.solution, results[best]!.solution)) best = k;
      return {
        solution: results[best]!.solution,
        solveMs: Math.max(...results.map((r) => r.solveMs)),
        searches: results.map((r, k) => outcome(searchSeed(seed, k), r.solution, r.solveMs)),
        bestSearch: best,
      };
    } finally {
      options.signal?.removeEventListener('abort', forward);
    }
  }

  #runOne(problem: Problem, options: PoolSolveOptions): Promise<{ solution: Solution; solveMs: number }> {
    if (this.#closed) return Promise.reject(new Error('the solver pool is closed'));
    const stopFlag = new Int32Array(new SharedArrayBuffer(4));
    const stop = (): void => {
      Atomics.store(stopFlag, 0, 1);
    };
    const sent = options.keepMatrices ? withCopiedMatrices(problem) : problem;
    const request: SolveRequest = {
      id: this.#nextId++,
      problem: sent,
      stopFlag,
      wantsProgress: options.onProgress !== undefined,
      progressIntervalMs: options.progressIntervalMs ?? 100,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.timeLimitMs === undefined ? {} : { timeLimitMs: options.timeLimitMs }),
      ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
      ...(this.#debug ? { debug: true } : {}),
    };
    if (options.signal?.aborted) stop();
    options.signal?.addEventListener('abort', stop, { once: true });
    const done = () => options.signal?.removeEventListener('abort', stop);
    return new Promise<{ solution: Solution; solveMs: number }>((resolve, reject) => {
      this.#queue.push({
        request,
        transfer: matrixBuffers(sent),
        onProgress: options.onProgress,
        resolve: (r) => {
          done();
          resolve(r);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      this.#dispatch();
    });
  }

  /** The planner's solve function on this pool. */
  readonly solve: SolveFn = async (problem: Problem, budget: SolveBudget): Promise<Solution> => {
    const { solution, searches } = await this.run(problem, {
      seed: budget.seed,
      timeLimitMs: budget.timeLimitMs,
      ...(budget.maxIterations !== undefined ? { maxIterations: budget.maxIterations } : {}),
      ...(budget.threads !== undefined ? { threads: budget.threads } : {}),
    });
    // The planner reads `iterations` below the budget as "the wall-clock cap stopped the search,
    // not reproducible": any capped search makes the best-of-N answer load-dependent too.
    return { ...solution, iterations: Math.min(...searches.map((s) => s.iterations)) };
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
      slot.worker.postMessage(task.request, task.transfer);
    }
  }

  #spawn(): Slot {
    // Whatever a solver thread might print goes to stderr: stdout belongs to the caller (the
    // CLI's --json promises exactly one JSON object there).
    const worker = new Worker(ENTRY, { workerData: this.#threadData, stdout: true });
    worker.stdout.pipe(process.stderr, { end: false });
    const slot: Slot = { worker, task: undefined };
    worker.on('message', (reply: SolveReply) => {
      const task = slot.task;
      if (!task || task.request.id !== reply.id) return;
      if (reply.type === 'progress') {
        task.onProgress?.(reply.progress);
        return;
      }
      slot.task = undefined;
      if (reply.type === 'done') task.resolve({ solution: reply.solution, solveMs: reply.solveMs });
      else task.reject(Object.assign(new Error(reply.message), { name: reply.name, ...(reply.stack ? { stack: reply.stack } : {}) }));
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
    worker.on('exit', (code) => fail(new Error(`solver thread exited with code ${code} before returning a solution`)));
    this.#slots.push(slot);
    return slot;
  }
}

/**
 * Seed of search `k` of a `threads: N` solve: search 0 keeps the caller's seed; the others are
 * spread by a 32-bit integer hash (Murmur3's finaliser) of (seed, k), so neighbouring seeds do not
 * give overlapping searches.
 */
export function searchSeed(seed: number, k: number): number {
  if (k === 0) return seed;
  let h = Math.imul(seed | 0, 0x85ebca6b) ^ Math.imul(k, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The solver's order on answers: fewer required tasks left out first (an optional job left out is
 * already priced in `cost` by its prize), then lower cost. Strict: a tie is not better.
 */
export function betterSolution(a: Solution, b: Solution): boolean {
  const la = leftOut(a);
  const lb = leftOut(b);
  return la !== lb ? la < lb : a.cost < b.cost;
}

function leftOut(s: Solution): number {
  let n = 0;
  for (const u of s.unassigned) if (u.reason !== 'not_worth_it') n++;
  return n;
}

function outcome(seed: number, solution: Solution, solveMs: number): SearchOutcome {
  return { seed, cost: solution.cost, leftOut: leftOut(solution), iterations: solution.iterations, solveMs };
}

/** The best progress over the searches: feasible first, then lower cost. */
function bestProgress(latest: readonly (SolveProgress | undefined)[]): SolveProgress {
  let best: SolveProgress | undefined;
  for (const p of latest) {
    if (!p) continue;
    if (!best || (p.feasible !== best.feasible ? p.feasible : p.bestCost < best.bestCost)) best = p;
  }
  return best!;
}

/** The matrices copied once into shared memory: every search of one problem reads the same copy. */
function withSharedMatrices(problem: Problem): Problem {
  const copies = new Map<Int32Array, Int32Array>();
  const share = (m: Int32Array): Int32Array => {
    let c = copies.get(m);
    if (!c) {
      c = new Int32Array(new SharedArrayBuffer(m.byteLength));
      c.set(m);
      copies.set(m, c);
    }
    return c;
  };
  return { ...problem, profiles: problem.profiles.map((p) => ({ distance: share(p.distance), duration: share(p.duration) })) };
}

/** Each matrix buffer once (a matrix shared between profiles, or distance === duration). */
function matrixBuffers(problem: Problem): ArrayBuffer[] {
  const transfer: ArrayBuffer[] = [];
  for (const p of problem.profiles) {
    for (const m of [p.distance, p.duration]) if (m.buffer instanceof ArrayBuffer && !transfer.includes(m.buffer)) transfer.push(m.buffer);
  }
  return transfer;
}

function withCopiedMatrices(problem: Problem): Problem {
  return {
    ...problem,
    profiles: problem.profiles.map((p) => {
      const distance = p.distance.slice();
      return { distance, duration: p.duration === p.distance ? distance : p.duration.slice() };
    }),
  };
}
