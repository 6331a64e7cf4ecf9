/**
 * POST /v1/solve (dispatcher and admin keys): a problem in VROOM's input format, answered in
 * VROOM's output format, so a VROOM user switches by changing the URL. Solved on the process's
 * SolverPool (the one solver host) under a work budget (SOLVE_ITERATIONS, capped by
 * SOLVE_TIME_LIMIT_MS); the answer is re-checked independently before it is sent. Couriers and
 * drivers have no use for an ad-hoc solver and their keys get 403: a solve costs seconds of CPU.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type RequestHandler } from 'express';
import { AppError } from '../errors.ts';
import { requireRole } from '../http/auth.ts';
import { jsonBody } from '../http/json-body.ts';
import { json, registerOperation } from '../http/openapi-operation.ts';
import { refuseUnsafeText } from '../http/text-safety.ts';
import { requireMediaType } from '../http/validate.ts';
import type { SolverPool } from '../solver-host/solver-pool.ts';
import type { TimedMatrixSource } from './coordinates.ts';
import { solveVroom } from './solve.ts';
import { VroomAnswer, VroomInput } from './vroom.schemas.ts';

/** The solver side of the endpoint: the pool and the budget of one request. */
export interface SolveApiOptions {
  readonly pool: SolverPool;
  /** Work budget per request (solver iterations): with the seed, the same answer on any load. */
  readonly maxIterations: number;
  /** Wall-clock cap per request, a guard only. */
  readonly timeLimitMs: number;
  /** Matrices for problems given by coordinates alone (the configured OSRM); absent: those are 400s. */
  readonly roadMatrix?: TimedMatrixSource | undefined;
}

export interface VroomRoutesDeps {
  readonly guard: readonly RequestHandler[];
  /** Absent: this process has no solver (the endpoint answers 503). */
  readonly solve?: SolveApiOptions | undefined;
}

/** Matrices are most of a problem: 8 MB holds durations and distances for ≈ 500 locations. */
export const SOLVE_BODY_LIMIT = '8mb';

export function vroomRoutes(deps: VroomRoutesDeps): Router {
  const r = Router();
  r.post('/v1/solve', ...deps.guard, requireRole('dispatcher', 'admin'), requireMediaType('application/json'), jsonBody(SOLVE_BODY_LIMIT), async (req, res) => {
    refuseUnsafeText(req.body);
    const solve = deps.solve;
    if (!solve) throw new AppError('unavailable', 'this process has no solver; POST /v1/solve is served by `gongpei serve`');
    // A client that goes away stops the search (its best so far is discarded with the socket).
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const { answer, check } = await solveVroom(req.body, solve.pool, { seed: 1, maxIterations: solve.maxIterations, timeLimitMs: solve.timeLimitMs, signal: abort.signal, roadMatrix: solve.roadMatrix, maxThreads: solve.pool.size });
    if (!check.feasible) throw new Error(`the solve answer fails the independent check: ${check.violations.slice(0, 5).join('; ')}`);
    res.json(answer);
  });
  return r;
}

export function documentVroomRoutes(registry: OpenAPIRegistry): void {
  registerOperation(registry, {
    method: 'post',
    path: '/v1/solve',
    operationId: 'solveVroomProblem',
    tag: 'solve',
    summary: 'Solve a routing problem given in VROOM’s format',
    description:
      'VROOM-compatible: jobs, shipments, vehicles and per-profile matrices (or the deprecated single `matrix`) in, `code` / `summary` / `routes` / `unassigned` out (VROOM’s docs/API.md). ' +
      'Extensions: vehicles’ `max_trips`, `reload_time` (multi-trip; steps of type `reload`) and `release_time`; `threads` (parallel searches, at most SOLVE_THREADS); `reason` on unassigned tasks; `summary.iterations`. ' +
      'A VROOM field gongpei does not model (breaks, max_travel_time, vehicle steps, per-type times, …) is a 400 naming it, never ignored; ' +
      'Coordinates without `matrices` are routed on the configured OSRM (OSRM_URL, profile car); without OSRM they are a 400 naming `matrices`. Solved under a work budget (SOLVE_ITERATIONS solver iterations, seed 1).',
    roles: ['dispatcher', 'admin'],
    request: { body: { schema: VroomInput } },
    responses: { 200: json('The solution in VROOM’s output format', VroomAnswer) },
  });
}
