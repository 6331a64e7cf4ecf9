import { describe, expect, it } from 'vitest';
import { Split } from '../../../src/solver/split.ts';
import { crossoverOX } from '../../../src/solver/genetic.ts';
import { Rng } from '../../../src/solver/rng.ts';
import { lsInstance } from './helpers.ts';

describe('split', () => {
  // depot (0,0); west clients 0,1 at x=-10,-11; east clients 2,3 at x=10,11; capacity 2
  const pts = [[0, 0], [-10, 0], [-11, 0], [10, 0], [11, 0]] as const;
  const inst = lsInstance(pts, [1, 1, 1, 1], 2);

  it('cuts a giant tour at the cheapest places', () => {
    const routes = new Split(inst, 4).run(Int32Array.of(0, 1, 2, 3), 100, 1);
    expect(routes.map((r) => Array.from(r))).toEqual([[0, 1], [2, 3]]);
  });

  it('respects a limited fleet by accepting a penalised route', () => {
    const inst3 = lsInstance(pts, [1, 1, 1, 1], 3);
    // two routes cost 22 + 22; one route 10+1+21+1+11 = 44 plus one unit over capacity
    expect(new Split(inst3, 4).run(Int32Array.of(0, 1, 2, 3), 1, 1)).toHaveLength(2);
    const routes = new Split(inst3, 1).run(Int32Array.of(0, 1, 2, 3), 1, 1);
    expect(routes.map((r) => Array.from(r))).toEqual([[0, 1, 2, 3]]);
  });

  it('never returns more routes than the search has slots, even beyond 200 layers', () => {
    // 300 clients each filling a whole vehicle: no cut into 250 routes stays within 1.5 × capacity,
    // so the split must join routes (overloaded, priced by the penalty) rather than hand 300
    // routes to a local search with 250 slots.
    const many = [[0, 0], ...Array.from({ length: 300 }, (_, i) => [Math.cos(i) * (10 + (i % 7)), Math.sin(i) * (10 + (i % 7))] as const)] as const;
    const full = lsInstance(many, Array.from({ length: 300 }, () => 5), 5);
    const giant = Int32Array.from({ length: 300 }, (_, i) => i);
    expect(new Split(full, 400).run(giant, 100, 1)).toHaveLength(300);
    const routes = new Split(full, 250).run(giant, 100, 1);
    expect(routes).toHaveLength(250);
    expect(routes.flatMap((r) => Array.from(r))).toEqual(Array.from(giant));
    // Room for two clients a route: the layered split finds a cut into exactly the slots it has.
    const halves = lsInstance(many, Array.from({ length: 300 }, () => 5), 10);
    const paired = new Split(halves, 210).run(giant, 1_000_000, 1);
    expect(paired.length).toBeLessThanOrEqual(210);
    expect(paired.every((r) => r.length <= 2)).toBe(true);
  });
});

describe('ordered crossover', () => {
  it('produces a permutation keeping a slice of the first parent', () => {
    const a = Int32Array.of(0, 1, 2, 3, 4, 5, 6, 7);
    const b = Int32Array.of(7, 6, 5, 4, 3, 2, 1, 0);
    const child = new Int32Array(8);
    crossoverOX(a, b, child, new Uint8Array(8), new Rng(3));
    expect(Array.from(child).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    let kept = 0;
    for (let i = 0; i < 8; i++) if (child[i] === a[i]) kept++;
    expect(kept).toBeGreaterThanOrEqual(2);
  });
});

describe('rng', () => {
  it('is reproducible per seed and uniform enough', () => {
    const r1 = new Rng(42);
    const r2 = new Rng(42);
    const xs = Array.from({ length: 1000 }, () => r1.next());
    expect(Array.from({ length: 1000 }, () => r2.next())).toEqual(xs);
    expect(new Rng(43).next()).not.toBe(xs[0]);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
