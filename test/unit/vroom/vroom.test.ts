/**
 * The VROOM-format translation, answer and checker, in-process (the CLI and HTTP tests go
 * through the solver thread): every fixture's answer passes the independent checker and shows
 * the behaviour its fixture is about; the checker itself catches wrong answers; whatever gongpei
 * does not model is a 400 naming the field.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.ts';
import { solve } from '../../../src/solver/index.ts';
import { checkVroomAnswer } from '../../../src/vroom/check.ts';
import { withComputedMatrices } from '../../../src/vroom/coordinates.ts';
import { toVroomAnswer } from '../../../src/vroom/to-answer.ts';
import { parseVroomInput, toVroomModel } from '../../../src/vroom/to-problem.ts';
import type { VroomAnswer, VroomInput } from '../../../src/vroom/vroom.schemas.ts';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../fixtures/vroom/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

function solveRaw(raw: unknown, iterations = 200): { input: VroomInput; answer: VroomAnswer } {
  const input = parseVroomInput(raw);
  const model = toVroomModel(input);
  const solution = solve(model.problem, { seed: 1, maxIterations: iterations });
  return { input, answer: toVroomAnswer(model, solution, { loadingMs: 0, solvingMs: 0 }) };
}

const served = (a: VroomAnswer): string[] => a.routes.flatMap((r) => r.steps.filter((s) => s.id !== undefined).map((s) => `${s.type}:${s.id}`));
const routeOf = (a: VroomAnswer, type: string, id: number) => a.routes.find((r) => r.steps.some((s) => s.type === type && s.id === id));

describe('VROOM-format problems: answers the independent checker accepts', () => {
  it('two vans with skills, windows, two-dimensional amounts and shipments', () => {
    const { input, answer } = solveRaw(fixture('two-vans-matrices'));
    expect(checkVroomAnswer(input, answer).violations).toEqual([]);
    expect(answer.code).toBe(0);
    expect(answer.unassigned).toEqual([]);
    expect(served(answer).sort()).toEqual(['delivery:202', 'delivery:204', 'job:101', 'job:102', 'job:103', 'job:104', 'job:105', 'job:106', 'pickup:201', 'pickup:203']);
    // Skill 1 only on van 11, skill 2 only on van 12.
    expect(routeOf(answer, 'job', 101)?.vehicle).toBe(11);
    expect(routeOf(answer, 'job', 105)?.vehicle).toBe(12);
    // Totals: every delivery and pickup amount of the input, shipments counted on both sides.
    const jobs = input.jobs ?? [];
    const sum = (xs: (readonly number[] | undefined)[]) => xs.reduce<number[]>((s, x) => s.map((v, d) => v + (x?.[d] ?? 0)), [0, 0]);
    const ships = (input.shipments ?? []).map((s) => s.amount);
    expect(answer.summary.delivery).toEqual(sum([...jobs.map((j) => j.delivery), ...ships]));
    expect(answer.summary.pickup).toEqual(sum([...jobs.map((j) => j.pickup), ...ships]));
    expect(answer.summary.routes).toBe(answer.routes.length);
    // Coordinates and descriptions given in the input come back on their steps.
    const start = answer.routes.find((r) => r.vehicle === 11)?.steps[0];
    expect(start?.type).toBe('start');
    expect(start?.location).toEqual([112.7, 36.75]);
    expect(answer.routes.find((r) => r.vehicle === 11)?.description).toBe('van A');
  });

  it('open routes, setup times, a speed factor, per-km and fixed costs, max_distance and max_tasks', () => {
    const { input, answer } = solveRaw(fixture('open-routes-costs'));
    expect(checkVroomAnswer(input, answer).violations).toEqual([]);
    expect(answer.unassigned).toEqual([]);
    for (const r of answer.routes) {
      const types = r.steps.map((s) => s.type);
      // Vehicle 1 has no end, vehicle 2 no start: no such steps, as in VROOM.
      if (r.vehicle === 1) expect([types[0], types.includes('end')]).toEqual(['start', false]);
      if (r.vehicle === 2) expect([types.includes('start'), types[types.length - 1]]).toEqual([false, 'end']);
      for (const s of r.steps.filter((x) => x.type === 'job')) expect([s.setup, s.service]).toEqual([60, 90]);
    }
    expect(answer.summary.setup).toBe(60 * 6);
    expect(answer.summary.service).toBe(90 * 6);
  });

  it('priorities: when not everything fits, the high-priority task is served', () => {
    const { input, answer } = solveRaw(fixture('priorities'));
    expect(checkVroomAnswer(input, answer).violations).toEqual([]);
    expect(served(answer)).toContain('job:3');
    expect(answer.unassigned).toHaveLength(1);
    expect(answer.summary.priority).toBe(40);
    // Without the priority the solver keeps the two nearer villages instead.
    const raw = fixture('priorities') as { jobs: { priority?: number }[] };
    delete raw.jobs[2]!.priority;
    const plain = solveRaw(raw).answer;
    expect(plain.unassigned.map((u) => u.id)).toEqual([3]);
  });

  it('extensions: a release time and a second trip after a reload at the start', () => {
    const { input, answer } = solveRaw(fixture('multi-trip-release'));
    expect(checkVroomAnswer(input, answer).violations).toEqual([]);
    const steps = answer.routes[0]!.steps;
    expect(steps[0]!.arrival).toBeGreaterThanOrEqual(32400);
    expect(steps.filter((s) => s.type === 'reload')).toHaveLength(1);
    expect(steps.find((s) => s.type === 'reload')!.service).toBe(900);
    // 10 units a trip, 4 a village: two trips hold four of the five.
    expect(served(answer)).toHaveLength(4);
    expect(answer.summary.distance).toBeUndefined();
  });
});

describe('VROOM’s older custom-matrix shape', () => {
  it('reads the deprecated top-level matrix as the durations of every profile', () => {
    const { input, answer } = solveRaw(fixture('single-matrix-legacy'));
    expect(input.matrices?.car?.durations).toEqual((fixture('single-matrix-legacy') as { matrix: number[][] }).matrix);
    expect(checkVroomAnswer(input, answer).violations).toEqual([]);
    // One vehicle from index 0 to index 3 through both jobs: the shorter of the two orders.
    const m = input.matrices!.car!.durations!;
    const best = Math.min(m[0]![1]! + m[1]![2]! + m[2]![3]!, m[0]![2]! + m[2]![1]! + m[1]![3]!);
    expect(answer.summary.cost).toBe(best);
    expect(answer.routes[0]!.steps.map((s) => s.type)).toEqual(['start', 'job', 'job', 'end']);
  });
});

describe('the independent checker', () => {
  const base = () => solveRaw(fixture('two-vans-matrices'));

  it('catches a wrong arrival, a wrong load, a lost task and an exceeded capacity', () => {
    const { input, answer } = base();
    const copy = (): VroomAnswer => structuredClone(answer);
    const late = copy();
    late.routes[0]!.steps[2]!.arrival += 1;
    expect(checkVroomAnswer(input, late).violations.join('\n')).toMatch(/arrival .*recomputed/);
    const heavy = copy();
    heavy.routes[0]!.steps[1]!.load[0]! += 1;
    expect(checkVroomAnswer(input, heavy).violations.join('\n')).toMatch(/load .*recomputed/);
    const lost = copy();
    const route = lost.routes.find((r) => r.steps.some((s) => s.type === 'job' && s.id === 106))!;
    route.steps = route.steps.filter((s) => !(s.type === 'job' && s.id === 106));
    expect(checkVroomAnswer(input, lost).violations.join('\n')).toMatch(/job:106 neither served nor listed unassigned/);
    const small = structuredClone(input);
    for (const v of small.vehicles) v.capacity = [5, 6];
    expect(checkVroomAnswer(small, answer).violations.join('\n')).toMatch(/over capacity/);
  });

  it('catches a delivery before its pickup and a task outside its windows', () => {
    const { input, answer } = base();
    const swapped = structuredClone(answer);
    const r = swapped.routes.find((x) => x.steps.some((s) => s.type === 'pickup' && s.id === 201))!;
    const p = r.steps.findIndex((s) => s.type === 'pickup' && s.id === 201);
    const d = r.steps.findIndex((s) => s.type === 'delivery' && s.id === 202);
    [r.steps[p], r.steps[d]] = [r.steps[d]!, r.steps[p]!];
    expect(checkVroomAnswer(input, swapped).violations.join('\n')).toMatch(/delivery:202: delivered before/);
    const tight = structuredClone(input);
    tight.jobs![0]!.time_windows = [[0, 10]];
    expect(checkVroomAnswer(tight, answer).violations.join('\n')).toMatch(/job:101: service starts at \d+, outside its time windows/);
  });
});

describe('what gongpei does not model is a 400 naming the field', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each case reaches into the raw JSON its own way
  const cases: [string, (p: Record<string, any>) => void, RegExp][] = [
    ['breaks', (p) => (p.vehicles[0].breaks = [{ id: 1, service: 300, time_windows: [[32400, 34200]] }]), /^vehicles\.0\.breaks$/],
    ['max_travel_time', (p) => (p.vehicles[1].max_travel_time = 3600), /^vehicles\.1\.max_travel_time$/],
    ['vehicle steps', (p) => (p.vehicles[0].steps = [{ type: 'start' }]), /^vehicles\.0\.steps$/],
    ['service_per_type', (p) => (p.jobs[2].service_per_type = { van: 60 }), /^jobs\.2\.service_per_type$/],
    ['per_task_hour', (p) => (p.vehicles[0].costs = { per_task_hour: 10 }), /^vehicles\.0\.costs\.per_task_hour$/],
    ['matrix and matrices at once', (p) => (p.matrix = [[0]]), /^matrix$/],
    ['no matrices (coordinates only)', (p) => delete p.matrices, /^matrices$/],
    ['a location without its index', (p) => delete p.jobs[1].location_index, /^jobs\.1\.location_index$/],
    ['an index outside the matrices', (p) => (p.jobs[3].location_index = 99), /^jobs\.3\.location_index$/],
    ['a profile without matrices', (p) => (p.vehicles[1].profile = 'bike'), /^vehicles\.1\.profile$/],
    ['amounts of different lengths', (p) => (p.jobs[0].delivery = [1]), /^jobs\.0\.delivery$/],
    ['a duplicate job id', (p) => (p.jobs[1].id = p.jobs[0].id), /^jobs\.1\.id$/],
    ['an unknown field', (p) => (p.vehicles[0].colour = 'red'), /^vehicles\.0$/],
    ['a window that ends before it starts', (p) => (p.jobs[0].time_windows = [[500, 100]]), /^jobs\.0\.time_windows\.0$/],
    ['setup at a shared location', (p) => ((p.jobs[0].setup = 60), (p.jobs[1].location_index = p.jobs[0].location_index)), /^jobs\.0\.setup$/],
    ['max_distance priced by time', (p) => (p.vehicles[0].max_distance = 50000), /^vehicles\.0\.max_distance$/],
    ['per_km without distances', (p) => (delete p.matrices.car.distances, (p.vehicles[0].costs = { per_km: 10 })), /^matrices\.car\.distances$/],
    ['a non-square matrix', (p) => p.matrices.car.durations[2].pop(), /^matrices\.car\.durations\.2$/],
    ['reloads without a start', (p) => (delete p.vehicles[0].start_index, delete p.vehicles[0].start, (p.vehicles[0].max_trips = 2)), /^vehicles\.0\.max_trips$/],
  ];
  it.each(cases)('%s', (_what, mutate, path) => {
    const raw = fixture('two-vans-matrices');
    mutate(raw);
    let caught: unknown;
    try {
      toVroomModel(parseVroomInput(raw));
    } catch (err) {
      caught = err;
    }
    expect(isAppError(caught) && caught.type).toBe('invalid_data');
    const details = (caught as { details: { path: string; message: string }[] }).details;
    expect(details.map((d) => d.path)).toContainEqual(expect.stringMatching(path));
    // One line, naming the field, for the CLI.
    expect((caught as Error).message).not.toMatch(/\n/);
    expect((caught as Error).message).toMatch(/^Invalid problem: /);
  });
});

describe('coordinates without matrices', () => {
  // A stand-in for OSRM: straight-line metres × 1.3, at 10 m/s; counts the points it is asked for.
  const asked: number[] = [];
  const fakeOsrm = async (points: readonly { lat: number; lon: number }[]) => {
    asked.push(points.length);
    const n = points.length;
    const distance = new Int32Array(n * n);
    const duration = new Int32Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const dx = (points[i]!.lon - points[j]!.lon) * 89_000;
        const dy = (points[i]!.lat - points[j]!.lat) * 111_000;
        distance[i * n + j] = Math.round(Math.hypot(dx, dy) * 1.3);
        duration[i * n + j] = Math.round(distance[i * n + j]! / 10);
      }
    }
    return { size: n, distance, duration };
  };
  const byCoordinates = () => ({
    vehicles: [
      { id: 1, start: [112.7, 36.75], end: [112.7, 36.75], capacity: [6] },
      { id: 2, start: [112.6, 36.7], capacity: [6] },
    ],
    jobs: [
      { id: 1, location: [112.65, 36.72], delivery: [3], service: 60 },
      { id: 2, location: [112.61, 36.69], delivery: [3], service: 60 },
      { id: 3, location: [112.74, 36.8], delivery: [2], service: 60, time_windows: [[0, 20000]] },
    ],
    shipments: [{ amount: [1], pickup: { id: 9, location: [112.65, 36.72] }, delivery: { id: 9, location: [112.7, 36.75] } }],
  });

  it('asks the configured road-matrix service (OSRM) once, for each distinct point, and the answer checks', async () => {
    asked.length = 0;
    const input = await withComputedMatrices(parseVroomInput(byCoordinates()), fakeOsrm);
    // 8 coordinates, 5 distinct places: the depot (van 1's start and end, the delivery), van 2's
    // start and the three jobs (job 1's place is also the pickup's).
    expect(asked).toEqual([5]);
    expect(input.matrices?.car?.durations).toHaveLength(5);
    expect(input.vehicles[0]!.start_index).toBe(input.vehicles[0]!.end_index);
    expect(input.shipments![0]!.pickup.location_index).toBe(input.jobs![0]!.location_index);
    const model = toVroomModel(input);
    const answer = toVroomAnswer(model, solve(model.problem, { seed: 1, maxIterations: 100 }), { loadingMs: 0, solvingMs: 0 });
    expect(checkVroomAnswer(input, answer).violations).toEqual([]);
    expect(answer.unassigned).toEqual([]);
    // Coordinates come back on the steps.
    expect(answer.routes.flatMap((r) => r.steps).find((s) => s.type === 'job' && s.id === 3)?.location).toEqual([112.74, 36.8]);
  });

  it('400s: without a service, naming matrices; with one, naming a missing location or another profile', async () => {
    const noService = await withComputedMatrices(parseVroomInput(byCoordinates()), undefined);
    expect(() => toVroomModel(noService)).toThrow(/^Invalid problem: matrices: required/);
    const missing = byCoordinates() as { jobs: Record<string, unknown>[]; vehicles: Record<string, unknown>[] };
    delete missing.jobs[1]!.location;
    missing.vehicles[1]!.profile = 'bike';
    const err = await withComputedMatrices(parseVroomInput(missing), fakeOsrm).catch((e: unknown) => e);
    expect(isAppError(err) && err.type).toBe('invalid_data');
    expect((err as { details: { path: string }[] }).details.map((d) => d.path)).toEqual(['jobs.1.location', 'vehicles.1.profile']);
    const down = await withComputedMatrices(parseVroomInput(byCoordinates()), () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.7:5000'))).catch((e: unknown) => e);
    expect(isAppError(down) && down.type).toBe('unavailable');
    expect((down as Error).message).not.toMatch(/10\.0\.0\.7/);
  });
});

describe('the same problem through VROOM’s format and through a CVRPLIB file', () => {
  it('X-n106-k14 as VROOM JSON (default costs: cost = travel time = the rounded distance) solves to the same cost as the .vrp', async () => {
    const { loadInstance } = await import('../../../src/formats/index.ts');
    const loaded = await loadInstance(new URL('../../fixtures/benchmarks/X/X-n106-k14.vrp', import.meta.url).pathname);
    const { instance } = loaded;
    const n = instance.nodes.length;
    const depot = instance.nodes.findIndex((node) => node.id === instance.depotId);
    expect(depot).toBe(0);
    const rounded = instance.nodes.map((a) => instance.nodes.map((b) => Math.round(Math.hypot(a.x - b.x, a.y - b.y))));
    const raw = {
      vehicles: loaded.problem.vehicles.map((_, k) => ({ id: k, start_index: 0, end_index: 0, capacity: [instance.capacity] })),
      jobs: instance.nodes.slice(1).map((node, k) => ({ id: node.id, location_index: k + 1, delivery: [node.demand] })),
      matrices: { car: { durations: rounded } },
    };
    expect(raw.jobs).toHaveLength(n - 1);
    const { input, answer } = solveRaw(raw, 100);
    expect(checkVroomAnswer(input, answer).violations).toEqual([]);
    const native = solve(loaded.problem, { seed: 1, maxIterations: 100 });
    expect(answer.summary.cost).toBe(native.cost);
    expect(answer.summary.routes).toBe(native.routes.length);
  });
});
