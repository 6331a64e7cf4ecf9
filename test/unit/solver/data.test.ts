import { describe, expect, it } from 'vitest';
import { compile, SolverInputError } from '../../../src/solver/data.ts';
import { job, problem, vehicle } from './helpers.ts';

const points = [[0, 0], [10, 0], [0, 10]] as const;

describe('compile: every measure is an integer', () => {
  it('accepts integers and open limits (Infinity)', () => {
    const p = problem([...points], [job('a', 1, [2], { timeWindows: [[0, Infinity]] }), job('b', 2, [3])],
      [vehicle('v', [10], { shift: [0, Infinity], maxDistance: Infinity, costPerDistance: 3 })]);
    expect(compile(p).vCpd[0]).toBe(3);
  });

  it.each([
    ['a delivery', problem([...points], [job('a', 1, [2.5])], [vehicle('v', [10])]), 'Job a delivery'],
    ['a service time', problem([...points], [job('a', 1, [2], { serviceTime: 0.5 })], [vehicle('v', [10])]), 'Job a serviceTime'],
    ['a window', problem([...points], [job('a', 1, [2], { timeWindows: [[0, 10.5]] })], [vehicle('v', [10])]), 'Job a time window end'],
    ['a capacity', problem([...points], [job('a', 1, [2])], [vehicle('v', [10.1])]), 'Vehicle v capacity'],
    ['a cost', problem([...points], [job('a', 1, [2])], [vehicle('v', [10], { costPerDistance: 0.7 })]), 'Vehicle v costPerDistance'],
  ])('rejects %s that is not, naming the field', (_what, p, field) => {
    expect(() => compile(p)).toThrow(SolverInputError);
    expect(() => compile(p)).toThrow(field);
  });
});
