import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/solver/data.ts';
import { FAIL_CAPACITY, FAIL_MAX_DISTANCE, FAIL_MAX_DURATION, FAIL_PRECEDENCE, FAIL_SKILL, FAIL_TIME_WINDOW, RouteEvaluator } from '../../../src/solver/evaluate.ts';
import type { Problem } from '../../../src/solver/model.ts';
import { job, problem, vehicle } from './helpers.ts';

function evaluator(p: Problem): RouteEvaluator {
  return new RouteEvaluator(compile(p));
}

// depot 0 at (0,0); locations 1 at (10,0), 2 at (20,0)
const pts = [[0, 0], [10, 0], [20, 0]] as const;

describe('exact route evaluation', () => {
  it('checks delivery and pickup load in every dimension at every point (order matters)', () => {
    const p = problem(pts, [
      job('drop', 1, [8, 1]),
      job('collect', 2, [0, 0], { pickup: [8, 1] }),
    ], [vehicle('van', [10, 2])], { dimensions: 2 });
    const ev = evaluator(p);
    // drop first: leaves with [8,1], [0,0] after the drop, [8,1] after collecting
    expect(ev.evaluate(0, [0, 1], 2)).toBe(40);
    const route = ev.describe(0, [0, 1], 2);
    expect(route.steps.map((s) => s.load)).toEqual([[8, 1], [0, 0], [8, 1], [8, 1]]);
    // collect first: [8,1] + [8,1] = [16,2] on board
    expect(ev.evaluate(0, [1, 0], 2)).toBe(Infinity);
    expect(ev.failure).toBe(FAIL_CAPACITY);
  });

  it('starts service in the earliest window still open among several', () => {
    const p = problem(pts, [job('a', 1, [1], { timeWindows: [[0, 5], [20, 30]] })], [vehicle('van', [5])]);
    const ev = evaluator(p);
    const route = ev.describe(0, [0], 1);
    const stop = route.steps[1]!;
    expect(stop.arrival).toBe(20);
    expect(stop.serviceStart).toBe(20);
    // the departure is delayed so that nobody waits: leave at 10, arrive at 20
    expect(route.steps[0]!.departure).toBe(10);
    expect(route.duration).toBe(20);
    const late = problem(pts, [job('a', 1, [1], { timeWindows: [[0, 5], [6, 9]] })], [vehicle('van', [5])]);
    const ev2 = evaluator(late);
    expect(ev2.evaluate(0, [0], 1)).toBe(Infinity);
    expect(ev2.failure).toBe(FAIL_TIME_WINDOW);
  });

  it('honours the release time (the van waits for its line-haul)', () => {
    const p = problem(pts, [job('a', 1, [1], { timeWindows: [[0, 50]] })], [vehicle('van', [5], { releaseTime: 100 })]);
    const ev = evaluator(p);
    expect(ev.evaluate(0, [0], 1)).toBe(Infinity);
    const p2 = problem(pts, [job('a', 1, [1], { timeWindows: [[0, 200]] })], [vehicle('van', [5], { releaseTime: 100, shift: [0, 1000] })]);
    const route = evaluator(p2).describe(0, [0], 1);
    expect(route.steps[0]!.departure).toBe(100);
    expect(route.steps[1]!.serviceStart).toBe(110);
  });

  it('rejects a vehicle without the required skill', () => {
    const p = problem(pts, [job('ice', 1, [1], { skills: ['cold_chain'] })], [vehicle('plain', [5]), vehicle('cold', [5], { skills: ['cold_chain'] })]);
    const ev = evaluator(p);
    expect(ev.evaluate(0, [0], 1)).toBe(Infinity);
    expect(ev.failure).toBe(FAIL_SKILL);
    expect(ev.evaluate(1, [0], 1)).toBe(20);
  });

  it('enforces max distance (range) and max duration', () => {
    const p = problem(pts, [job('a', 2, [1], { serviceTime: 10 })], [vehicle('ev', [5], { maxDistance: 39 }), vehicle('slow', [5], { maxDuration: 49 }), vehicle('ok', [5], { maxDistance: 40, maxDuration: 50 })]);
    const ev = evaluator(p);
    expect(ev.evaluate(0, [0], 1)).toBe(Infinity);
    expect(ev.failure).toBe(FAIL_MAX_DISTANCE);
    expect(ev.evaluate(1, [0], 1)).toBe(Infinity);
    expect(ev.failure).toBe(FAIL_MAX_DURATION);
    expect(ev.evaluate(2, [0], 1)).toBe(40);
  });

  it('charges fixed, distance and duration costs', () => {
    const p = problem(pts, [job('a', 1, [1], { serviceTime: 5 })], [vehicle('van', [5], { fixedCost: 100, costPerDistance: 2, costPerDuration: 3 })]);
    expect(evaluator(p).evaluate(0, [0], 1)).toBe(100 + 2 * 20 + 3 * 25);
  });

  it('splits a route into trips with a reload when the vehicle may return', () => {
    const jobs = [job('a', 1, [6]), job('b', 2, [6])];
    const one = evaluator(problem(pts, jobs, [vehicle('van', [10])]));
    expect(one.evaluate(0, [0, 1], 2)).toBe(Infinity);
    const p = problem(pts, jobs, [vehicle('van', [10], { maxTrips: 2, reloadTime: 7 })]);
    const ev = evaluator(p);
    // 0→10→0 (reload) →20→0 = 10+10+20+20
    expect(ev.evaluate(0, [0, 1], 2)).toBe(60);
    const route = ev.describe(0, [0, 1], 2);
    expect(route.steps.map((s) => s.type)).toEqual(['start', 'job', 'reload', 'job', 'end']);
    const reload = route.steps[2]!;
    expect(reload.arrival).toBe(20);
    expect(reload.departure).toBe(27);
    expect(reload.load).toEqual([6]);
    expect(route.duration).toBe(67);
  });

  it('keeps a shipment pickup before its delivery, on the same route, with the amount on board between', () => {
    const p = problem(pts, [], [vehicle('van', [5])], {
      shipments: [{ id: 's', amount: [5], pickup: { location: 1, serviceTime: 0 }, delivery: { location: 2, serviceTime: 0 } }],
    });
    const ev = evaluator(p);
    expect(ev.evaluate(0, [0, 1], 2)).toBe(40);
    expect(ev.describe(0, [0, 1], 2).steps.map((s) => s.load[0])).toEqual([0, 5, 0, 0]);
    expect(ev.evaluate(0, [1, 0], 2)).toBe(Infinity);
    expect(ev.failure).toBe(FAIL_PRECEDENCE);
    expect(ev.evaluate(0, [0], 1)).toBe(Infinity);
  });
});
