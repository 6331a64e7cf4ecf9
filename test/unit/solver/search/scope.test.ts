/**
 * The local search only calls an operator on (u, v) pairs inside its declared scope (same route,
 * other route, v a start depot). The scope is a filter, never a change of result: outside it,
 * `evaluate` must return Infinity, so skipping the call cannot change the search.
 */
import { describe, expect, it } from 'vitest';
import { LocalSearch } from '../../../../src/solver/search/local-search.ts';
import { OPERATORS } from '../../../../src/solver/search/operators.ts';
import { lsInstance } from '../helpers.ts';
import type { Point } from '../helpers.ts';

describe('operator scope', () => {
  const pts: Point[] = [[0, 0], [0, 10], [0, 20], [10, 20], [10, 10], [20, 0], [30, 5], [5, 30]];
  // windows too, so the concatenation paths are covered as well as the pure-capacity ones
  for (const windows of [undefined, pts.slice(1).map(() => [0, 1000] as [number, number])]) {
    it(`evaluate is Infinity outside the declared scope (${windows ? 'windows' : 'pure capacity'})`, () => {
      const inst = lsInstance(pts, [1, 2, 1, 3, 1, 2, 1], 5, windows);
      const ls = new LocalSearch(inst, 3, [], []);
      ls.load([[0, 3, 1], [4, 2, 5], [6]]);
      const nodes = [...Array(inst.n).keys(), ls.startDepot(0), ls.startDepot(1), ls.startDepot(2)];
      let checked = 0;
      for (const op of OPERATORS(inst.n)) {
        for (let u = 0; u < inst.n; u++) {
          for (const v of nodes) {
            if (v === u) continue;
            const same = ls.routeOf[u] === ls.routeOf[v];
            const inScope = (op.scope === 'intra' ? same : op.scope === 'inter' ? !same : true) && (v < inst.n || op.depotV !== false);
            if (inScope) continue;
            expect(op.evaluate(ls, u, v), `${op.name} (${u}, ${v})`).toBe(Infinity);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(50);
    });
  }
});
