/**
 * One interface for every local-search operator (STYLE.md §4.5): `evaluate` returns the exact
 * change of penalised cost (>= 0 or Infinity means "do not apply") and allocates nothing;
 * `apply` performs the move it has just evaluated. While `ls.bounded` is set (inside
 * `LocalSearch.run`) a move that cannot improve may be cut short by a cheap lower bound and
 * reported as Infinity; an improving move always gets its exact delta.
 */
import type { LocalSearch } from './local-search.ts';

/** A move between two nodes (`v` may be a start depot: "after the start of v's route"). */
export interface NodeOperator {
  readonly name: string;
  /**
   * Which (u, v) pairs can give a move at all, so the local search does not call `evaluate` just
   * to get Infinity back: u and v in the same route ('intra'), in different routes ('inter'), or
   * either ('any', the default); `depotV` false when v must be a client. Only a filter: `evaluate`
   * still returns Infinity outside its scope.
   */
  readonly scope?: 'intra' | 'inter' | 'any';
  readonly depotV?: boolean;
  evaluate(ls: LocalSearch, u: number, v: number): number;
  apply(ls: LocalSearch, u: number, v: number): void;
}

/** A move between two routes (SWAP*), remembering its best candidate between evaluate and apply. */
export interface RouteOperator {
  readonly name: string;
  evaluate(ls: LocalSearch, routeU: number, routeV: number): number;
  apply(ls: LocalSearch): void;
}
