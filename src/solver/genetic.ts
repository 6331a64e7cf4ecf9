/**
 * Hybrid genetic search (Vidal 2022): OX crossover on giant tours → Split → local search on
 * penalised cost → population with biased fitness; infeasible offspring are repaired half of the
 * time with 10× penalties; penalties adapt towards a target share of feasible offspring.
 */
import type { Data } from './data.ts';
import type { RouteEvaluator } from './evaluate.ts';
import type { SolveOptions } from './model.ts';
import type { Rng } from './rng.ts';
import { LocalSearch } from './search/local-search.ts';
import type { LsInstance } from './search/instance.ts';
import { OPERATORS, ROUTE_OPERATORS } from './search/operators.ts';
import { Sisr } from './sisr.ts';
import { Individual } from './individual.ts';
import { buildLsInstance } from './ls-instance.ts';
import { DEFAULT_PENALTY, PenaltyManager } from './penalty-manager.ts';
import { Population } from './population.ts';
import { Split } from './split.ts';
import { eliminateRoutes, eliminationApplies, eliminationBudget } from './route-elimination.ts';
import { stopFromOptions } from './stop.ts';
import type { StoppingCriterion } from './stop.ts';

export interface HgsParams {
  readonly granular: number;
  readonly initialPopulation: number;
  readonly targetFeasible: number;
  readonly itersWithoutImprovement: number;
  readonly repairProbability: number;
  /**
   * With a time budget (options.timeFraction), the initial population stops growing once it has
   * used this share of the budget and holds at least `minInitialPopulation` individuals: on a
   * short budget or a loaded machine, crossover of educated parents beats more random restarts.
   */
  readonly seedingTimeShare: number;
  readonly minInitialPopulation: number;
}

export const DEFAULT_HGS: HgsParams = {
  granular: 20,
  initialPopulation: 100,
  targetFeasible: 0.2,
  itersWithoutImprovement: 20000,
  repairProbability: 0.5,
  seedingTimeShare: 0.2,
  minInitialPopulation: 4,
};

/** Whether the initial population is complete: `built` individuals after `spent` of the time budget. */
export function seedingDone(built: number, spent: number, target: number, params: HgsParams): boolean {
  if (built >= target) return true;
  return built >= params.minInitialPopulation && spent > params.seedingTimeShare;
}

/** HGS covers pure job problems with one vehicle type, one window per job and single trips. */
export function hgsApplies(data: Data, active: Uint8Array): boolean {
  if (data.V === 0 || data.shipmentCount > 0 || data.typeCount !== 1 || data.multiWindow) return false;
  if (data.vTrips[0] > 1) return false;
  let count = 0;
  for (let r = 0; r < data.requestCount; r++) {
    if (!active[r]) continue;
    if (data.prize[r] >= 0) return false;
    count++;
  }
  if (count < 2) return false;
  // HGS's Split and local search assume the fleet can carry every client; when the total demand
  // exceeds the whole fleet's capacity some jobs must stay unassigned, which SISR handles (with
  // reasons). One vehicle type, so vehicle 0's capacity stands for all.
  const D = data.D;
  for (let d = 0; d < D; d++) {
    let delivery = 0;
    let pickup = 0;
    for (let r = 0; r < data.jobCount; r++) {
      if (!active[r]) continue;
      delivery += data.del[r * D + d];
      pickup += data.pick[r * D + d];
    }
    const fleet = data.V * data.vCap[d];
    if (delivery > fleet || pickup > fleet) return false;
  }
  return true;
}

export function runHgs(data: Data, ev: RouteEvaluator, rng: Rng, active: Uint8Array, options: SolveOptions,
  onImprove?: (iteration: number, cost: number, feasible: boolean) => void, params: HgsParams = DEFAULT_HGS):
  { routes: number[][]; iterations: number } {
  const sisr = new Sisr(data, ev, rng, active);
  // Vehicles cost something: seed one individual by greedy insertion on the true objective, which
  // opens as few routes as it can (split + local search alone reduce the fleet slowly).
  let seed: number[][] | null = null;
  let maxRoutes = Infinity;
  if (data.vFixed[0] > 0 && !stopFromOptions(options).done(0)) {
    seed = sisr.construct().routes;
    // Vehicles first with windows: route elimination takes a share of the budget to shrink the
    // fleet, then the genetic search works on distance with that many route slots, so it does
    // not drift back to more vehicles.
    if (eliminationApplies(data, ev, active, seed)) {
      seed = eliminateRoutes(data, ev, rng, active, seed, eliminationBudget(options, data.requestCount)).routes;
      if (serves(data, active, seed)) maxRoutes = seed.filter((r) => r.length > 0).length;
    }
  }
  const search = new GeneticSearch(data, active, rng, options, params, onImprove, maxRoutes);
  if (seed !== null) {
    search.seedAsIs(seed);
    if (!search.stopped()) search.seedFrom(seed);
  }
  search.seedPopulation();
  while (!search.stopped() && search.pop.size() > 0) {
    search.offspring();
    if (search.stalled()) search.restart();
  }
  // Best feasible (else the least infeasible) → vehicles; the exact evaluator re-checks every route
  // and SISR's insertion repairs anything the approximation let through.
  let fixed = sisr.fromRoutes(search.bestRoutes(data.V));
  if (fixed.vehicleOf.some((v, r) => v < 0 && active[r] === 1)) {
    // No feasible individual yet: a bounded ruin & recreate pass (past the deadline, on purpose)
    // to place the jobs the repair could not, rather than report them unassigned.
    fixed = sisr.run(fixed, { maxIterations: Math.max(200, 20 * search.n), untilComplete: true }).best;
  }
  return { routes: fixed.routes, iterations: search.iterations };
}

/** Whether `routes` serve every active request. */
function serves(data: Data, active: Uint8Array, routes: readonly (readonly number[])[]): boolean {
  const served = new Uint8Array(data.requestCount);
  for (const r of routes) for (const x of r) served[data.requestOf[x]] = 1;
  for (let r = 0; r < data.requestCount; r++) if (active[r] && !served[r]) return false;
  return true;
}

/** The state of one HGS run: local search, Split, population, penalties and the counters. */
class GeneticSearch {
  readonly n: number;
  readonly pop: Population;
  iterations = 0;
  readonly #clients: Int32Array;
  readonly #inst: LsInstance;
  readonly #ls: LocalSearch;
  readonly #split: Split;
  readonly #penalties: PenaltyManager;
  readonly #stop: StoppingCriterion;
  readonly #rng: Rng;
  readonly #params: HgsParams;
  readonly #timeFraction: (() => number) | undefined;
  readonly #onImprove: ((iteration: number, cost: number, feasible: boolean) => void) | undefined;
  readonly #initialSize: number;
  #lastImprove = 0;
  // scratch giant tours and crossover marks
  readonly #giant: Int32Array;
  readonly #mark: Uint8Array;

  constructor(data: Data, active: Uint8Array, rng: Rng, options: SolveOptions, params: HgsParams,
    onImprove: ((iteration: number, cost: number, feasible: boolean) => void) | undefined, maxRoutes = Infinity) {
    const clientList: number[] = [];
    for (let r = 0; r < data.jobCount; r++) if (active[r]) clientList.push(r);
    this.#clients = Int32Array.from(clientList);
    const n = clientList.length;
    this.n = n;
    const hasTw = data.early.some((e, i) => e > 0 || Number.isFinite(data.late[i]));
    this.#inst = buildLsInstance(data, this.#clients, 0, hasTw ? Math.max(params.granular, 30) : params.granular);
    const R = Math.max(1, Math.min(fleetSize(data, this.#inst, hasTw), maxRoutes));
    this.#ls = new LocalSearch(this.#inst, R, OPERATORS(n), ROUTE_OPERATORS(this.#inst, R));
    this.#ls.debug = options.debug === true;
    this.#ls.abortCheck = options.deadline ?? null;
    this.#split = new Split(this.#inst, R);
    this.pop = new Population(n);
    this.#penalties = new PenaltyManager(this.#inst, { ...DEFAULT_PENALTY, targetFeasible: params.targetFeasible });
    this.#stop = stopFromOptions(options);
    this.#rng = rng;
    this.#params = params;
    this.#timeFraction = options.timeFraction;
    this.#onImprove = onImprove;
    this.#initialSize = Math.min(params.initialPopulation, Math.max(25, Math.floor(4000 / Math.max(n, 1))));
    this.#giant = new Int32Array(n);
    this.#mark = new Uint8Array(n);
  }

  stopped(): boolean {
    return this.#stop.done(this.iterations);
  }

  /** No new best for `itersWithoutImprovement` iterations. */
  stalled(): boolean {
    return this.iterations - this.#lastImprove > this.#params.itersWithoutImprovement;
  }

  /** One generation: two parents by binary tournament, OX crossover, Split, education. */
  offspring(): void {
    const a = this.pop.select(this.#rng);
    const b = this.pop.select(this.#rng);
    crossoverOX(a.giant, b.giant, this.#giant, this.#mark, this.#rng);
    this.#addEducated(this.#split.run(this.#giant, this.#penalties.wLoad, this.#penalties.wTime));
    if (this.iterations % 20 === 0) this.#updatePenalties();
  }

  /** Drops the population (the best feasible stays recorded) and seeds a new one. */
  restart(): void {
    this.pop.clear();
    this.#lastImprove = this.iterations;
    this.seedPopulation();
  }

  /**
   * Random giant tours until the initial population is complete. Large instances: randomised
   * nearest-neighbour tours give the (slow, in JS) local search a head start; small ones use
   * random tours as HGS does.
   */
  seedPopulation(): void {
    const started = this.#timeFraction?.() ?? 0;
    const n = this.n;
    const giant = this.#giant;
    for (let i = 0; !this.stopped(); i++) {
      const spent = this.#timeFraction ? this.#timeFraction() - started : 0;
      if (seedingDone(i, spent, this.#initialSize, this.#params)) break;
      if (n >= 250 && i % 4 !== 0) nearestNeighbourTour(this.#inst, giant, this.#rng);
      else {
        for (let k = 0; k < n; k++) giant[k] = k;
        this.#rng.shuffle(giant);
      }
      this.#addEducated(this.#split.run(giant, this.#penalties.wLoad, this.#penalties.wTime));
      if (this.iterations % (this.pop.best === null ? 5 : 20) === 0) this.#updatePenalties();
    }
  }

  /**
   * One individual from given routes (problem node ids; a limited fleet may have left clients
   * out: each goes to the end of the route whose last client is nearest, the penalties sort it out).
   */
  seedFrom(routes: readonly (readonly number[])[]): void {
    const n = this.n;
    const internal = new Map<number, number>();
    this.#clients.forEach((x, i) => internal.set(x, i));
    const lists = routes.filter((r) => r.length > 0).map((r) => r.map((x) => internal.get(x) ?? -1));
    const placed = new Uint8Array(n);
    for (const r of lists) for (const x of r) placed[x] = 1;
    for (let x = 0; x < n && lists.length > 0; x++) {
      if (placed[x]) continue;
      let best = 0;
      let bd = Infinity;
      for (let k = 0; k < lists.length; k++) {
        const last = lists[k][lists[k].length - 1];
        const dd = this.#inst.dist[last * (n + 2) + x];
        if (dd < bd) {
          bd = dd;
          best = k;
        }
      }
      lists[best].push(x);
    }
    if (lists.length > 0 && lists.length <= this.#ls.R) this.#addEducated(lists.map((r) => Int32Array.from(r)));
  }

  /**
   * One individual from complete routes, without local search, so a feasible start (route
   * elimination's fleet) is in the population whatever the penalised search makes of it.
   */
  seedAsIs(routes: readonly (readonly number[])[]): void {
    const internal = new Map<number, number>();
    this.#clients.forEach((x, i) => internal.set(x, i));
    const lists = routes.filter((r) => r.length > 0).map((r) => Int32Array.from(r, (x) => internal.get(x) ?? -1));
    let count = 0;
    for (const r of lists) count += r.length;
    if (count !== this.n || lists.some((r) => r.includes(-1)) || lists.length > this.#ls.R) return;
    const ls = this.#ls;
    ls.wLoad = this.#penalties.wLoad;
    ls.wTime = this.#penalties.wTime;
    ls.load(lists);
    this.#add(this.#extract());
  }

  /** The best feasible individual's routes (else the least infeasible one's) as problem node ids, one list per vehicle. */
  bestRoutes(V: number): number[][] {
    const chosen = this.pop.best ?? this.pop.infeasible[0] ?? null;
    const routes: number[][] = Array.from({ length: V }, () => []);
    chosen?.routes.forEach((r, k) => {
      routes[k] = Array.from(r, (x) => this.#clients[x]);
    });
    return routes;
  }

  /**
   * Educates routes into an individual and adds it; an infeasible one is repaired (search again
   * with 10× penalties) half of the time, always until a first feasible solution exists: a short
   * budget must not end without one. Counts one iteration.
   */
  #addEducated(routes: Int32Array[]): void {
    const ls = this.#ls;
    const { wLoad, wTime } = this.#penalties;
    ls.wLoad = wLoad;
    ls.wTime = wTime;
    ls.load(routes);
    ls.run(this.#rng);
    const ind = this.#extract();
    this.#penalties.record(ind);
    this.#add(ind);
    const repairP = this.pop.best === null ? 1 : this.#params.repairProbability;
    if (!ind.feasible && this.#rng.next() < repairP) {
      ls.setPenalties(wLoad * 10, wTime * 10);
      ls.run(this.#rng);
      const repaired = this.#extract();
      if (repaired.feasible) this.#add(repaired);
    }
    this.iterations++;
  }

  #add(ind: Individual): void {
    if (this.pop.add(ind)) {
      this.#lastImprove = this.iterations;
      this.#onImprove?.(this.iterations, ind.pure, true);
    }
  }

  #updatePenalties(): void {
    this.#penalties.update();
    this.pop.reprice(this.#penalties.wLoad, this.#penalties.wTime);
  }

  /** The local search's routes as an individual, priced at the current penalties. */
  #extract(): Individual {
    const ls = this.#ls;
    let pure = 0;
    let load = 0;
    let time = 0;
    for (let r = 0; r < ls.R; r++) {
      const e = ls.routeExcess(r);
      pure += e.pure;
      load += e.load;
      time += e.time;
    }
    const ind = new Individual(this.#inst, ls.exportRoutes(), pure, load, time);
    ind.reprice(this.#penalties.wLoad, this.#penalties.wTime);
    return ind;
  }
}

/** Route slots for the search: the fleet, capped near what capacity needs when nothing else binds. */
function fleetSize(data: Data, inst: LsInstance, hasTw: boolean): number {
  const V = data.V;
  if (hasTw || Number.isFinite(inst.maxDuration) || Number.isFinite(inst.maxDistance) || Number.isFinite(inst.maxStops)) {
    return Math.max(1, Math.min(V, inst.n));
  }
  let lb = 1;
  for (let q = 0; q < inst.D; q++) {
    let tot = 0;
    for (let i = 0; i < inst.n; i++) tot += Math.max(inst.del[i * inst.D + q], inst.pick[i * inst.D + q]);
    if (inst.cap[q] > 0) lb = Math.max(lb, Math.ceil(tot / inst.cap[q]));
  }
  return Math.max(1, Math.min(V, inst.n, Math.ceil(1.3 * lb) + 3));
}

/** A giant tour built by picking, from the last client, one of its nearest unvisited neighbours at random. */
export function nearestNeighbourTour(inst: LsInstance, out: Int32Array, rng: Rng): void {
  const n = inst.n;
  const M = n + 2;
  const seen = new Uint8Array(n);
  let cur = rng.int(n);
  out[0] = cur;
  seen[cur] = 1;
  const cand = new Int32Array(3);
  for (let k = 1; k < n; k++) {
    let c = 0;
    for (let i = 0; i < inst.nearest && c < 3; i++) {
      const v = inst.neighbours[cur * inst.k + i];
      if (v >= 0 && !seen[v]) cand[c++] = v;
    }
    let next: number;
    if (c > 0) next = cand[rng.int(c)];
    else {
      next = -1;
      let bd = Infinity;
      for (let v = 0; v < n; v++) {
        if (seen[v]) continue;
        const d = inst.dist[cur * M + v];
        if (d < bd) {
          bd = d;
          next = v;
        }
      }
    }
    out[k] = next;
    seen[next] = 1;
    cur = next;
  }
}

/** Ordered crossover (OX) on giant tours. */
export function crossoverOX(a: Int32Array, b: Int32Array, child: Int32Array, mark: Uint8Array, rng: Rng): void {
  const n = a.length;
  mark.fill(0);
  const start = rng.int(n);
  let end = rng.int(n);
  while (end === start && n > 1) end = rng.int(n);
  let j = start;
  for (;;) {
    child[j] = a[j];
    mark[a[j]] = 1;
    if (j === end) break;
    j = (j + 1) % n;
  }
  let w = (end + 1) % n;
  for (let k = 1; k <= n; k++) {
    const x = b[(end + k) % n];
    if (mark[x]) continue;
    child[w] = x;
    w = (w + 1) % n;
  }
}
