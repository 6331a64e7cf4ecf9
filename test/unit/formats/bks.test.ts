/**
 * The readers and the independent checker, validated against the published best-known
 * solutions of the instances in test/fixtures/benchmarks (a few per public set, RC107 trunc1 for
 * its second, worse tour): every BKS solution file must be feasible for the checker, and the
 * checker's recomputed cost must equal the BKS table's value (to the table's precision). Then each instance's
 * first BKS solution is scored on the solver's integer `Problem`, to show the problems the
 * readers build agree with the sets' conventions (exact for integer conventions, within the
 * ×1000 rounding for double precision) and keep the best-known schedules feasible.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listBenchmarkSet, type SetEntry } from '../../../src/formats/benchmark-set.ts';
import { parseInstance, toProblem } from '../../../src/formats/index.ts';
import { parseSolutionText } from '../../../src/formats/solution-files.ts';
import type { BenchmarkInstance } from '../../../src/formats/types.ts';
import { checkSolution } from '../../../src/formats/verify.ts';
import { BENCHMARK_FIXTURES } from '../../support/fixtures.ts';
import { evaluateOnProblem } from './problem-evaluator.ts';

const SETS = [
  { dir: 'X', bksFile: 'BKS.csv', count: 2, precision: 0 },
  { dir: 'solomon/distance_trunc1', bksFile: 'BKS_distance_only.csv', count: 3, precision: 1e-9 },
  { dir: 'solomon/hierarchical_exact', bksFile: 'BKS.csv', count: 2, precision: 5e-5 },
  { dir: 'gehring_homberger_200', bksFile: 'BKS.csv', count: 2, precision: 5e-5 },
  { dir: 'li_lim_100', bksFile: 'BKS.csv', count: 2, precision: 5e-5 },
] as const;

function load(entry: SetEntry): BenchmarkInstance {
  return parseInstance(readFileSync(entry.instancePath, 'utf8'), entry.name);
}

describe.each(SETS)('BKS solutions of $dir', ({ dir, bksFile, count, precision }) => {
  const set = listBenchmarkSet(join(BENCHMARK_FIXTURES, dir));

  it(`lists ${count} instances, each with a BKS value from ${bksFile} and a solution file`, () => {
    expect(set.entries).toHaveLength(count);
    expect(set.bksFile?.endsWith(bksFile)).toBe(true);
    for (const e of set.entries) {
      expect(e.bks, e.name).toBeDefined();
      expect(e.solutionPaths.length, e.name).toBeGreaterThan(0);
    }
  });

  it('every BKS solution is feasible and its recomputed cost equals the BKS table', () => {
    let reproduced = 0;
    for (const entry of set.entries) {
      const instance = load(entry);
      const costs = entry.solutionPaths.map((path) => {
        const result = checkSolution(instance, parseSolutionText(readFileSync(path, 'utf8'), instance));
        expect(result.violations, path).toEqual([]);
        if (entry.bks!.vehicles !== undefined && Math.abs(result.cost - entry.bks!.bks) <= precision) {
          expect(result.vehicles, path).toBe(entry.bks!.vehicles);
        }
        return result.cost;
      });
      // RC107 (trunc1) ships a second, worse tour beside the BKS one: the best file must match.
      const best = Math.min(...costs);
      expect(Math.abs(best - entry.bks!.bks), `${entry.name}: ${best} vs BKS ${entry.bks!.bks}`).toBeLessThanOrEqual(precision);
      reproduced++;
    }
    expect(reproduced).toBe(count);
  });

  it('the solver problem built from the file scores the BKS routes consistently', () => {
    for (const entry of set.entries) {
      const instance = load(entry);
      const loaded = toProblem(instance);
      const locationOf = new Map(loaded.nodeIds.map((id, loc) => [id, loc]));
      const routes = parseSolutionText(readFileSync(entry.solutionPaths[0]!, 'utf8'), instance);
      const check = checkSolution(instance, routes);
      const evaluation = evaluateOnProblem(loaded.problem, routes.map((r) => r.map((id) => locationOf.get(id)!)));
      expect(evaluation.problems, entry.name).toEqual([]);
      const edges = routes.reduce((s, r) => s + r.length + 1, 0);
      if (instance.convention === 'exact') {
        // round(1000·d) per edge: at most half a unit of error per edge.
        expect(Math.abs(evaluation.distance - 1000 * check.cost)).toBeLessThanOrEqual(0.5 * edges);
        expect(evaluation.fixed).toBeGreaterThan(0);
      } else {
        expect(evaluation.distance).toBe(Math.round(check.cost * loaded.scale));
        expect(evaluation.fixed).toBe(0);
      }
    }
  });
});
