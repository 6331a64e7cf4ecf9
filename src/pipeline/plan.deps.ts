/**
 * Builds the planner's dependencies from the configuration: the solve function (worker threads),
 * the road-matrix source (haversine × detour, or OSRM), the day settings and the solve budget.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { roadMatrixSource } from '../geo/matrix.ts';
import { daySettings } from '../planning/day-model.ts';
import type { SolveFn } from '../planning/types.ts';
import type { PlanDeps } from './plan.steps.ts';
import { SolverPool } from '../solver-host/solver-pool.ts';

export interface PlannerOptions {
  /** Wall-clock budget per solver problem (default 1500 ms). */
  readonly timeLimitMs?: number;
  readonly maxIterations?: number;
  /** Plan each courier alone too (default true). */
  readonly savings?: boolean;
  readonly solve?: SolveFn;
  /** Solver threads when `solve` is not given (default 2: this machine's cores). */
  readonly threads?: number;
}

export type ClosablePlanDeps = PlanDeps & { close(): Promise<void> };

export async function plannerDeps(db: Kysely<Database>, config: Config, options: PlannerOptions = {}): Promise<ClosablePlanDeps> {
  const pool = options.solve ? undefined : new SolverPool({ size: options.threads ?? 2, debug: config.SOLVER_DEBUG });
  return {
    db,
    solve: options.solve ?? pool!.solve,
    close: async () => {
      await pool?.close();
    },
    roadSource: await roadMatrixSource({ detourFactor: config.DETOUR_FACTOR, ...(config.OSRM_URL ? { osrmUrl: config.OSRM_URL } : {}) }),
    settings: daySettings(config),
    timeLimitMs: options.timeLimitMs ?? 1500,
    ...(options.maxIterations !== undefined ? { maxIterations: options.maxIterations } : {}),
    savings: options.savings ?? true,
    returnAfterDays: config.RETURN_AFTER_DAYS,
  };
}
