/**
 * The one day runner. A plan's day is a fixed graph of steps (plan.steps.ts): prepare →
 * line-haul → one village step per hub and one savings step per courier, in parallel →
 * finalize. This module names the steps (`DayStep`), says which steps follow the line-haul
 * (`stepsAfterLineHaul`) and runs any one of them (`runDayStep`); both ways of running a day use
 * exactly these:
 * - `runDay`, in this process (the demo without Redis, `gongpei plan run --here`, tests), through
 *   the day sequence of src/planning/day-sequence.ts;
 * - the BullMQ flow (plan.processors.ts, plan.jobs.ts), one job per step on any worker.
 */
import { sequenceDay } from '../planning/day-sequence.ts';
import { failPlan, finalizeStep, lineHaulStep, prepareStep, savingsStep, villageStep, type PlanDeps, type PlanState, type PlanSummary, type SavingsStepResult, type VillageStepResult } from './plan.steps.ts';

export type DayStep =
  | { readonly name: 'prepare' }
  | { readonly name: 'line-haul' }
  | { readonly name: 'village'; readonly hubId: string }
  | { readonly name: 'savings'; readonly courier: string };

/** The steps after the line-haul, run in parallel. */
export type ParallelStep = Extract<DayStep, { name: 'village' | 'savings' }>;

/** What a parallel step leaves for finalize. */
export type ParallelStepResult = VillageStepResult | SavingsStepResult;

/** The steps the line-haul releases: every hub's village routes, every courier's solo plan. */
export function stepsAfterLineHaul(state: Pick<PlanState, 'hubs' | 'couriers'>): ParallelStep[] {
  return [...state.hubs.map((hubId) => ({ name: 'village' as const, hubId })), ...state.couriers.map((courier) => ({ name: 'savings' as const, courier }))];
}

/** Runs one step before finalize. */
export async function runDayStep(deps: PlanDeps, planId: string, step: Extract<DayStep, { name: 'prepare' | 'line-haul' }>): Promise<PlanState>;
export async function runDayStep(deps: PlanDeps, planId: string, step: ParallelStep): Promise<ParallelStepResult>;
export async function runDayStep(deps: PlanDeps, planId: string, step: DayStep): Promise<PlanState | ParallelStepResult>;
export async function runDayStep(deps: PlanDeps, planId: string, step: DayStep): Promise<PlanState | ParallelStepResult> {
  switch (step.name) {
    case 'prepare':
      return prepareStep(deps, planId);
    case 'line-haul':
      return lineHaulStep(deps, planId);
    case 'village':
      return villageStep(deps, planId, step.hubId);
    case 'savings':
      return savingsStep(deps, planId, step.courier);
  }
}

/** Finalize, given the parallel steps' results in any order (a queue's children come unordered). */
export function finalizeDay(deps: PlanDeps, planId: string, results: readonly unknown[]): Promise<PlanSummary> {
  const parallel = results.filter((v): v is ParallelStepResult => v !== null && typeof v === 'object');
  return finalizeStep(
    deps,
    planId,
    parallel.filter((v): v is VillageStepResult => 'hubId' in v),
    parallel.filter((v): v is SavingsStepResult => 'courier' in v),
  );
}

export interface RunnerProgress {
  readonly phase: 'prepare' | 'line_haul' | 'villages' | 'finalize' | 'done';
  readonly done: number;
  readonly total: number;
}

export interface RunDayOptions {
  /** Parallel steps at once (default 2: the planner's solver threads). */
  readonly concurrency?: number;
  readonly onProgress?: (p: RunnerProgress) => void;
}

/** Runs a requested plan's whole day in this process; a failure fails the plan, then rethrows. */
export async function runDay(deps: PlanDeps, planId: string, options: RunDayOptions = {}): Promise<PlanSummary> {
  const report = options.onProgress ?? (() => {});
  try {
    const { results } = await sequenceDay(
      async () => {
        report({ phase: 'prepare', done: 0, total: 1 });
        await runDayStep(deps, planId, { name: 'prepare' });
        report({ phase: 'line_haul', done: 0, total: 1 });
        return runDayStep(deps, planId, { name: 'line-haul' });
      },
      (state) => stepsAfterLineHaul(state).map((step) => () => runDayStep(deps, planId, step)),
      { concurrency: options.concurrency ?? 2, onStep: (done, total) => report({ phase: 'villages', done: done - 1, total: total - 1 }) },
    );
    report({ phase: 'finalize', done: 0, total: 1 });
    const summary = await finalizeDay(deps, planId, results);
    report({ phase: 'done', done: 1, total: 1 });
    return summary;
  } catch (err) {
    await failPlan(deps, planId, err instanceof Error ? err.message : String(err));
    throw err;
  }
}
