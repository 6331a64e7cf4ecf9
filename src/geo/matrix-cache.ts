/**
 * Caches of road matrices, so a paid or rate-limited provider (Amap) is asked for each road once:
 *
 * - `PairCache`: distance and duration per ordered pair of positions (WGS84, 6 decimals ≈ 0.1 m).
 *   When a station moves, only the pairs that touch it are asked for again; `forgetPoint` drops
 *   the old position's pairs. Positions are the key, so a process that did not see the move
 *   (another worker) simply misses on the new position and never serves the old distance.
 * - `memoSource`: whole matrices per list of positions (one network, or one hub's part of it),
 *   the last few kept, so re-planning a network that has not changed asks no provider at all.
 */
import { createHash } from 'node:crypto';
import type { Coordinate, RoadMatrix, RoadMatrixSource } from './matrix.ts';

export const pointKey = (p: Coordinate): string => `${p.lon.toFixed(6)},${p.lat.toFixed(6)}`;

export interface CachedPair {
  readonly distance: number;
  readonly duration: number;
}

export class PairCache {
  private readonly pairs = new Map<string, CachedPair>();
  private readonly byPoint = new Map<string, Set<string>>();
  hits = 0;
  misses = 0;

  /** At most `maxPairs` pairs (oldest dropped first): 4 M pairs ≈ 70 counties of 240 locations. */
  constructor(private readonly maxPairs = 4_000_000) {}

  get size(): number {
    return this.pairs.size;
  }

  get(from: string, to: string): CachedPair | undefined {
    const hit = this.pairs.get(`${from}|${to}`);
    if (hit) this.hits++;
    else this.misses++;
    return hit;
  }

  set(from: string, to: string, value: CachedPair): void {
    const key = `${from}|${to}`;
    if (!this.pairs.has(key)) {
      while (this.pairs.size >= this.maxPairs) this.drop(this.pairs.keys().next().value as string);
      for (const p of [from, to]) {
        let set = this.byPoint.get(p);
        if (!set) this.byPoint.set(p, (set = new Set()));
        set.add(key);
      }
    }
    this.pairs.set(key, value);
  }

  /** Drops every pair from or to a position; returns how many. */
  forgetPoint(point: string): number {
    const keys = this.byPoint.get(point);
    if (!keys) return 0;
    let n = 0;
    for (const key of [...keys]) n += this.drop(key);
    this.byPoint.delete(point);
    return n;
  }

  private drop(key: string): number {
    if (!this.pairs.delete(key)) return 0;
    const [from, to] = key.split('|') as [string, string];
    this.byPoint.get(from)?.delete(key);
    this.byPoint.get(to)?.delete(key);
    return 1;
  }
}

/** A road matrix source with the means to forget a position that has moved. */
export interface RoadMatrixProvider {
  /** osrm, file, amap or haversine. */
  readonly name: string;
  readonly source: RoadMatrixSource;
  /** Forgets every cached road from or to this position (a station moved away from it). */
  forgetPoint(point: Coordinate): void;
}

/** Keeps the last `keep` matrices by their list of positions; `forgetPoint` drops those holding a position. */
export function memoSource(inner: RoadMatrixSource, keep = 16): { source: RoadMatrixSource; forgetPoint(point: Coordinate): void } {
  const memo = new Map<string, { keys: ReadonlySet<string>; matrix: Promise<RoadMatrix> }>();
  return {
    source: (points) => {
      const keys = points.map(pointKey);
      const id = createHash('sha1').update(keys.join(';')).digest('hex');
      const hit = memo.get(id);
      if (hit) {
        memo.delete(id); // most recently used last
        memo.set(id, hit);
        return hit.matrix;
      }
      const matrix = inner(points);
      memo.set(id, { keys: new Set(keys), matrix });
      // A failed request is not remembered: the next plan asks again.
      matrix.catch(() => memo.delete(id));
      while (memo.size > keep) memo.delete(memo.keys().next().value as string);
      return matrix;
    },
    forgetPoint: (point) => {
      const key = pointKey(point);
      for (const [id, entry] of memo) if (entry.keys.has(key)) memo.delete(id);
    },
  };
}
