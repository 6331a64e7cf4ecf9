import { describe, expect, it } from 'vitest';
import { Individual } from '../../../src/solver/individual.ts';
import { PenaltyManager } from '../../../src/solver/penalty-manager.ts';
import { lsInstance } from './helpers.ts';

const inst = lsInstance([[0, 0], [10, 0], [0, 10], [10, 10]], [4, 4, 4], 8);
const routes = [Int32Array.of(0, 1, 2)];

describe('PenaltyManager', () => {
  it('raises the load weight while too few offspring are load-feasible, lowers it while too many are', () => {
    const pm = new PenaltyManager(inst, { targetFeasible: 0.2, window: 10 });
    const w0 = pm.wLoad;
    for (let i = 0; i < 10; i++) pm.record(new Individual(inst, routes, 0, 4, 0));
    pm.update();
    expect(pm.wLoad).toBeCloseTo(w0 * 1.2);
    // time was always feasible: its weight falls
    const t1 = pm.wTime;
    for (let i = 0; i < 10; i++) pm.record(new Individual(inst, routes, 0, 0, 0));
    pm.update();
    expect(pm.wLoad).toBeCloseTo(w0 * 1.2 * 0.85);
    expect(pm.wTime).toBeLessThan(t1);
  });

  it('judges only the last `window` offspring', () => {
    const pm = new PenaltyManager(inst, { targetFeasible: 0.2, window: 5 });
    for (let i = 0; i < 20; i++) pm.record(new Individual(inst, routes, 0, 4, 0));
    // 1 infeasible + 4 feasible in the window: 80 % feasible, above the target
    for (let i = 0; i < 5; i++) pm.record(new Individual(inst, routes, 0, i === 0 ? 4 : 0, 0));
    const w = pm.wLoad;
    pm.update();
    expect(pm.wLoad).toBeLessThan(w);
  });
});
