import { describe, expect, it } from 'vitest';
import { AnyOf, Deadline, MaxIterations, stopFromOptions } from '../../../src/solver/stop.ts';

describe('stopping criteria', () => {
  it('stop at the iteration budget or when the deadline passes, whichever first', () => {
    expect(new MaxIterations(3).done(2)).toBe(false);
    expect(new MaxIterations(3).done(3)).toBe(true);
    let passed = false;
    const both = new AnyOf([new MaxIterations(10), new Deadline(() => passed)]);
    expect(both.done(5)).toBe(false);
    passed = true;
    expect(both.done(5)).toBe(true);
    expect(stopFromOptions({}).done(1e9)).toBe(false);
    expect(stopFromOptions({ maxIterations: 4 }).done(4)).toBe(true);
  });
});
