import { describe, expect, it } from 'vitest';
import { searchThreads, sequenceDay } from '../../../src/planning/day-sequence.ts';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('sequenceDay: the one order of a service day', () => {
  it('runs the line-haul first, then what it releases, in order by default, counting steps', async () => {
    const log: string[] = [];
    const steps: [number, number][] = [];
    const { lineHaul, results } = await sequenceDay(
      async () => {
        log.push('line-haul');
        return ['a', 'b', 'c'];
      },
      (hubs) =>
        hubs.map((h) => async () => {
          log.push(`start ${h}`);
          await tick();
          log.push(`end ${h}`);
          return h.toUpperCase();
        }),
      { onStep: (done, total) => steps.push([done, total]) },
    );
    expect(lineHaul).toEqual(['a', 'b', 'c']);
    expect(results).toEqual(['A', 'B', 'C']);
    expect(log).toEqual(['line-haul', 'start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(steps).toEqual([[1, 4], [2, 4], [3, 4], [4, 4]]);
  });

  it('runs at most `concurrency` later steps at once and keeps results in step order', async () => {
    let running = 0;
    let most = 0;
    const { results } = await sequenceDay(
      async () => 6,
      (n) =>
        Array.from({ length: n }, (_, k) => async () => {
          most = Math.max(most, ++running);
          await new Promise((r) => setTimeout(r, (n - k) * 2));
          running--;
          return k;
        }),
      { concurrency: 2 },
    );
    expect(most).toBe(2);
    expect(results).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('lets a failing step fail the day', async () => {
    await expect(sequenceDay(async () => 1, () => [async () => Promise.reject(new Error('solver down'))])).rejects.toThrow('solver down');
  });
});

describe('searchThreads: spare solver threads go to the day’s first (biggest) problems', () => {
  it('gives a problem alone in flight (the line-haul) every thread', () => {
    expect(searchThreads(0, 1, 2)).toBe(2);
    expect(searchThreads(0, 1, 4)).toBe(4);
    expect(searchThreads(0, 1, 1)).toBe(1);
  });

  it('shares the spare threads among fewer steps than threads, first steps first, every thread used once', () => {
    expect([0, 1, 2].map((k) => searchThreads(k, 3, 8))).toEqual([3, 3, 2]);
    expect([0, 1].map((k) => searchThreads(k, 2, 3))).toEqual([2, 1]);
    for (const [steps, pool] of [[2, 3], [3, 8], [1, 5], [4, 7]] as const) {
      expect(Array.from({ length: steps }, (_, k) => searchThreads(k, steps, pool)).reduce((a, b) => a + b, 0)).toBe(pool);
    }
  });

  it('gives one thread each when the steps fill the pool', () => {
    expect([0, 1, 2].map((k) => searchThreads(k, 3, 2))).toEqual([1, 1, 1]);
    expect(searchThreads(1, 2, 2)).toBe(1);
  });
});
