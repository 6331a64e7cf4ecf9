/**
 * The order of a service day, written once: the line-haul first (its arrivals release the
 * village vans), then the work that depends on it — every hub's village routes, and in the
 * pipeline each courier's solo plan — at most `concurrency` at a time. `planDay` runs it in
 * memory; the pipeline's day runner (src/pipeline/day-runner.ts) runs it on stored plans, and
 * the BullMQ flow spreads the same steps over jobs.
 */
export interface DaySequenceOptions {
  /** Steps after the line-haul running at once (default 1: in order). */
  readonly concurrency?: number;
  /** After the line-haul and after each later step: steps done, steps in all. */
  readonly onStep?: (done: number, total: number) => void;
}

export async function sequenceDay<L, R>(
  lineHaul: () => Promise<L>,
  afterLineHaul: (lineHaul: L) => readonly (() => Promise<R>)[],
  options: DaySequenceOptions = {},
): Promise<{ readonly lineHaul: L; readonly results: R[] }> {
  const first = await lineHaul();
  const tasks = afterLineHaul(first);
  const total = tasks.length + 1;
  let done = 1;
  options.onStep?.(done, total);
  const results: R[] = new Array(tasks.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      const k = next++;
      results[k] = await tasks[k]!();
      options.onStep?.(++done, total);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 1, tasks.length)) }, lane));
  return { lineHaul: first, results };
}

/**
 * Parallel searches (SolveBudget.threads) for step `k` of `steps` that the day's order runs at
 * once, on a solver host of `poolThreads`: when fewer problems are in flight than threads, the
 * spare threads go to the first steps in the day's order, which are its biggest problems — the
 * line-haul (alone in flight: every thread), then the hubs' village routes (a hub's every parcel
 * and pickup) before the couriers' solo plans. Only the day's structure and the pool's size
 * decide it, never which solves happen to be running, so a plan under a work budget is the
 * same for the same seed and solver threads on any load.
 */
export function searchThreads(k: number, steps: number, poolThreads: number): number {
  if (steps >= poolThreads || steps <= 0) return 1;
  return Math.floor(poolThreads / steps) + (k < poolThreads % steps ? 1 : 0);
}
