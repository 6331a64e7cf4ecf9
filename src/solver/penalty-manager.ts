/**
 * Adaptive penalty weights (Vidal 2022; PyVRP's PenaltyManager): one weight per unit of load
 * excess and one per unit of time excess (time warp, duration and distance over their limits).
 * Each weight moves towards a target share of offspring that are feasible for its constraint:
 * ×1.2 when too few are, ×0.85 when too many are, judged over a sliding window of the last 50.
 */
import type { Individual } from './individual.ts';
import type { LsInstance } from './search/instance.ts';

export interface PenaltyParams {
  /** Target share of offspring feasible for each constraint. */
  readonly targetFeasible: number;
  /** How many recent offspring the share is measured over. */
  readonly window: number;
}

export const DEFAULT_PENALTY: PenaltyParams = { targetFeasible: 0.2, window: 50 };

export class PenaltyManager {
  wLoad: number;
  wTime: number;
  readonly #params: PenaltyParams;
  // 1 = feasible for the constraint, 0 = not; the last `window` offspring (a ring).
  readonly #load: Uint8Array;
  readonly #time: Uint8Array;
  #count = 0;
  #at = 0;

  constructor(inst: LsInstance, params: PenaltyParams = DEFAULT_PENALTY) {
    this.#params = params;
    this.wLoad = initialLoadPenalty(inst);
    this.wTime = initialTimePenalty(inst);
    this.#load = new Uint8Array(params.window);
    this.#time = new Uint8Array(params.window);
  }

  /** Records whether an offspring (before any repair) was load- and time-feasible. */
  record(ind: Individual): void {
    this.#load[this.#at] = ind.loadExcess === 0 ? 1 : 0;
    this.#time[this.#at] = ind.timeExcess === 0 ? 1 : 0;
    this.#at = (this.#at + 1) % this.#params.window;
    if (this.#count < this.#params.window) this.#count++;
  }

  /** Moves both weights towards the target share. */
  update(): void {
    this.wLoad = this.#adapt(this.wLoad, this.#load);
    this.wTime = this.#adapt(this.wTime, this.#time);
  }

  #adapt(w: number, feasible: Uint8Array): number {
    if (this.#count === 0) return w;
    let sum = 0;
    for (let i = 0; i < this.#count; i++) sum += feasible[i];
    const share = sum / this.#count;
    const target = this.#params.targetFeasible;
    if (share < target - 0.05) return Math.min(100000, w * 1.2);
    if (share > target + 0.05) return Math.max(0.1, w * 0.85);
    return w;
  }
}

/** A unit of time warp costs about what a typical arc costs per unit of its travel time. */
function initialTimePenalty(inst: LsInstance): number {
  let sd = 0;
  let st = 0;
  for (let i = 0; i < inst.dist.length; i++) {
    sd += inst.dist[i];
    st += inst.time[i];
  }
  return Math.max(1, Math.min(1000, st > 0 ? (10 * sd) / st : 1));
}

/** A unit of load excess costs about what the longest arc costs per unit of the largest demand. */
function initialLoadPenalty(inst: LsInstance): number {
  let maxDist = 0;
  for (let i = 0; i < inst.dist.length; i++) if (inst.dist[i] > maxDist) maxDist = inst.dist[i];
  let maxDemand = 0;
  for (let i = 0; i < inst.del.length; i++) maxDemand = Math.max(maxDemand, inst.del[i], inst.pick[i]);
  return Math.max(0.1, Math.min(1000, maxDist / Math.max(1, maxDemand)));
}
