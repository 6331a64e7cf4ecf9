/**
 * Runs a plan's steps in this process, in the same order and with the same functions as the
 * queue workers: the demo's path when Redis is not reachable, and the reference the integration
 * tests compare the flow against. Village and comparison steps run `concurrency` at a time
 * (each solve is on its own worker thread).
 */
import { failPlan, finalizeStep, lineHaulStep, prepareStep, savingsStep, villageStep, type PlanDeps, type PlanSummary, type SavingsStepResult, type VillageStepResult } from './plan.steps.ts';

export interface RunnerProgress {
  readonly phase: 'prepare' | 'line_haul' | 'villages' | 'finalize' | 'done';
  readonly done: number;
  readonly total: number;
}

export async function runPlanInProcess(
  deps: PlanDeps,
  planId: string,
  options: { readonly concurrency?: number; readonly onProgress?: (p: RunnerProgress) => void } = {},
): Promise<PlanSummary> {
  const report = options.onProgress ?? (() => {});
  try {
    report({ phase: 'prepare', done: 0, total: 1 });
    await prepareStep(deps, planId);
    report({ phase: 'line_haul', done: 0, total: 1 });
    const state = await lineHaulStep(deps, planId);
    const tasks: (() => Promise<VillageStepResult | SavingsStepResult>)[] = [
      ...state.hubs.map((hub) => () => villageStep(deps, planId, hub)),
      ...state.couriers.map((courier) => () => savingsStep(deps, planId, courier)),
    ];
    let done = 0;
    report({ phase: 'villages', done, total: tasks.length });
    const results = await pool(tasks, options.concurrency ?? 2, () => report({ phase: 'villages', done: ++done, total: tasks.length }));
    report({ phase: 'finalize', done: 0, total: 1 });
    const summary = await finalizeStep(
      deps,
      planId,
      results.filter((r): r is VillageStepResult => 'hubId' in r),
      results.filter((r): r is SavingsStepResult => 'courier' in r),
    );
    report({ phase: 'done', done: 1, total: 1 });
    return summary;
  } catch (err) {
    await failPlan(deps, planId, err instanceof Error ? err.message : String(err));
    throw err;
  }
}

async function pool<T>(tasks: readonly (() => Promise<T>)[], concurrency: number, onDone: () => void): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const k = next++;
      results[k] = await tasks[k]!();
      onDone();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, lane));
  return results;
}
