/**
 * The figures a dispatcher checks before signing a day's plan (issue 11 item 6): the longest
 * route, the latest start of a township's vans, the latest return, the kilometres a truck drives
 * with nothing on board, routes over their driver's duty, and the townships whose vans leave
 * after early afternoon (with the reason). Pure: stored routes in, figures out.
 */
import type { LocationRef } from './build-problems.ts';
import { dutyOf, type DaySettings, type Load, type Tier } from './types.ts';

export interface DutyStop {
  readonly location: LocationRef;
  /** Load on board when leaving. */
  readonly load: Readonly<Load>;
}

export interface DutyRoute {
  readonly tier: Tier;
  readonly hubId: string;
  readonly vehicleId: string;
  readonly vehicleType: string;
  /** Seconds after local midnight. */
  readonly startS: number;
  readonly endS: number;
  readonly durationS: number;
  /** In visiting order, start and end included. */
  readonly stops: readonly DutyStop[];
}

export interface DutyFigures {
  /** The longest village route (van or tricycle) and the longest route of any tier. */
  readonly longestVillageRoute: { readonly vehicleId: string; readonly hubId: string; readonly hours: number } | null;
  readonly longestRoute: { readonly vehicleId: string; readonly hours: number } | null;
  /** The township whose vans leave last: the latest first departure of a hub's village routes. */
  readonly latestVillageStart: { readonly hubId: string; readonly vehicleId: string; readonly atS: number } | null;
  /** The last departure of any township van or tricycle (a second vehicle may leave later than the first). */
  readonly latestVanStart: { readonly hubId: string; readonly vehicleId: string; readonly atS: number } | null;
  /** The last vehicle back at its hub. */
  readonly latestReturn: { readonly vehicleId: string; readonly atS: number } | null;
  /** Line-haul kilometres driven with nothing on board, and how many of them are the way back to the county warehouse. */
  readonly emptyTruckKm: number;
  readonly emptyTruckLegs: number;
  readonly emptyReturnKm: number;
  /** Routes longer than their type's duty or back after its latest return (none unless the plan was forced). */
  readonly overDuty: readonly { readonly vehicleId: string; readonly hours: number; readonly endS: number }[];
  /** Hubs whose vans leave after `villageStartByS`, and why. */
  readonly lateTownships: readonly { readonly hubId: string; readonly startS: number; readonly reason: LateReason }[];
}

/**
 * `line_haul_capacity`: the trucks could not reach every centre early enough (the line-haul was
 * planned against its latest unloading time only); `line_haul_arrival`: the line-haul arrives
 * early enough, the village solver chose to wait (time windows of the stations).
 */
export type LateReason = 'line_haul_capacity' | 'line_haul_arrival' | 'village_choice';

const hours = (s: number) => Math.round(s / 360) / 10;
const isEmpty = (l: Readonly<Load>) => l.every((x) => x === 0);
const isCounty = (l: LocationRef, county: string) => l.kind === 'hub' && l.hubId === county;

export function dutyFigures(
  routes: readonly DutyRoute[],
  settings: Pick<DaySettings, 'duty' | 'cutoffS' | 'dayEndS' | 'villageStartByS' | 'sortingS'>,
  options: {
    readonly countyHubId: string;
    /** Road metres between two places of the network. */
    readonly legMetres: (a: LocationRef, b: LocationRef) => number;
    /** Unloading finished at each centre. */
    readonly arrivals: ReadonlyMap<string, number>;
    /** The line-haul could not keep `villageStartByS` (LineHaulOutcome.relaxed). */
    readonly lineHaulRelaxed: boolean;
  },
): DutyFigures {
  const byDuration = [...routes].sort((a, b) => b.durationS - a.durationS || (a.vehicleId < b.vehicleId ? -1 : 1));
  const village = byDuration.filter((r) => r.tier === 'village');
  const longestV = village[0];
  const longest = byDuration[0];
  // The first departure of each township's village routes (the county warehouse is not a township).
  const firstStart = new Map<string, DutyRoute>();
  for (const r of village) {
    if (r.hubId === options.countyHubId) continue;
    const seen = firstStart.get(r.hubId);
    if (!seen || r.startS < seen.startS || (r.startS === seen.startS && r.vehicleId < seen.vehicleId)) firstStart.set(r.hubId, r);
  }
  const latestStart = [...firstStart.values()].sort((a, b) => b.startS - a.startS || (a.hubId < b.hubId ? -1 : 1))[0];
  const latestAny = village.filter((r) => r.hubId !== options.countyHubId).sort((a, b) => b.startS - a.startS || (a.vehicleId < b.vehicleId ? -1 : 1))[0];
  const latestBack = [...routes].sort((a, b) => b.endS - a.endS || (a.vehicleId < b.vehicleId ? -1 : 1))[0];

  let emptyM = 0;
  let emptyReturnM = 0;
  let emptyLegs = 0;
  for (const r of routes) {
    if (r.tier !== 'line_haul') continue;
    for (let k = 0; k + 1 < r.stops.length; k++) {
      const from = r.stops[k]!;
      const to = r.stops[k + 1]!;
      const m = options.legMetres(from.location, to.location);
      if (m === 0 || !isEmpty(from.load)) continue;
      emptyLegs++;
      emptyM += m;
      if (isCounty(to.location, options.countyHubId)) emptyReturnM += m;
    }
  }

  const overDuty = routes
    .filter((r) => {
      const d = dutyOf(settings, r.vehicleType);
      return r.durationS > d.maxDurationS || r.endS > d.returnByS;
    })
    .map((r) => ({ vehicleId: r.vehicleId, hours: hours(r.durationS), endS: r.endS }))
    .sort((a, b) => (a.vehicleId < b.vehicleId ? -1 : 1));

  const lateTownships = [...firstStart.entries()]
    .filter(([, r]) => r.startS > settings.villageStartByS)
    .map(([hubId, r]) => {
      const arrival = options.arrivals.get(hubId);
      const released = arrival === undefined ? settings.cutoffS + settings.sortingS : arrival + settings.sortingS;
      const reason: LateReason = released <= settings.villageStartByS ? 'village_choice' : options.lineHaulRelaxed ? 'line_haul_capacity' : 'line_haul_arrival';
      return { hubId, startS: r.startS, reason };
    })
    .sort((a, b) => (a.hubId < b.hubId ? -1 : 1));

  return {
    longestVillageRoute: longestV ? { vehicleId: longestV.vehicleId, hubId: longestV.hubId, hours: hours(longestV.durationS) } : null,
    longestRoute: longest ? { vehicleId: longest.vehicleId, hours: hours(longest.durationS) } : null,
    latestVillageStart: latestStart ? { hubId: latestStart.hubId, vehicleId: latestStart.vehicleId, atS: latestStart.startS } : null,
    latestVanStart: latestAny ? { hubId: latestAny.hubId, vehicleId: latestAny.vehicleId, atS: latestAny.startS } : null,
    latestReturn: latestBack ? { vehicleId: latestBack.vehicleId, atS: latestBack.endS } : null,
    emptyTruckKm: Math.round(emptyM / 100) / 10,
    emptyTruckLegs: emptyLegs,
    emptyReturnKm: Math.round(emptyReturnM / 100) / 10,
    overDuty,
    lateTownships,
  };
}

/** `HH:MM` of seconds after local midnight. */
export function clockOf(s: number): string {
  const m = Math.round(s / 60);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
