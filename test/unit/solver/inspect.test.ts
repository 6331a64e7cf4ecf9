import { describe, expect, it } from 'vitest';
import { inspectRoutes } from '../../../src/solver/inspect.ts';
import { job, problem, vehicle } from './helpers.ts';

// depot 0 at (0,0); 1 at (10,0); 2 at (20,0); 3 at (0,10)
const pts = [[0, 0], [10, 0], [20, 0], [0, 10]] as const;

describe('route inspection (manual edits)', () => {
  it('gives the evaluator’s figures for a feasible route, and none for an empty one', () => {
    const p = problem(pts, [job('a', 1, [2]), job('b', 2, [2])], [vehicle('van', [5], { costPerDistance: 3, fixedCost: 7 })]);
    const [r, empty] = inspectRoutes(p, [{ vehicleId: 'van', jobIds: ['a', 'b'] }, { vehicleId: 'van', jobIds: [] }]);
    expect(r).toMatchObject({ feasible: true, failure: null, distance: 40, cost: 7 + 3 * 40, trips: 1, violations: [] });
    expect(r!.steps.map((s) => s.type)).toEqual(['start', 'job', 'job', 'end']);
    expect(empty).toMatchObject({ feasible: true, distance: 0, cost: 0, steps: [] });
  });

  it('reports every broken rule of an infeasible route with the distance driven anyway', () => {
    const p = problem(
      pts,
      [job('a', 1, [4]), job('b', 2, [4], { timeWindows: [[0, 15]] }), job('c', 3, [1], { skills: ['cold_chain'] })],
      [vehicle('trike', [5], { maxDistance: 30, shift: [0, 50] })],
    );
    const [r] = inspectRoutes(p, [{ vehicleId: 'trike', jobIds: ['a', 'b', 'c'] }]);
    expect(r!.feasible).toBe(false);
    // 0→1→2→3→0 = 10 + 10 + round(√500) + 10
    expect(r!.distance).toBe(10 + 10 + 22 + 10);
    const kinds = r!.violations.map((v) => v.kind).sort();
    expect(kinds).toEqual(['capacity', 'max_distance', 'shift_end', 'skill', 'time_window']);
    expect(r!.violations.find((v) => v.kind === 'time_window')).toMatchObject({ jobId: 'b', arrival: 20, latestStart: 15 });
    expect(r!.violations.find((v) => v.kind === 'capacity')).toMatchObject({ jobId: null, load: 9, capacity: 5 });
    expect(r!.violations.find((v) => v.kind === 'skill')).toMatchObject({ jobId: 'c' });
    expect(r!.steps.map((s) => s.type)).toEqual(['start', 'job', 'job', 'job', 'end']);
  });

  it('breaks trips as the evaluator does when the vehicle may reload', () => {
    const p = problem(pts, [job('a', 1, [4]), job('b', 2, [4])], [vehicle('van', [5], { maxTrips: 2, reloadTime: 5 })]);
    const [r] = inspectRoutes(p, [{ vehicleId: 'van', jobIds: ['a', 'b'] }]);
    expect(r).toMatchObject({ feasible: true, trips: 2, distance: 20 + 40 });
    expect(r!.steps.map((s) => s.type)).toEqual(['start', 'job', 'reload', 'job', 'end']);
  });
});
