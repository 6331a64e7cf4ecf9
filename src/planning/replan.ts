/**
 * Re-planning a day that drivers have started: what stays as it is, where each vehicle continues
 * from, and which work goes back to the solver. Pure: routes and their driver events in, locks out.
 *
 * The rule (as Onfleet or Routific re-optimise a dispatched day): a route with driver events is
 * under way. Everything up to its last event (its stop with the highest sequence that has an
 * event, and every stop before it) is history and never changes; the vehicle continues from that
 * stop at that time, carrying the parcels of its unvisited stops (they are on board, so only this
 * vehicle can deliver them) and the produce it has collected (which takes room until the hub). A
 * route without events has not left: its work goes back to the pool and its vehicle is free. A
 * broken-down vehicle keeps its history, continues nowhere, and its unvisited stops' parcels go
 * back to the pool: brought back to its hub, another vehicle delivers them.
 *
 * In the solver problem (see buildVillage) a vehicle under way is a vehicle whose start is its
 * current stop and whose release time is its last event, whose capacity is what remains beside the
 * produce on board, and whose remaining range is its range minus the distance already driven.
 * Its on-board parcels are jobs only it can serve (skill `vehicle:<id>`); every other delivery
 * needs a vehicle that is still at the hub (skill `depot`), because a van already out cannot load
 * a parcel that is at the hub.
 */
import type { LocationRef } from './build-problems.ts';
import type { Load, PlannedRoute, PlannedStop, PlannedStopKind, Tier } from './types.ts';

/** A stored stop of the plan being replaced, with what drivers reported there. */
export interface PreviousStop {
  readonly stopId: string;
  readonly seq: number;
  readonly kind: PlannedStopKind;
  readonly stationCode: string | null;
  readonly hubId: string | null;
  readonly trip: number;
  readonly arrivalS: number;
  readonly departureS: number;
  /** Parcels assigned to this stop (whatever their status). */
  readonly parcelIds: readonly string[];
  readonly pickupIds: readonly string[];
  /** The latest driver event at this stop (seconds after local midnight); null = no event. */
  readonly lastEventS: number | null;
}

export interface PreviousRoute {
  readonly routeId: string;
  readonly tier: Tier;
  readonly hubId: string;
  readonly vehicleId: string;
  /** In sequence order. */
  readonly stops: readonly PreviousStop[];
}

/** A route under way: its fixed history and where the vehicle continues from. */
export interface LockedRoute {
  readonly routeId: string;
  readonly tier: Tier;
  readonly hubId: string;
  readonly vehicleId: string;
  /** Stops kept exactly as stored: every stop up to and including the last one with an event. */
  readonly prefix: readonly PreviousStop[];
  /** Stored stops after the prefix (no events by construction): replaced by the re-plan. */
  readonly unvisited: readonly PreviousStop[];
  /** The vehicle's current place and time (its last event). */
  readonly resume: { readonly location: LocationRef; readonly atS: number; readonly trip: number };
  /** Parcels of the unvisited stops, on board: only this vehicle can deliver them (none if broken down). */
  readonly onBoardParcelIds: readonly string[];
  /** Pickups of the prefix: collected, on board until the hub. */
  readonly collectedPickupIds: readonly string[];
  /**
   * Parcels of the prefix that were not delivered (failed, a return, not reported): still on
   * board, taking room until the hub like collected produce (set by the re-plan's prepare step).
   */
  readonly carriedBackParcelIds?: readonly string[];
  readonly brokenDown: boolean;
}

export interface ReplanLocks {
  readonly locked: readonly LockedRoute[];
  /** Work of routes that have not started, and of a broken-down vehicle's unvisited stops. */
  readonly releasedParcelIds: readonly string[];
  readonly releasedPickupIds: readonly string[];
  /** Vehicles that cannot start a fresh route: under way or broken down. */
  readonly busyVehicleIds: ReadonlySet<string>;
  /** Routes without events: deleted from the new version (their ids are not reused). */
  readonly unstartedRouteIds: readonly string[];
}

function locationOf(stop: PreviousStop, route: PreviousRoute): LocationRef {
  if (stop.stationCode !== null) return { kind: 'station', code: stop.stationCode };
  return { kind: 'hub', hubId: stop.hubId ?? route.hubId };
}

/** Splits the previous version's routes into locked history and released work. */
export function lockStartedWork(routes: readonly PreviousRoute[], brokenDown: ReadonlySet<string>): ReplanLocks {
  const locked: LockedRoute[] = [];
  const releasedParcelIds: string[] = [];
  const releasedPickupIds: string[] = [];
  const busy = new Set<string>();
  const unstarted: string[] = [];
  for (const route of routes) {
    const stops = [...route.stops].sort((a, b) => a.seq - b.seq);
    let last = -1;
    stops.forEach((s, k) => {
      if (s.lastEventS !== null) last = k;
    });
    if (last < 0) {
      unstarted.push(route.routeId);
      for (const s of stops) {
        releasedParcelIds.push(...s.parcelIds);
        releasedPickupIds.push(...s.pickupIds);
      }
      if (brokenDown.has(route.vehicleId)) busy.add(route.vehicleId);
      continue;
    }
    busy.add(route.vehicleId);
    const prefix = stops.slice(0, last + 1);
    const unvisited = stops.slice(last + 1);
    const current = prefix[prefix.length - 1]!;
    // The latest event anywhere in the prefix: a driver may report an earlier stop late.
    const atS = Math.max(...prefix.map((s) => s.lastEventS ?? Number.NEGATIVE_INFINITY));
    const broken = brokenDown.has(route.vehicleId);
    const onBoard = unvisited.flatMap((s) => s.parcelIds);
    if (broken) {
      releasedParcelIds.push(...onBoard);
      releasedPickupIds.push(...unvisited.flatMap((s) => s.pickupIds));
    } else {
      // Unvisited produce is collected by whoever passes: not on board, any vehicle may take it.
      releasedPickupIds.push(...unvisited.flatMap((s) => s.pickupIds));
    }
    locked.push({
      routeId: route.routeId,
      tier: route.tier,
      hubId: route.hubId,
      vehicleId: route.vehicleId,
      prefix,
      unvisited,
      resume: { location: locationOf(current, route), atS, trip: current.trip },
      onBoardParcelIds: broken ? [] : onBoard,
      collectedPickupIds: prefix.flatMap((s) => s.pickupIds),
      brokenDown: broken,
    });
  }
  for (const v of brokenDown) busy.add(v);
  return { locked, releasedParcelIds, releasedPickupIds, busyVehicleIds: busy, unstartedRouteIds: unstarted };
}

/** A vehicle under way as the village problem builder needs it. */
export interface StartedVehicle {
  readonly vehicleId: string;
  readonly location: LocationRef;
  readonly atS: number;
  /** Parcels on board for this vehicle's remaining stops. */
  readonly onBoardParcelIds: readonly string[];
  /** Produce collected so far: takes room until the hub. */
  readonly collected: Load;
  /** Distance driven so far (metres), out of an electric vehicle's range. */
  readonly drivenM: number;
}

/** What a hub's village problem needs to re-plan around started work. */
export interface VillageReplan {
  /** Vehicles under way from this hub (not broken down). */
  readonly started: readonly StartedVehicle[];
  /** Vehicles that may not start a fresh route (under way or broken down). */
  readonly busyVehicleIds: ReadonlySet<string>;
  /** No fresh vehicle leaves before this (the re-plan's time of day). */
  readonly notBeforeS?: number;
}

export const DEPOT_SKILL = 'depot';
export const vehicleSkill = (vehicleId: string): string => `vehicle:${vehicleId}`;

/**
 * The route a locked route continues as: its prefix kept, then the re-planned remainder (the
 * solver's route for that vehicle without its `start` step, which is the current stop), numbered
 * on from the prefix. Without a re-planned remainder the vehicle drives back to its hub.
 */
export interface ContinuedRoute {
  readonly routeId: string;
  readonly vehicleId: string;
  readonly keptStopIds: readonly string[];
  /** New stops after the prefix, `seq` continuing the prefix's numbering. */
  readonly stops: readonly PlannedStop[];
  readonly distanceM: number;
  readonly startS: number;
  readonly endS: number;
  readonly trips: number;
  readonly peakLoad: Load;
}

export function continueLockedRoute(
  locked: LockedRoute,
  remainder: PlannedRoute | undefined,
  prefixDistanceM: number,
  backToHub: { readonly arrivalS: number; readonly distanceM: number },
): ContinuedRoute {
  const lastSeq = locked.prefix[locked.prefix.length - 1]!.seq;
  const startS = locked.prefix[0]!.departureS;
  if (locked.brokenDown || remainder === undefined) {
    // Broken down: the route ends where it stopped (no end stop is invented). Nothing left: home.
    const stops: PlannedStop[] = locked.brokenDown
      ? []
      : [endStop(lastSeq + 1, locked.hubId, locked.resume.trip, backToHub.arrivalS)];
    const endS = locked.brokenDown ? locked.resume.atS : backToHub.arrivalS;
    return {
      routeId: locked.routeId,
      vehicleId: locked.vehicleId,
      keptStopIds: locked.prefix.map((s) => s.stopId),
      stops,
      distanceM: prefixDistanceM + (locked.brokenDown ? 0 : backToHub.distanceM),
      startS,
      endS,
      trips: locked.resume.trip,
      peakLoad: [0, 0, 0],
    };
  }
  const rest = remainder.stops.filter((s) => s.kind !== 'start');
  const stops = rest.map((s, k) => ({ ...s, seq: lastSeq + 1 + k, trip: s.trip + locked.resume.trip - 1 }));
  return {
    routeId: locked.routeId,
    vehicleId: locked.vehicleId,
    keptStopIds: locked.prefix.map((s) => s.stopId),
    stops,
    distanceM: prefixDistanceM + remainder.distanceM,
    startS,
    endS: remainder.endS,
    trips: locked.resume.trip + remainder.trips - 1,
    peakLoad: remainder.peakLoad,
  };
}

function endStop(seq: number, hubId: string, trip: number, atS: number): PlannedStop {
  return { seq, kind: 'end', stationCode: null, hubId, trip, arrivalS: atS, departureS: atS, serviceStartS: atS, parcelIds: [], pickupIds: [], deliverCount: 0, pickupCount: 0, load: [0, 0, 0] };
}

/** Distance along a stop sequence, from the route's hub through each stop, by `distance(a, b)`. */
export function prefixDistance(route: Pick<LockedRoute, 'prefix' | 'hubId'>, distance: (a: LocationRef, b: LocationRef) => number): number {
  let total = 0;
  let at: LocationRef = { kind: 'hub', hubId: route.hubId };
  for (const s of route.prefix) {
    const next: LocationRef = s.stationCode !== null ? { kind: 'station', code: s.stationCode } : { kind: 'hub', hubId: s.hubId ?? route.hubId };
    total += distance(at, next);
    at = next;
  }
  return total;
}

/**
 * Reuses the ids of replaced unvisited stops for new stops at the same station, in order, so a
 * driver's app that still holds an old stop id reports against the stop that now has its parcels.
 */
export function reuseStopIds(unvisited: readonly Pick<PreviousStop, 'stopId' | 'stationCode'>[], stops: readonly Pick<PlannedStop, 'stationCode'>[], fresh: () => string): string[] {
  const byStation = new Map<string, string[]>();
  for (const s of unvisited) {
    if (s.stationCode === null) continue;
    const list = byStation.get(s.stationCode) ?? [];
    list.push(s.stopId);
    byStation.set(s.stationCode, list);
  }
  return stops.map((s) => (s.stationCode !== null ? byStation.get(s.stationCode)?.shift() : undefined) ?? fresh());
}

/**
 * A continued route that goes on after it is back at its hub: its end there becomes a reload and
 * `next` (a route from the hub, solved for this vehicle from the time it is back) follows, its
 * trips numbered on.
 */
export function appendTrip(c: ContinuedRoute, next: PlannedRoute): ContinuedRoute {
  const last = c.stops[c.stops.length - 1];
  if (last === undefined || last.kind !== 'end') return c;
  const reload: PlannedStop = { ...last, kind: 'reload', trip: c.trips + 1, departureS: Math.max(last.arrivalS, next.startS) };
  const rest = next.stops.filter((s) => s.kind !== 'start').map((s, k) => ({ ...s, seq: last.seq + 1 + k, trip: s.trip + c.trips }));
  return {
    ...c,
    stops: [...c.stops.slice(0, -1), reload, ...rest],
    distanceM: c.distanceM + next.distanceM,
    endS: next.endS,
    trips: c.trips + next.trips,
    peakLoad: c.peakLoad.map((p, d) => Math.max(p, next.peakLoad[d] ?? 0)) as Load,
  };
}
