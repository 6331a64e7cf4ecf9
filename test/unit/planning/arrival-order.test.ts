/**
 * Issue 11 item 7: the same day gives the same problems whatever order its items arrived in.
 * Ids are UUIDv7 (arrival time), and concurrent HTTP batches arrive in a different order on each
 * run, more so on a loaded machine; the builders used to sort by id, so a station whose load is
 * split into several visits got chunks of different weights, and the demo's county-warehouse
 * routes changed by kilometres between a quiet and a busy run.
 */
import { describe, expect, it } from 'vitest';
import { buildLineHaul, buildVillage } from '../../../src/planning/build-problems.ts';
import type { DayParcel, DayPickup } from '../../../src/planning/types.ts';
import { day, index, parcel, pickup, road } from './fixture.ts';

/** A day in content order: heavy and light parcels mixed at each station, so the order shapes the chunks. */
function content(): { parcels: Omit<DayParcel, 'id'>[]; pickups: Omit<DayPickup, 'id'>[] } {
  const parcels: Omit<DayParcel, 'id'>[] = [];
  for (let k = 0; k < 120; k++) {
    for (const code of ['s-c1', 's-a1', 's-b1']) {
      const { id: _id, ...p } = parcel('x', code, { weightG: k % 3 === 0 ? 40_000 : 900 + 37 * k, volumeCm3: k % 3 === 0 ? 90_000 : 6_000 + 11 * k, courierCode: k % 2 === 0 ? 'ZTO' : 'YTO' });
      parcels.push(p);
    }
  }
  const pickups = Array.from({ length: 40 }, (_, k) => {
    const { id: _id, ...p } = pickup('x', k % 2 === 0 ? 's-a1' : 's-c1', { weightG: k % 4 === 0 ? 60_000 : 4_000, pieces: 1 + (k % 3) });
    return p;
  });
  return { parcels, pickups };
}

/**
 * The same content with ids as two runs would give them: on one run the items arrived in content
 * order, on the other in a different one (the ids' order is then not the content order).
 */
function asArrived(order: 'forward' | 'backward') {
  const c = content();
  const idOf = (k: number, n: number, prefix: string) => `${prefix}-${String(order === 'forward' ? k : n - 1 - k).padStart(5, '0')}`;
  return day(
    c.parcels.map((p, k) => ({ id: idOf(k, c.parcels.length, 'p'), ...p })),
    c.pickups.map((p, k) => ({ id: idOf(k, c.pickups.length, 'k'), ...p })),
  );
}

describe('problems of a day do not depend on the order its items arrived in', () => {
  it('the county warehouse’s village problem is the same (its community load is split over several visits)', () => {
    const a = buildVillage(asArrived('forward'), index, road, 'C', { releaseS: 8 * 3600 });
    const b = buildVillage(asArrived('backward'), index, road, 'C', { releaseS: 8 * 3600 });
    // The fixture's van takes 700 kg: the station's ~2 t is several visits.
    expect(a.problem.jobs.filter((j) => j.location === 1).length).toBeGreaterThan(2);
    expect(b.problem.jobs).toEqual(a.problem.jobs);
    // The same items in the same visits, by content (the k-th item of the day).
    const visits = (build: typeof a, prefix: 'p' | 'k', n: number, order: 'forward' | 'backward') =>
      [...build.jobs.values()].map((c) => (prefix === 'p' ? c.parcelIds : c.pickupIds).map((id) => (order === 'forward' ? Number(id.slice(2)) : n - 1 - Number(id.slice(2)))));
    const n = content().parcels.length;
    expect(visits(b, 'p', n, 'backward')).toEqual(visits(a, 'p', n, 'forward'));
  });

  it('the township’s village problem and the line-haul are the same', () => {
    expect(buildVillage(asArrived('backward'), index, road, 'A', { releaseS: 9 * 3600 }).problem.jobs).toEqual(
      buildVillage(asArrived('forward'), index, road, 'A', { releaseS: 9 * 3600 }).problem.jobs,
    );
    const lhA = buildLineHaul(asArrived('forward'), index, road).problem.jobs;
    expect(lhA.length).toBeGreaterThan(2);
    expect(buildLineHaul(asArrived('backward'), index, road).problem.jobs).toEqual(lhA);
  });
});
