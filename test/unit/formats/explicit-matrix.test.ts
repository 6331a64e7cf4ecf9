/**
 * TSPLIB `EDGE_WEIGHT_TYPE : EXPLICIT`: every layout of the same symmetric matrix reads to the
 * same full matrix; the solver and the independent checker use the file's numbers as they are;
 * on the 7-village fixture the solver finds the optimum an exhaustive search in this test finds.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InstanceFormatError, parseInstance, toProblem } from '../../../src/formats/index.ts';
import { toFileRoutes } from '../../../src/formats/solution-routes.ts';
import { checkSolution } from '../../../src/formats/verify.ts';
import { solve } from '../../../src/solver/index.ts';

// A 4-node symmetric matrix, deliberately not Euclidean (1→4 is a long way round).
const FULL = [
  [0, 7, 3, 40],
  [7, 0, 5, 9],
  [3, 5, 0, 6],
  [40, 9, 6, 0],
];

function layout(format: string): string {
  const n = FULL.length;
  const nums: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const keep = {
        FULL_MATRIX: true,
        LOWER_ROW: j < i,
        UPPER_ROW: j > i,
        LOWER_DIAG_ROW: j <= i,
        UPPER_DIAG_ROW: j >= i,
      }[format];
      if (keep) nums.push(FULL[i]![j]!);
    }
  }
  // Three numbers a line whatever the rows: the readers must not assume one row per line.
  const lines: string[] = [];
  for (let k = 0; k < nums.length; k += 3) lines.push(nums.slice(k, k + 3).join(' '));
  return [
    'NAME : m4',
    'TYPE : CVRP',
    'DIMENSION : 4',
    'EDGE_WEIGHT_TYPE : EXPLICIT',
    `EDGE_WEIGHT_FORMAT : ${format}`,
    'CAPACITY : 10',
    'EDGE_WEIGHT_SECTION',
    ...lines,
    'DEMAND_SECTION',
    '1 0',
    '2 4',
    '3 4',
    '4 4',
    'DEPOT_SECTION',
    '1',
    '-1',
    'EOF',
  ].join('\n');
}

describe('TSPLIB EXPLICIT edge weights', () => {
  it.each(['FULL_MATRIX', 'LOWER_ROW', 'UPPER_ROW', 'LOWER_DIAG_ROW', 'UPPER_DIAG_ROW'])('%s reads to the full matrix, scale 1', (format) => {
    const instance = parseInstance(layout(format));
    expect(instance.convention).toBe('explicit');
    expect(instance.weights).toEqual(FULL.flat());
    const loaded = toProblem(instance);
    expect(loaded.scale).toBe(1);
    expect([...loaded.problem.profiles[0]!.distance]).toEqual(FULL.flat());
    // The checker reads the same matrix: route 2 → 4 costs 7 + 9 + 40, not a Euclidean length.
    const check = checkSolution(instance, [[2, 4], [3]]);
    expect(check.feasible).toBe(true);
    expect(check.cost).toBe(7 + 9 + 40 + 3 + 3);
  });

  it('rejects a section of the wrong length, fractional weights and unknown layouts, naming them', () => {
    const short = layout('LOWER_ROW').replace('40 9 6', '40 9');
    expect(() => parseInstance(short)).toThrow(/EDGE_WEIGHT_SECTION has 5 numbers; LOWER_ROW for DIMENSION 4 needs 6/);
    expect(() => parseInstance(layout('LOWER_ROW').replace('7 3 5', '7 3.5 5'))).toThrow(/only non-negative integer weights/);
    expect(() => parseInstance(layout('FULL_MATRIX').replace('FULL_MATRIX', 'FUNCTION'))).toThrow(InstanceFormatError);
    expect(() => parseInstance(layout('FULL_MATRIX').replace('FULL_MATRIX', 'FUNCTION'))).toThrow(/unsupported EDGE_WEIGHT_FORMAT "FUNCTION"/);
  });

  it('solves the 7-village fixture to the optimum an exhaustive search finds, and the checker agrees', () => {
    const text = readFileSync(new URL('../../fixtures/explicit/hills-n8-k3.vrp', import.meta.url), 'utf8');
    const instance = parseInstance(text);
    const n = instance.nodes.length;
    const w = instance.weights!;
    const demand = instance.nodes.map((node) => node.demand);
    // Exhaustive: every partition of the customers into routes that fit, each route's best order.
    const tsp = (sub: number[]): number => {
      let best = Infinity;
      const permute = (rest: number[], at: number, cost: number): void => {
        if (rest.length === 0) {
          best = Math.min(best, cost + w[at * n]!);
          return;
        }
        for (let k = 0; k < rest.length; k++) permute([...rest.slice(0, k), ...rest.slice(k + 1)], rest[k]!, cost + w[at * n + rest[k]!]!);
      };
      permute(sub, 0, 0);
      return best;
    };
    const bestOf = (rest: number[]): number => {
      if (rest.length === 0) return 0;
      const [first, ...others] = rest as [number, ...number[]];
      let best = Infinity;
      for (let mask = 0; mask < 1 << others.length; mask++) {
        const sub = [first, ...others.filter((_, k) => (mask >> k) & 1)];
        if (sub.reduce((s, i) => s + demand[i]!, 0) > instance.capacity) continue;
        best = Math.min(best, tsp(sub) + bestOf(others.filter((_, k) => !((mask >> k) & 1))));
      }
      return best;
    };
    const optimum = bestOf([1, 2, 3, 4, 5, 6, 7]);
    const loaded = toProblem(instance);
    const solution = solve(loaded.problem, { seed: 1, maxIterations: 300 });
    const { routes } = toFileRoutes(loaded, solution);
    const check = checkSolution(instance, routes);
    expect(check.violations).toEqual([]);
    expect(check.cost).toBe(optimum);
    expect(solution.cost).toBe(optimum);
  });
});
