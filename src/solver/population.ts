/**
 * Two sub-populations (feasible, infeasible) with survivor selection on biased fitness: cost rank
 * plus diversity rank (average broken-pairs distance to the closest individuals), Vidal 2022.
 */
import type { Rng } from './rng.ts';
import type { Individual } from './individual.ts';
import { brokenPairs } from './individual.ts';

export interface PopulationParams {
  readonly mu: number;
  readonly lambda: number;
  readonly nbElite: number;
  readonly nbClose: number;
}

export const DEFAULT_POPULATION: PopulationParams = { mu: 25, lambda: 40, nbElite: 4, nbClose: 5 };

export class Population {
  feasible: Individual[] = [];
  infeasible: Individual[] = [];
  best: Individual | null = null;
  readonly #n: number;
  readonly #p: PopulationParams;

  constructor(n: number, params: PopulationParams = DEFAULT_POPULATION) {
    this.#n = n;
    this.#p = params;
  }

  /** Adds an individual; returns true when it is a new best feasible solution. */
  add(ind: Individual): boolean {
    const sub = ind.feasible ? this.feasible : this.infeasible;
    for (const other of sub) {
      const d = brokenPairs(ind, other, this.#n);
      insertSorted(other.proximity, { d, ind });
      insertSorted(ind.proximity, { d, ind: other });
    }
    let pos = sub.length;
    while (pos > 0 && sub[pos - 1].penalised > ind.penalised) pos--;
    sub.splice(pos, 0, ind);
    if (sub.length > this.#p.mu + this.#p.lambda) this.#survivors(sub);
    if (ind.feasible && (this.best === null || ind.pure < this.best.pure)) {
      this.best = ind;
      return true;
    }
    return false;
  }

  #survivors(sub: Individual[]): void {
    while (sub.length > this.#p.mu) {
      this.#fitness(sub);
      let worst = -1;
      let worstClone = false;
      let worstFit = -Infinity;
      for (let i = 1; i < sub.length; i++) {
        const ind = sub[i];
        const clone = ind.proximity.length > 0 && ind.proximity[0].d === 0;
        if ((clone && !worstClone) || (clone === worstClone && ind.fitness > worstFit)) {
          worst = i;
          worstClone = clone;
          worstFit = ind.fitness;
        }
      }
      if (worst < 0) worst = sub.length - 1;
      const gone = sub.splice(worst, 1)[0];
      for (const other of sub) {
        const k = other.proximity.findIndex((p) => p.ind === gone);
        if (k >= 0) other.proximity.splice(k, 1);
      }
    }
  }

  #fitness(sub: Individual[]): void {
    const m = sub.length;
    if (m === 1) {
      sub[0].fitness = 0;
      return;
    }
    const div = sub.map((ind, i) => ({ i, d: ind.avgClosest(this.#p.nbClose) }));
    div.sort((a, b) => b.d - a.d || a.i - b.i);
    const divRank = new Float64Array(m);
    for (let r = 0; r < m; r++) divRank[div[r].i] = r / (m - 1);
    const eliteFactor = 1 - this.#p.nbElite / m;
    for (let i = 0; i < m; i++) sub[i].fitness = i / (m - 1) + eliteFactor * divRank[i];
  }

  /** Binary tournament on biased fitness over both sub-populations. */
  select(rng: Rng): Individual {
    this.#fitness(this.feasible);
    this.#fitness(this.infeasible);
    const total = this.feasible.length + this.infeasible.length;
    const at = (k: number): Individual => (k < this.feasible.length ? this.feasible[k] : this.infeasible[k - this.feasible.length]);
    const a = at(rng.int(total));
    const b = at(rng.int(total));
    return a.fitness <= b.fitness ? a : b;
  }

  /** New penalty weights: re-price and re-sort the infeasible individuals. */
  reprice(wLoad: number, wTime: number): void {
    for (const ind of this.infeasible) ind.reprice(wLoad, wTime);
    this.infeasible.sort((a, b) => a.penalised - b.penalised);
  }

  size(): number {
    return this.feasible.length + this.infeasible.length;
  }

  /** Restart: drop everyone (the best feasible is kept aside by the caller). */
  clear(): void {
    this.feasible = [];
    this.infeasible = [];
  }
}

function insertSorted(list: { d: number }[], item: { d: number; ind: Individual }): void {
  let pos = list.length;
  while (pos > 0 && list[pos - 1].d > item.d) pos--;
  (list as { d: number; ind: Individual }[]).splice(pos, 0, item);
}
