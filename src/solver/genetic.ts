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
import type { LsInstance } from './search/local-search.ts';
import { OPERATORS, ROUTE_OPERATORS } from './search/operators.ts';
import { Sisr } from './sisr.ts';
import { Individual } from './individual.ts';
import { buildLsInstance } from './ls-instance.ts';
import { Population } from './population.ts';
import { Split } from './split.ts';

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
  if (data.vTrips[0]! > 1) return false;
  let count = 0;
  for (let r = 0; r < data.requestCount; r++) {
    if (!active[r]) continue;
    if (data.prize[r]! >= 0) return false;
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
      delivery += data.del[r * D + d]!;
      pickup += data.pick[r * D + d]!;
    }
    const fleet = data.V * data.vCap[d]!;
    if (delivery > fleet || pickup > fleet) return false;
  }
  return true;
}

export function runHgs(data: Data, ev: RouteEvaluator, rng: Rng, active: Uint8Array, options: SolveOptions,
  onImprove?: (iteration: number, cost: number, feasible: boolean) => void, params: HgsParams = DEFAULT_HGS):
  { routes: number[][]; iterations: number } {
  const clientList: number[] = [];
  for (let r = 0; r < data.jobCount; r++) if (active[r]) clientList.push(r);
  const clients = Int32Array.from(clientList);
  const n = clients.length;
  const hasTw = data.early.some((e, i) => e > 0 || Number.isFinite(data.late[i]!));
  const inst = buildLsInstance(data, clients, 0, hasTw ? Math.max(params.granular, 30) : params.granular);
  const R = fleetSize(data, inst, hasTw);
  const ls = new LocalSearch(inst, R, OPERATORS(n), ROUTE_OPERATORS(inst, R));
  ls.debug = options.debug === true;
  const deadline = options.deadline;
  ls.abortCheck = deadline ?? null;
  const split = new Split(inst, R);
  const pop = new Population(n);
  let wLoad = initialLoadPenalty(inst);
  let wTime = initialTimePenalty(inst, wLoad);
  const feasLoad: number[] = [];
  const feasTime: number[] = [];
  let iter = 0;
  let lastImprove = 0;
  const maxIter = options.maxIterations;
  const stop = (): boolean => (maxIter !== undefined && iter >= maxIter) || (deadline?.() ?? false);

  const educate = (routes: Int32Array[]): Individual => {
    ls.wLoad = wLoad;
    ls.wTime = wTime;
    ls.load(routes);
    ls.run(rng);
    return extract(ls, inst, wLoad, wTime);
  };
  const addWithRepair = (ind: Individual): void => {
    feasLoad.push(ind.loadExcess === 0 ? 1 : 0);
    feasTime.push(ind.timeExcess === 0 ? 1 : 0);
    if (pop.add(ind)) {
      lastImprove = iter;
      onImprove?.(iter, ind.pure, true);
    }
    // Until a first feasible solution exists, always try the repair: a short budget must not end
    // without one.
    const repairP = pop.best === null ? 1 : params.repairProbability;
    if (!ind.feasible && rng.next() < repairP) {
      ls.setPenalties(wLoad * 10, wTime * 10);
      ls.run(rng);
      const repaired = extract(ls, inst, wLoad, wTime);
      if (repaired.feasible && pop.add(repaired)) {
        lastImprove = iter;
        onImprove?.(iter, repaired.pure, true);
      }
    }
  };
  const adjustPenalties = (): void => {
    const adapt = (w: number, hist: number[]): number => {
      if (hist.length === 0) return w;
      const frac = hist.reduce((a, b) => a + b, 0) / hist.length;
      if (frac < params.targetFeasible - 0.05) return Math.min(100000, w * 1.2);
      if (frac > params.targetFeasible + 0.05) return Math.max(0.1, w * 0.85);
      return w;
    };
    wLoad = adapt(wLoad, feasLoad);
    wTime = adapt(wTime, feasTime);
    // Sliding window over the last outcomes: the penalties follow quickly at the start.
    if (feasLoad.length > 50) feasLoad.splice(0, feasLoad.length - 50);
    if (feasTime.length > 50) feasTime.splice(0, feasTime.length - 50);
    pop.reprice(wLoad, wTime);
  };

  const sisr = new Sisr(data, ev, rng, active);
  const giant = new Int32Array(n);
  const internal = new Int32Array(data.N).fill(-1);
  for (let i = 0; i < n; i++) internal[clients[i]!] = i;
  if (data.vFixed[0]! > 0 && !stop()) {
    // Vehicles cost something: seed one individual by greedy insertion on the true objective,
    // which opens as few routes as it can (split + local search alone reduce the fleet slowly).
    const built = sisr.construct();
    const lists = built.routes.filter((r) => r.length > 0).map((r) => Array.from(r, (x) => internal[x]!));
    // A limited fleet may leave clients out: every client must be in the individual, so each goes
    // to the end of the route whose last client is nearest (the penalties sort it out).
    const placed = new Uint8Array(n);
    for (const r of lists) for (const x of r) placed[x] = 1;
    for (let x = 0; x < n; x++) {
      if (placed[x] || lists.length === 0) continue;
      let best = 0;
      let bd = Infinity;
      for (let k = 0; k < lists.length; k++) {
        const last = lists[k]![lists[k]!.length - 1]!;
        const dd = inst.dist[last * (n + 2) + x]!;
        if (dd < bd) {
          bd = dd;
          best = k;
        }
      }
      lists[best]!.push(x);
    }
    const seeded = lists.map((r) => Int32Array.from(r));
    if (seeded.length > 0 && seeded.length <= R && lists.every((r) => r.length > 0) && placed.length === n) {
      addWithRepair(educate(seeded));
      iter++;
    }
  }
  const initial = Math.min(params.initialPopulation, Math.max(25, Math.floor(4000 / Math.max(n, 1))));
  const timeFraction = options.timeFraction;
  const seedPopulation = (): void => {
    const started = timeFraction?.() ?? 0;
    for (let i = 0; !stop(); i++) {
      if (seedingDone(i, timeFraction ? timeFraction() - started : 0, initial, params)) break;
      // Large instances: randomised nearest-neighbour tours give the (slow, in JS) local search a
      // head start; small ones use random tours as HGS does.
      if (n >= 250 && i % 4 !== 0) nearestNeighbourTour(inst, giant, rng);
      else {
        for (let k = 0; k < n; k++) giant[k] = k;
        rng.shuffle(giant);
      }
      addWithRepair(educate(split.run(giant, wLoad, wTime)));
      iter++;
      if (iter % (pop.best === null ? 5 : 20) === 0) adjustPenalties();
    }
  };
  seedPopulation();
  const child = new Int32Array(n);
  const mark = new Uint8Array(n);
  while (!stop() && pop.size() > 0) {
    const a = pop.select(rng);
    const b = pop.select(rng);
    crossoverOX(a.giant, b.giant, child, mark, rng);
    addWithRepair(educate(split.run(child, wLoad, wTime)));
    iter++;
    if (iter % 20 === 0) adjustPenalties();
    if (iter - lastImprove > params.itersWithoutImprovement) {
      pop.clear();
      lastImprove = iter;
      seedPopulation();
    }
  }
  // Best feasible (else the least infeasible) → vehicles; the exact evaluator re-checks every route
  // and SISR's insertion repairs anything the approximation let through.
  const chosen = pop.best ?? pop.infeasible[0] ?? null;
  const routes: number[][] = Array.from({ length: data.V }, () => []);
  if (chosen) {
    chosen.routes.forEach((r, k) => {
      routes[k] = Array.from(r, (x) => clients[x]!);
    });
  }
  let fixed = sisr.fromRoutes(routes);
  if (fixed.vehicleOf.some((v, r) => v < 0 && active[r] === 1)) {
    // No feasible individual yet: a bounded ruin & recreate pass (past the deadline, on purpose)
    // to place the jobs the repair could not, rather than report them unassigned.
    fixed = sisr.run(fixed, { maxIterations: Math.max(200, 20 * n), untilComplete: true }).best;
  }
  return { routes: fixed.routes, iterations: iter };
}

function extract(ls: LocalSearch, inst: LsInstance, wLoad: number, wTime: number): Individual {
  let pure = 0;
  let load = 0;
  let time = 0;
  for (let r = 0; r < ls.R; r++) {
    const e = ls.routeExcess(r);
    pure += e.pure;
    load += e.load;
    time += e.time;
  }
  const ind = new Individual(inst, ls.exportRoutes(), pure, load, time);
  ind.reprice(wLoad, wTime);
  return ind;
}

/** A unit of time warp costs about what a typical arc costs per unit of its travel time. */
function initialTimePenalty(inst: LsInstance, wLoad: number): number {
  let sd = 0;
  let st = 0;
  for (let i = 0; i < inst.dist.length; i++) {
    sd += inst.dist[i]!;
    st += inst.time[i]!;
  }
  void wLoad;
  return Math.max(1, Math.min(1000, st > 0 ? (10 * sd) / st : 1));
}

function initialLoadPenalty(inst: LsInstance): number {
  let maxDist = 0;
  for (let i = 0; i < inst.dist.length; i++) if (inst.dist[i]! > maxDist) maxDist = inst.dist[i]!;
  let maxDemand = 0;
  for (let i = 0; i < inst.del.length; i++) maxDemand = Math.max(maxDemand, inst.del[i]!, inst.pick[i]!);
  return Math.max(0.1, Math.min(1000, maxDist / Math.max(1, maxDemand)));
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
    for (let i = 0; i < inst.n; i++) tot += Math.max(inst.del[i * inst.D + q]!, inst.pick[i * inst.D + q]!);
    if (inst.cap[q]! > 0) lb = Math.max(lb, Math.ceil(tot / inst.cap[q]!));
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
    for (let i = 0; i < inst.k && c < 3; i++) {
      const v = inst.neighbours[cur * inst.k + i]!;
      if (v >= 0 && !seen[v]) cand[c++] = v;
    }
    let next: number;
    if (c > 0) next = cand[rng.int(c)]!;
    else {
      next = -1;
      let bd = Infinity;
      for (let v = 0; v < n; v++) {
        if (seen[v]) continue;
        const d = inst.dist[cur * M + v]!;
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
    child[j] = a[j]!;
    mark[a[j]!] = 1;
    if (j === end) break;
    j = (j + 1) % n;
  }
  let w = (end + 1) % n;
  for (let k = 1; k <= n; k++) {
    const x = b[(end + k) % n]!;
    if (mark[x]) continue;
    child[w] = x;
    w = (w + 1) % n;
  }
}
