/**
 * POST /v1/solve over real HTTP: VROOM's format in and out, solved on a SolverPool thread under
 * the configured work budget. The answer passes the independent checker and is the same answer
 * the routing core gives in-process for the same problem, seed and iterations. Dispatcher and
 * admin keys may call it; courier and driver keys get 403. Unsupported fields are 400s naming
 * them. (SQLite only: the endpoint stores nothing; the database only holds the keys.)
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SolverPool } from '../../../src/solver-host/solver-pool.ts';
import { solve } from '../../../src/solver/index.ts';
import { checkVroomAnswer } from '../../../src/vroom/check.ts';
import { toVroomAnswer } from '../../../src/vroom/to-answer.ts';
import { parseVroomInput, toVroomModel } from '../../../src/vroom/to-problem.ts';
import type { VroomAnswer } from '../../../src/vroom/vroom.schemas.ts';
import { startApi, type ApiContext } from './helpers.ts';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../fixtures/vroom/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

const ITERATIONS = 200;
let api: ApiContext;
let pool: SolverPool;

beforeAll(async () => {
  pool = new SolverPool({ size: 2 });
  api = await startApi('sqlite', { relay: false, app: { solve: { pool, maxIterations: ITERATIONS, timeLimitMs: 60_000 } } });
});
afterAll(async () => {
  await api?.close();
  await pool?.close();
});

const stepsOf = (a: VroomAnswer) => a.routes.map((r) => [r.vehicle, ...r.steps.map((s) => `${s.type}:${s.id ?? ''}@${s.arrival}`)]);

describe('POST /v1/solve', () => {
  it.each(['two-vans-matrices', 'open-routes-costs', 'multi-trip-release'])('answers %s in VROOM’s shape, checked, the same as the core in-process', async (name) => {
    const problem = fixture(name);
    const res = await api.request('POST', '/v1/solve', { key: api.keys.dispatcher, json: problem, timeoutMs: 60_000 });
    expect(res.status).toBe(200);
    const answer = res.body as VroomAnswer;
    expect(answer.code).toBe(0);
    expect(Object.keys(answer.summary)).toEqual(expect.arrayContaining(['cost', 'routes', 'unassigned', 'delivery', 'pickup', 'service', 'duration', 'waiting_time', 'computing_times']));
    const input = parseVroomInput(problem);
    expect(checkVroomAnswer(input, answer).violations).toEqual([]);
    const model = toVroomModel(input);
    const local = toVroomAnswer(model, solve(model.problem, { seed: 1, maxIterations: ITERATIONS }), { loadingMs: 0, solvingMs: 0 });
    expect(stepsOf(answer)).toEqual(stepsOf(local));
    expect(answer.summary.cost).toBe(local.summary.cost);
  });

  it('runs `threads` searches (the best of them, the same answer again), at most the pool’s threads; a bad count is a 400 naming threads', async () => {
    const problem = { ...fixture('two-vans-matrices'), threads: 2 };
    const a = await api.request('POST', '/v1/solve', { key: api.keys.dispatcher, json: problem, timeoutMs: 60_000 });
    const b = await api.request('POST', '/v1/solve', { key: api.keys.dispatcher, json: problem, timeoutMs: 60_000 });
    expect(a.status).toBe(200);
    expect(stepsOf(b.body as VroomAnswer)).toEqual(stepsOf(a.body as VroomAnswer));
    expect(checkVroomAnswer(parseVroomInput(problem), a.body as VroomAnswer).violations).toEqual([]);
    const model = toVroomModel(parseVroomInput(problem));
    const searchZero = toVroomAnswer(model, solve(model.problem, { seed: 1, maxIterations: ITERATIONS }), { loadingMs: 0, solvingMs: 0 });
    expect((a.body as VroomAnswer).summary.cost).toBeLessThanOrEqual(searchZero.summary.cost);

    for (const threads of [3, 0, 1.5, 'two']) {
      const res = await api.request('POST', '/v1/solve', { key: api.keys.dispatcher, json: { ...problem, threads } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_data');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['threads']);
    }
  });

  it('is for dispatcher and admin keys: 403 for couriers and drivers, 401 without a key', async () => {
    const problem = fixture('priorities');
    const statuses = [];
    for (const key of [api.keys.admin, api.keys.zto, api.keys.driver, null]) {
      statuses.push((await api.request('POST', '/v1/solve', { key, json: problem, timeoutMs: 60_000 })).status);
    }
    expect(statuses).toEqual([200, 403, 403, 401]);
  });

  it('answers 400 naming the field gongpei does not model, and 400 naming matrices for coordinates alone', async () => {
    const withBreak = fixture('two-vans-matrices') as { vehicles: Record<string, unknown>[] };
    withBreak.vehicles[1]!.breaks = [{ id: 1, service: 300, time_windows: [[32400, 34200]] }];
    const res = await api.request('POST', '/v1/solve', { key: api.keys.dispatcher, json: withBreak });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_data');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['vehicles.1.breaks']);
    expect(res.body.error.message).toMatch(/vehicles\.1\.breaks: breaks are not supported/);

    const coordinatesOnly = {
      vehicles: [{ id: 1, start: [112.7, 36.75], end: [112.7, 36.75] }],
      jobs: [{ id: 1, location: [112.6, 36.7] }],
    };
    const res2 = await api.request('POST', '/v1/solve', { key: api.keys.dispatcher, json: coordinatesOnly });
    expect(res2.status).toBe(400);
    expect(res2.body.error.details.map((d: { path: string }) => d.path)).toEqual(['matrices']);
  });
});

describe('POST /v1/solve with coordinates and a road-matrix service (OSRM) configured', () => {
  let withOsrm: ApiContext;
  const asked: number[] = [];
  beforeAll(async () => {
    // A stand-in for OSRM's table: Manhattan metres on a local grid, at 12 m/s.
    const roadMatrix = async (points: readonly { lat: number; lon: number }[]) => {
      asked.push(points.length);
      const n = points.length;
      const distance = new Int32Array(n * n);
      const duration = new Int32Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          distance[i * n + j] = Math.round(Math.abs(points[i]!.lon - points[j]!.lon) * 89_000 + Math.abs(points[i]!.lat - points[j]!.lat) * 111_000);
          duration[i * n + j] = Math.round(distance[i * n + j]! / 12);
        }
      }
      return { size: n, distance, duration };
    };
    withOsrm = await startApi('sqlite', { relay: false, app: { solve: { pool, maxIterations: ITERATIONS, timeLimitMs: 60_000, roadMatrix } } });
  });
  afterAll(async () => {
    await withOsrm?.close();
  });

  it('routes a problem given by coordinates alone on the service’s matrix, and the answer checks against it', async () => {
    const problem = {
      vehicles: [{ id: 1, start: [112.7, 36.75], end: [112.7, 36.75], capacity: [4], time_window: [28800, 43200] }],
      jobs: [
        { id: 1, location: [112.65, 36.72], delivery: [2], service: 300 },
        { id: 2, location: [112.61, 36.69], delivery: [2], service: 300, time_windows: [[30000, 36000]] },
        { id: 3, location: [112.74, 36.8], pickup: [1], service: 120 },
      ],
    };
    const res = await withOsrm.request('POST', '/v1/solve', { key: withOsrm.keys.admin, json: problem, timeoutMs: 60_000 });
    expect(res.status).toBe(200);
    expect(asked).toEqual([4]);
    const answer = res.body as VroomAnswer;
    expect(answer.unassigned).toEqual([]);
    expect(answer.summary.distance).toBeGreaterThan(0);
    // The checker needs the matrix the service gave: rebuild it the same way from the answer's indices.
    const located = new Map<number, number[]>();
    for (const s of answer.routes[0]!.steps) located.set(s.location_index!, s.location!);
    expect(located.size).toBe(4);
    const n = located.size;
    const at = (k: number) => located.get(k)!;
    const distances = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => Math.round(Math.abs(at(i)[0]! - at(j)[0]!) * 89_000 + Math.abs(at(i)[1]! - at(j)[1]!) * 111_000)));
    const durations = distances.map((r) => r.map((d) => Math.round(d / 12)));
    const indexed = {
      vehicles: [{ ...problem.vehicles[0]!, start_index: answer.routes[0]!.steps[0]!.location_index, end_index: answer.routes[0]!.steps[0]!.location_index }],
      jobs: problem.jobs.map((j) => ({ ...j, location_index: answer.routes[0]!.steps.find((s) => s.type === 'job' && s.id === j.id)!.location_index })),
      matrices: { car: { durations, distances } },
    };
    expect(checkVroomAnswer(parseVroomInput(indexed), answer).violations).toEqual([]);
  });
});
