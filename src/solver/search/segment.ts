/**
 * Route segments and their concatenation (PyVRP's "concatenation scheme"; Vidal et al. 2013 for
 * time). A segment is a sequence of nodes summarised by:
 *
 *   distance; duration, time warp, earliest and latest start (Vidal 2013);
 *   per load dimension: deliveries (loaded at the start, dropped on the way), pickups (collected on
 *   the way) and the maximum load on board, where load = deliveries still to drop + pickups
 *   collected.
 *
 * Every value is an integer in the problem's units (times and amounts as given, distances from
 * the integer matrices), so merged segments are exact and costs compare without epsilons. The
 * merge is written once, in `Accumulator.append`: the local search's forward and backward
 * segments, its move evaluations and Split all go through it.
 */
import type { LsInstance } from './instance.ts';

/** Segment data at a number of slots (struct of flat arrays; loads are `slot * D + q`). */
export class Segments {
  readonly dist: Float64Array;
  readonly dur: Float64Array;
  readonly tw: Float64Array;
  readonly early: Float64Array;
  readonly late: Float64Array;
  readonly del: Float64Array;
  readonly pick: Float64Array;
  readonly maxLoad: Float64Array;

  constructor(slots: number, D: number) {
    this.dist = new Float64Array(slots);
    this.dur = new Float64Array(slots);
    this.tw = new Float64Array(slots);
    this.early = new Float64Array(slots);
    this.late = new Float64Array(slots);
    this.del = new Float64Array(slots * D);
    this.pick = new Float64Array(slots * D);
    this.maxLoad = new Float64Array(slots * D);
  }
}

/**
 * Every node of the instance as a one-node segment, indexed by matrix index: clients 0..n-1
 * (service time, window, delivery, pickup), then the start and the end depot (the shift, no load).
 */
export function nodeSegments(inst: LsInstance): Segments {
  const n = inst.n;
  const D = inst.D;
  const s = new Segments(n + 2, D);
  for (let i = 0; i < n; i++) {
    s.dur[i] = inst.service[i];
    s.early[i] = inst.early[i];
    s.late[i] = inst.late[i];
    for (let q = 0; q < D; q++) {
      const dl = inst.del[i * D + q];
      const pk = inst.pick[i * D + q];
      s.del[i * D + q] = dl;
      s.pick[i * D + q] = pk;
      s.maxLoad[i * D + q] = dl > pk ? dl : pk;
    }
  }
  for (let i = n; i < n + 2; i++) {
    s.early[i] = inst.shiftEarly;
    s.late[i] = inst.shiftLate;
  }
  return s;
}

/** The segment being built left to right by a move evaluation, a route update or Split. */
export class Accumulator {
  dist = 0;
  dur = 0;
  tw = 0;
  early = 0;
  late = 0;
  /** Matrix index of the last node. */
  last = 0;
  /** Clients in the segment. */
  count = 0;
  readonly del: Float64Array;
  readonly pick: Float64Array;
  readonly maxLoad: Float64Array;
  readonly #inst: LsInstance;
  readonly #D: number;
  readonly #M: number;
  /**
   * Whether time matters (windows, shift, duration limit or cost). Without it the time fields are
   * neither merged, read nor written: they stay 0 and nothing prices them (pure CVRP).
   */
  readonly #timeOn: boolean;

  constructor(inst: LsInstance, timeOn: boolean) {
    this.#inst = inst;
    this.#D = inst.D;
    this.#M = inst.n + 2;
    this.#timeOn = timeOn;
    this.del = new Float64Array(inst.D);
    this.pick = new Float64Array(inst.D);
    this.maxLoad = new Float64Array(inst.D);
  }

  /** Starts with the segment at `slot` of `src`, whose last node has matrix index `last`. */
  set(src: Segments, slot: number, last: number, count: number): void {
    this.dist = src.dist[slot];
    this.last = last;
    this.count = count;
    if (this.#timeOn) {
      this.dur = src.dur[slot];
      this.tw = src.tw[slot];
      this.early = src.early[slot];
      this.late = src.late[slot];
    }
    const D = this.#D;
    if (D === 1) {
      this.del[0] = src.del[slot];
      this.pick[0] = src.pick[slot];
      this.maxLoad[0] = src.maxLoad[slot];
      return;
    }
    for (let q = 0; q < D; q++) {
      this.del[q] = src.del[slot * D + q];
      this.pick[q] = src.pick[slot * D + q];
      this.maxLoad[q] = src.maxLoad[slot * D + q];
    }
  }

  /** Starts as a copy of another accumulator. */
  copy(from: Accumulator): void {
    this.dist = from.dist;
    this.dur = from.dur;
    this.tw = from.tw;
    this.early = from.early;
    this.late = from.late;
    this.last = from.last;
    this.count = from.count;
    for (let q = 0; q < this.#D; q++) {
      this.del[q] = from.del[q];
      this.pick[q] = from.pick[q];
      this.maxLoad[q] = from.maxLoad[q];
    }
  }

  /** Writes the accumulated segment to `slot` of `dst`. */
  store(dst: Segments, slot: number): void {
    dst.dist[slot] = this.dist;
    if (this.#timeOn) {
      dst.dur[slot] = this.dur;
      dst.tw[slot] = this.tw;
      dst.early[slot] = this.early;
      dst.late[slot] = this.late;
    }
    const D = this.#D;
    if (D === 1) {
      dst.del[slot] = this.del[0];
      dst.pick[slot] = this.pick[0];
      dst.maxLoad[slot] = this.maxLoad[0];
      return;
    }
    for (let q = 0; q < D; q++) {
      dst.del[slot * D + q] = this.del[q];
      dst.pick[slot * D + q] = this.pick[q];
      dst.maxLoad[slot * D + q] = this.maxLoad[q];
    }
  }

  /**
   * Appends the segment at `slot` of `src`: its first node has matrix index `first`, its last
   * `last`, and it holds `count` clients. The one concatenation of the solver.
   */
  append(src: Segments, slot: number, first: number, last: number, count: number): void {
    const inst = this.#inst;
    const arc = this.last * this.#M + first;
    this.dist += inst.dist[arc] + src.dist[slot];
    const D = this.#D;
    if (D === 1) {
      const m1 = this.maxLoad[0] + src.del[slot];
      const m2 = this.pick[0] + src.maxLoad[slot];
      this.maxLoad[0] = m1 > m2 ? m1 : m2;
      this.del[0] += src.del[slot];
      this.pick[0] += src.pick[slot];
    } else {
      for (let q = 0; q < D; q++) {
        const o = slot * D + q;
        const m1 = this.maxLoad[q] + src.del[o];
        const m2 = this.pick[q] + src.maxLoad[o];
        this.maxLoad[q] = m1 > m2 ? m1 : m2;
        this.del[q] += src.del[o];
        this.pick[q] += src.pick[o];
      }
    }
    this.count += count;
    this.last = last;
    if (!this.#timeOn) return;
    const t = inst.time[arc];
    const delta = this.dur - this.tw + t;
    const e = src.early[slot];
    const l = src.late[slot];
    const wait = e - delta - this.late;
    const warp = this.early + delta - l;
    const dWT = wait > 0 ? wait : 0;
    const dTW = warp > 0 ? warp : 0;
    this.dur += src.dur[slot] + t + dWT;
    this.tw += src.tw[slot] + dTW;
    this.early = (e - delta > this.early ? e - delta : this.early) - dWT;
    this.late = (l - delta < this.late ? l - delta : this.late) + dTW;
  }
}
