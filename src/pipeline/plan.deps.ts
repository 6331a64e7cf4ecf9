/**
 * Builds the planner's dependencies from the configuration: the solve function (worker threads),
 * the road-matrix source (haversine × detour, or OSRM), the day settings and the solve budget.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { roadMatrixProvider } from '../geo/matrix.ts';
import { daySettings } from '../planning/day-model.ts';
import type { SolveBudget, SolveFn } from '../planning/types.ts';
import type { PlanDeps } from './plan.steps.ts';
import { SolverPool } from '../solver-host/solver-pool.ts';

export interface PlannerOptions {
  /** Wall-clock cap per solver problem (default PLAN_TIME_LIMIT_MS, else 60 s): a guard, not the budget. */
  readonly timeLimitMs?: number;
  /** Work budget per solver problem (default PLAN_ITERATIONS): same input + seed ⇒ same plan. */
  readonly maxIterations?: number;
  /** Plan each courier alone too (default true). */
  readonly savings?: boolean;
  readonly solve?: SolveFn;
  /**
   * Solver threads when `solve` is not given (default 2: this machine's cores). Spare threads run
   * parallel searches of the plan's big problems (searchThreads): plans are reproducible per seed
   * and thread count.
   */
  readonly threads?: number;
}

/** The wall-clock cap per problem when neither the caller nor PLAN_TIME_LIMIT_MS sets one. */
export const DEFAULT_TIME_CAP_MS = 60_000;

/** The per-problem budget the planner uses: the work budget, and the wall-clock cap. */
export function plannerBudget(config: Pick<Config, 'PLAN_ITERATIONS' | 'PLAN_TIME_LIMIT_MS'>, options: Pick<PlannerOptions, 'timeLimitMs' | 'maxIterations'> = {}): Omit<SolveBudget, 'seed'> {
  return {
    timeLimitMs: options.timeLimitMs ?? config.PLAN_TIME_LIMIT_MS ?? DEFAULT_TIME_CAP_MS,
    maxIterations: options.maxIterations ?? config.PLAN_ITERATIONS,
  };
}

export type ClosablePlanDeps = PlanDeps & { close(): Promise<void> };

export async function plannerDeps(db: Kysely<Database>, config: Config, options: PlannerOptions = {}): Promise<ClosablePlanDeps> {
  const pool = options.solve ? undefined : new SolverPool({ size: options.threads ?? 2, debug: config.SOLVER_DEBUG });
  return {
    db,
    solve: options.solve ?? pool!.solve,
    ...(pool ? { solverThreads: pool.size } : {}),
    close: async () => {
      await pool?.close();
    },
    roadSource: (await roadMatrixProvider(config)).source,
    settings: daySettings(config),
    ...plannerBudget(config, options),
    savings: options.savings ?? true,
    returnAfterDays: config.RETURN_AFTER_DAYS,
  };
}
