/** Three-dimensional loads (grams, cm³, pieces) and packing items into vehicle-sized chunks. */
import { DIMENSIONS, UNLIMITED_PIECES, type Load } from './types.ts';
import type { VehicleRow } from '../db/schema.ts';

export function zeroLoad(): Load {
  return [0, 0, 0];
}

export function addLoad(into: Load, add: Readonly<Load>): Load {
  for (let d = 0; d < DIMENSIONS; d++) into[d] += add[d]!;
  return into;
}

export function fits(load: Readonly<Load>, capacity: Readonly<Load>): boolean {
  for (let d = 0; d < DIMENSIONS; d++) if (load[d]! > capacity[d]!) return false;
  return true;
}

export function vehicleCapacity(v: VehicleRow): Load {
  return [v.capacity_g, v.capacity_cm3, UNLIMITED_PIECES];
}

/** Per-dimension maximum over vehicles: the largest load any one of them could take. */
export function largestCapacity(vehicles: readonly VehicleRow[]): Load {
  const cap = zeroLoad();
  for (const v of vehicles) {
    const c = vehicleCapacity(v);
    for (let d = 0; d < DIMENSIONS; d++) cap[d] = Math.max(cap[d]!, c[d]!);
  }
  return cap;
}

/** Per-dimension minimum over vehicles: a load every one of them could take. */
export function smallestCapacity(vehicles: readonly VehicleRow[]): Load {
  if (vehicles.length === 0) return zeroLoad();
  const cap = vehicleCapacity(vehicles[0]!);
  for (const v of vehicles) {
    const c = vehicleCapacity(v);
    for (let d = 0; d < DIMENSIONS; d++) cap[d] = Math.min(cap[d]!, c[d]!);
  }
  return cap;
}

export interface Packable {
  readonly id: string;
  readonly load: Readonly<Load>;
}

export interface Chunk {
  readonly ids: string[];
  readonly load: Load;
}

/**
 * Splits items (in the given order) into consecutive chunks that each fit `capacity`: a
 * station's load bigger than any vehicle becomes several visits. An item bigger than the
 * capacity on its own gets a chunk of its own, which the solver then reports as a capacity
 * problem instead of it silently vanishing. No items → no chunks.
 */
export function packChunks(items: readonly Packable[], capacity: Readonly<Load>): Chunk[] {
  const chunks: Chunk[] = [];
  let current: Chunk | undefined;
  for (const item of items) {
    if (current) {
      const next = addLoad([...current.load] as Load, item.load);
      if (fits(next, capacity)) {
        current.ids.push(item.id);
        current.load.splice(0, DIMENSIONS, ...next);
        continue;
      }
    }
    current = { ids: [item.id], load: [...item.load] as Load };
    chunks.push(current);
  }
  return chunks;
}
