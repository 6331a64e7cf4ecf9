/**
 * The day's model → solver problems, one for the line-haul and one per hub for the village tier.
 *
 * Line-haul: trucks leave the county warehouse after sorting, deliver each township centre's
 * consolidated load (split into truck-sized jobs when it is bigger than a truck) and bring back
 * the produce the centre holds when the truck is there. Produce flows one way through the tiers,
 * a day at a time (一日一配): a centre's vans collect today's produce at the villages and bring it
 * to the centre when they return, after today's line-haul has left; it waits there overnight and
 * rides the next operating day's line-haul to the county warehouse. So the line-haul collects
 * only `DayModel.heldPickups` (collected on the previous operating day), never today's pickups,
 * and on a day when no centre holds produce the trucks come back empty. (The county warehouse's
 * own vans bring their produce straight to the county.)
 *
 * Village tier: from each hub (township centre, or the county warehouse for 定昌镇 stations and
 * for cold-chain items of townships without a cold-chain vehicle), the hub's vans and tricycles
 * deliver per-station loads and collect pickups on the same visit. A vehicle leaves only after
 * its hub's line-haul arrival plus sorting time (the release time).
 */
import type { VehicleRow } from '../db/schema.ts';
import { subMatrix, travelProfile, type RoadMatrix } from '../geo/matrix.ts';
import type { Job, Problem, TravelProfile, Vehicle } from '../solver/model.ts';
import { addLoad, largestCapacity, packChunks, smallestCapacity, vehicleCapacity, zeroLoad, type Chunk, type Packable } from './loads.ts';
import { cmp, servingHub, type NetworkIndex } from './network-index.ts';
import { DEPOT_SKILL, vehicleSkill, type StartedVehicle, type VillageReplan } from './replan.ts';
import { dutyOf, type DayModel, type DayParcel, type DayPickup, type Load, type Tier, type UnassignedItem, type VehicleDuty } from './types.ts';

/** What a solver job stands for, to map the solution back. */
export interface JobContent {
  readonly stationCode: string | null;
  readonly hubId: string | null;
  readonly parcelIds: readonly string[];
  readonly pickupIds: readonly string[];
}

/** Where a problem location is in the network. */
export type LocationRef = { readonly kind: 'hub'; readonly hubId: string } | { readonly kind: 'station'; readonly code: string };

export interface TierBuild {
  readonly tier: Tier;
  readonly hubId: string;
  readonly problem: Problem;
  readonly jobs: ReadonlyMap<string, JobContent>;
  readonly locations: readonly LocationRef[];
  readonly vehicles: ReadonlyMap<string, VehicleRow>;
  /** Items that never reached the solver (unknown station, no vehicle at the hub). */
  readonly unassigned: readonly UnassignedItem[];
  /** A village problem of the county warehouse (its vans wait for no line-haul). */
  readonly atCounty?: boolean;
  /** Re-plan only: the vehicles under way, by id, with their problem location. */
  readonly started?: ReadonlyMap<string, StartedVehicle & { readonly locationIndex: number }>;
}

/** Service time at a village station: stopping and handing over, plus per piece. */
export function stationServiceS(parcels: number, pickupPieces: number): number {
  return 180 + 10 * parcels + 30 * pickupPieces;
}

/** Unloading a consolidated township load at a centre. */
export function centreServiceS(parcels: number, pickupPieces: number): number {
  return 600 + 2 * parcels + 5 * pickupPieces;
}

export function parcelLoad(p: DayParcel): Load {
  return [p.weightG, p.volumeCm3, 1];
}

export function pickupLoad(p: DayPickup): Load {
  return [p.weightG, p.volumeCm3, p.pieces];
}

/** A vehicle's cost in the solver's unit (milli-fen), so per-metre and per-second costs are integers. */
export function solverVehicle(v: VehicleRow, profile: number, location: number, shift: [number, number], releaseS: number, reloadS: number): Vehicle {
  return {
    id: v.id,
    profile,
    startLocation: location,
    endLocation: location,
    capacity: vehicleCapacity(v),
    shift,
    releaseTime: releaseS,
    ...(v.range_m != null && v.range_m > 0 ? { maxDistance: v.range_m } : {}),
    fixedCost: v.fixed_cost_fen * 1000,
    costPerDistance: v.cost_per_km_fen, // milli-fen per metre = fen per km
    costPerDuration: Math.round((v.cost_per_hour_fen * 1000) / 3600),
    ...(v.cold_chain !== 0 ? { skills: ['cold_chain'] } : {}),
    maxTrips: Math.max(1, v.max_trips),
    reloadTime: reloadS,
  };
}

/**
 * A driver's day on the vehicle (DaySettings.duty): back at the hub by the type's latest return
 * and at most its longest duty on the road. The return never falls before the shift starts (a
 * vehicle released later than that simply cannot be used today, and its items are reported).
 */
export function withDuty(vehicle: Vehicle, duty: VehicleDuty): Vehicle {
  const [start, end] = vehicle.shift ?? [0, duty.returnByS];
  return { ...vehicle, shift: [start, Math.max(start, Math.min(end, duty.returnByS))], maxDuration: Math.min(vehicle.maxDuration ?? Infinity, duty.maxDurationS) };
}

/** One travel profile per distinct vehicle speed, vehicles pointing at theirs. */
function profilesFor(road: RoadMatrix, vehicles: readonly VehicleRow[]): { profiles: TravelProfile[]; profileOf: Map<string, number> } {
  const speeds = [...new Set(vehicles.map((v) => v.speed_kmh))].sort((a, b) => a - b);
  const profiles = speeds.map((s) => travelProfile(road, s));
  const profileOf = new Map(vehicles.map((v) => [v.id, speeds.indexOf(v.speed_kmh)]));
  return { profiles, profileOf };
}

interface Bucket {
  parcels: DayParcel[];
  pickups: DayPickup[];
}

/*
 * Items are taken in the day's order, never re-sorted by id: ids are UUIDv7 (arrival time), and
 * concurrent submissions arrive in a different order on every run (more so on a loaded machine),
 * so an id order would split a big station's load into different chunks and the same day would
 * plan differently. The loader gives the content order (courier + waybill; pickups by station,
 * courier, reference, body hash: loadDayItems), which the same input always has.
 */

/** Items whose station is unknown to the network: reported, never planned. */
function unknownStations(day: DayModel, index: NetworkIndex, tier: Tier): UnassignedItem[] {
  const out: UnassignedItem[] = [];
  for (const p of day.parcels) {
    if (!index.stations.has(p.stationCode)) out.push({ kind: 'parcel', id: p.id, stationCode: p.stationCode, tier, reason: 'unknown_station' });
  }
  for (const p of day.pickups) {
    if (!index.stations.has(p.stationCode)) out.push({ kind: 'pickup', id: p.id, stationCode: p.stationCode, tier, reason: 'unknown_station' });
  }
  return out;
}

/** Zips delivery chunks and pickup chunks into visits: visit k delivers chunk k and collects chunk k. */
function visits(deliveries: Chunk[], pickups: Chunk[]): { delivery: Chunk; pickup: Chunk }[] {
  const n = Math.max(deliveries.length, pickups.length);
  const out: { delivery: Chunk; pickup: Chunk }[] = [];
  for (let k = 0; k < n; k++) {
    out.push({ delivery: deliveries[k] ?? { ids: [], load: zeroLoad() }, pickup: pickups[k] ?? { ids: [], load: zeroLoad() } });
  }
  return out;
}

const packParcels = (ps: readonly DayParcel[]): Packable[] => ps.map((p) => ({ id: p.id, load: parcelLoad(p) }));
const packPickups = (ps: readonly DayPickup[]): Packable[] => ps.map((p) => ({ id: p.id, load: pickupLoad(p) }));

export interface LineHaulOptions {
  /** Re-plan: when each truck is back from the loop it already drove today (s after midnight). */
  readonly truckFreeAtS?: ReadonlyMap<string, number>;
  readonly notBeforeS?: number;
  /**
   * Only `lineHaulLatestS` bounds the unloading, not `villageStartByS`: the fallback when the
   * trucks cannot reach every centre early enough for its vans to leave by early afternoon.
   */
  readonly relaxed?: boolean;
}

/**
 * Latest start of unloading a line-haul job at a centre: by `lineHaulLatestS`, and (unless
 * relaxed) early enough that unloading and the centre's sorting end by `villageStartByS`.
 */
export function lineHaulLatestStart(s: Pick<DayModel['settings'], 'lineHaulLatestS' | 'villageStartByS' | 'sortingS'>, serviceS: number, relaxed: boolean): number {
  return relaxed ? s.lineHaulLatestS : Math.min(s.lineHaulLatestS, s.villageStartByS - s.sortingS - serviceS);
}

/** The township centres' consolidated loads: every item whose serving hub is not the county warehouse. */
export function buildLineHaul(
  day: DayModel,
  index: NetworkIndex,
  road: RoadMatrix,
  /** Re-plan: when each truck is back from the loop it already drove today (s after midnight). */
  options: LineHaulOptions = {},
): TierBuild {
  const s = day.settings;
  const county = index.countyWarehouse.id;
  const buckets = new Map<string, Bucket>();
  const bucket = (hubId: string) => {
    let b = buckets.get(hubId);
    if (!b) buckets.set(hubId, (b = { parcels: [], pickups: [] }));
    return b;
  };
  for (const p of day.parcels) {
    const st = index.stations.get(p.stationCode);
    if (!st) continue;
    const hub = servingHub(index, st, p.coldChain);
    if (hub !== county) bucket(hub).parcels.push(p);
  }
  // Produce held at a centre: the line-haul takes it to the county warehouse.
  for (const p of day.heldPickups ?? []) {
    if (p.hubId !== county && index.hubPoint.has(p.hubId)) bucket(p.hubId).pickups.push(p);
  }
  // Returns (退回) wait at their township centre and ride back with the centre's produce: they
  // take the truck's room on the way to the county warehouse (a piece each).
  const returnsAt = new Map<string, Packable[]>();
  for (const r of day.returns ?? []) {
    if (r.hubId === county || !index.hubPoint.has(r.hubId)) continue;
    bucket(r.hubId);
    returnsAt.set(r.hubId, [...(returnsAt.get(r.hubId) ?? []), { id: r.id, load: [r.weightG, r.volumeCm3, 1] }]);
  }

  const trucks = index.lineHaulFleet;
  const hubIds = [...buckets.keys()].sort(cmp);
  const locations: LocationRef[] = [{ kind: 'hub', hubId: county }, ...hubIds.map((h) => ({ kind: 'hub' as const, hubId: h }))];
  const road2 = subMatrix(road, locations.map((l) => index.hubPoint.get((l as { hubId: string }).hubId)!));
  const { profiles, profileOf } = profilesFor(road2, trucks);
  // Half-truck jobs: whole-truck chunks would make loading a bin-packing puzzle the solver
  // cannot always finish; two halves of a big centre fit beside other centres' loads.
  const cap = largestCapacity(trucks).map((c, d) => (d < 2 ? Math.floor(c / 2) : c)) as Load;
  const jobs: Job[] = [];
  const contents = new Map<string, JobContent>();
  const unassigned = unknownStations(day, index, 'line_haul');
  hubIds.forEach((hubId, k) => {
    const b = buckets.get(hubId)!;
    if (trucks.length === 0) {
      for (const p of b.parcels) unassigned.push({ kind: 'parcel', id: p.id, stationCode: p.stationCode, tier: 'line_haul', reason: 'no_vehicle' });
      for (const p of b.pickups) unassigned.push({ kind: 'pickup', id: p.id, stationCode: p.stationCode, tier: 'line_haul', reason: 'no_vehicle' });
      for (const r of returnsAt.get(hubId) ?? []) unassigned.push({ kind: 'parcel', id: r.id, stationCode: '', tier: 'line_haul', reason: 'no_vehicle' });
      return;
    }
    visits(packChunks(packParcels(b.parcels), cap), packChunks([...packPickups(b.pickups), ...(returnsAt.get(hubId) ?? [])], cap)).forEach((v, part) => {
      const id = `lh:${hubId}:${part}`;
      const serviceTime = centreServiceS(v.delivery.ids.length, v.pickup.load[2]);
      const earliest = s.cutoffS + s.sortingS;
      jobs.push({
        id,
        location: k + 1,
        delivery: v.delivery.load,
        pickup: v.pickup.load,
        serviceTime,
        timeWindows: [[earliest, Math.max(earliest, lineHaulLatestStart(s, serviceTime, options.relaxed === true))]],
      });
      contents.set(id, { stationCode: null, hubId, parcelIds: v.delivery.ids, pickupIds: v.pickup.ids });
    });
  });
  const shift: [number, number] = [s.cutoffS, s.dayEndS];
  const problem: Problem = {
    locationCount: locations.length,
    dimensions: 3,
    profiles,
    jobs,
    vehicles: trucks.map((v) => {
      const free = options.truckFreeAtS?.get(v.id);
      const release = Math.max(s.cutoffS + s.sortingS, free === undefined ? 0 : free + s.reloadS, options.notBeforeS ?? 0);
      return withDuty({ ...solverVehicle(v, profileOf.get(v.id)!, 0, shift, release, s.reloadS), maxTrips: Math.max(1, v.max_trips, s.lineHaulTrips) }, dutyOf(s, v.type));
    }),
  };
  return { tier: 'line_haul', hubId: county, problem, jobs: contents, locations, vehicles: new Map(trucks.map((v) => [v.id, v])), unassigned };
}

export interface VillageOptions {
  /** When the hub's vehicles may leave: line-haul arrival + sorting (county: cut-off + sorting). */
  readonly releaseS: number;
  /** Items that did not reach the hub (lost on the line-haul); left out of the problem. */
  readonly exclude?: ReadonlySet<string>;
  /** Re-planning a started day: vehicles under way continue from where they are (src/planning/replan.ts). */
  readonly replan?: VillageReplan;
}

/** The hubs that have village-tier work today, county warehouse first. */
export function villageHubs(day: DayModel, index: NetworkIndex): string[] {
  const hubs = new Set<string>();
  for (const p of day.parcels) {
    const st = index.stations.get(p.stationCode);
    if (st) hubs.add(servingHub(index, st, p.coldChain));
  }
  for (const p of day.pickups) {
    const st = index.stations.get(p.stationCode);
    if (st) hubs.add(servingHub(index, st, p.coldChain));
  }
  const county = index.countyWarehouse.id;
  return [...hubs].sort((a, b) => (a === county ? -1 : b === county ? 1 : cmp(a, b)));
}

/** One hub's village routes: per-station (and per cold-chain) visits, split to fit a vehicle. */
export function buildVillage(day: DayModel, index: NetworkIndex, road: RoadMatrix, hubId: string, options: VillageOptions): TierBuild {
  const s = day.settings;
  const exclude = options.exclude ?? new Set<string>();
  const replan = options.replan;
  const started = replan?.started ?? [];
  const allFleet = index.villageFleet.get(hubId) ?? [];
  // Fresh vehicles: those not under way and not broken down.
  const fleet = replan ? allFleet.filter((v) => !replan.busyVehicleIds.has(v.id)) : allFleet;
  const startedFleet = started.map((st) => index.vehicles.get(st.vehicleId)).filter((v): v is VehicleRow => v !== undefined);
  // Parcels on board of a vehicle under way belong to that vehicle ('' = the hub's pool).
  const ownerOf = new Map<string, string>();
  for (const st of started) for (const id of st.onBoardParcelIds) ownerOf.set(id, st.vehicleId);
  type StationBuckets = Map<string, Bucket>; // key: `${owner}|${cold}`
  const perStation = new Map<string, StationBuckets>();
  const bucketFor = (code: string, cold: boolean, owner: string) => {
    let b = perStation.get(code);
    if (!b) perStation.set(code, (b = new Map()));
    const key = `${owner}|${cold ? 1 : 0}`;
    let bucket = b.get(key);
    if (!bucket) b.set(key, (bucket = { parcels: [], pickups: [] }));
    return bucket;
  };
  for (const p of day.parcels) {
    const st = index.stations.get(p.stationCode);
    if (!st || exclude.has(p.id)) continue;
    const owner = ownerOf.get(p.id) ?? '';
    // On-board parcels ride their vehicle whichever hub would serve them today.
    if (owner === '' && servingHub(index, st, p.coldChain) !== hubId) continue;
    bucketFor(st.code, p.coldChain, owner).parcels.push(p);
  }
  for (const p of day.pickups) {
    const st = index.stations.get(p.stationCode);
    if (!st || exclude.has(p.id) || servingHub(index, st, p.coldChain) !== hubId) continue;
    bucketFor(st.code, p.coldChain, '').pickups.push(p);
  }

  const stationCodes = new Set(perStation.keys());
  // A vehicle under way starts at its current station, which may have no work left.
  for (const st of started) if (st.location.kind === 'station') stationCodes.add(st.location.code);
  const codes = [...stationCodes].sort(cmp);
  const locations: LocationRef[] = [{ kind: 'hub', hubId }, ...codes.map((code) => ({ kind: 'station' as const, code }))];
  const vehiclesInProblem = [...fleet, ...startedFleet];
  const road2 = subMatrix(road, [index.hubPoint.get(hubId)!, ...codes.map((c) => index.stationPoint.get(c)!)]);
  const { profiles, profileOf } = profilesFor(road2, vehiclesInProblem);
  const unassigned: UnassignedItem[] = [];
  const jobs: Job[] = [];
  const contents = new Map<string, JobContent>();
  const coldFleet = fleet.filter((v) => v.cold_chain !== 0);
  // Split a station's load into visits the smallest vehicle able to serve it could carry: a
  // community's 800 kg then fills two vans' trips *and* a tricycle's, instead of being one job only
  // a van can take. Without a cold-chain vehicle, split by the fleet so the solver still reports
  // the real reason (a missing skill).
  const poolFleet = fleet.length > 0 ? fleet : vehiclesInProblem;
  const normalCap = smallestCapacity(poolFleet);
  const coldCap = smallestCapacity(coldFleet.length > 0 ? coldFleet : poolFleet);
  codes.forEach((code, k) => {
    const st = index.stations.get(code)!;
    const buckets = perStation.get(code);
    if (!buckets) return;
    for (const [key, b] of [...buckets.entries()].sort((x, y) => cmp(x[0], y[0]))) {
      const [owner, coldFlag] = key.split('|') as [string, string];
      const cold = coldFlag === '1';
      if (b.parcels.length === 0 && b.pickups.length === 0) continue;
      if (vehiclesInProblem.length === 0) {
        for (const p of b.parcels) unassigned.push({ kind: 'parcel', id: p.id, stationCode: code, tier: 'village', reason: 'no_vehicle' });
        for (const p of b.pickups) unassigned.push({ kind: 'pickup', id: p.id, stationCode: code, tier: 'village', reason: 'no_vehicle' });
        continue;
      }
      const ownerVehicle = owner === '' ? undefined : index.vehicles.get(owner);
      const cap = ownerVehicle ? vehicleCapacity(ownerVehicle) : cold ? coldCap : normalCap;
      visits(packChunks(packParcels(b.parcels), cap), packChunks(packPickups(b.pickups), cap)).forEach((v, part) => {
        const id = owner === '' ? `v:${code}:${cold ? 'cold' : 'dry'}:${part}` : `v:${code}:${cold ? 'cold' : 'dry'}:${owner}:${part}`;
        // Re-plan: a parcel on board can only go with its vehicle; one at the hub needs a vehicle
        // that is still there. Produce (pickups) any passing vehicle may collect.
        const skills = [
          ...(cold ? ['cold_chain'] : []),
          ...(owner !== '' ? [vehicleSkill(owner)] : replan && v.delivery.ids.length > 0 ? [DEPOT_SKILL] : []),
        ];
        jobs.push({
          id,
          location: k + 1,
          delivery: v.delivery.load,
          pickup: v.pickup.load,
          serviceTime: stationServiceS(v.delivery.ids.length, v.pickup.load[2]),
          timeWindows: [[st.opens_s, st.closes_s]],
          ...(skills.length > 0 ? { skills } : {}),
        });
        contents.set(id, { stationCode: code, hubId: null, parcelIds: v.delivery.ids, pickupIds: v.pickup.ids });
      });
    }
  });
  const shift: [number, number] = [s.cutoffS, s.dayEndS];
  const freshRelease = Math.max(options.releaseS, replan?.notBeforeS ?? 0);
  const startedIndex = new Map<string, StartedVehicle & { locationIndex: number }>();
  const vehicles: Vehicle[] = fleet.map((v) => {
    const base = withDuty(solverVehicle(v, profileOf.get(v.id)!, 0, shift, freshRelease, s.reloadS), dutyOf(s, v.type));
    return replan ? { ...base, skills: [...(base.skills ?? []), DEPOT_SKILL] } : base;
  });
  for (const st of started) {
    const v = index.vehicles.get(st.vehicleId);
    if (!v) continue;
    const locationIndex = st.location.kind === 'station' ? codes.indexOf(st.location.code) + 1 : 0;
    startedIndex.set(v.id, { ...st, locationIndex });
    // Under way: back by the type's latest return (its duty so far is not known here, so no duration bound).
    const base = solverVehicle(v, profileOf.get(v.id)!, 0, [st.atS, Math.max(st.atS, Math.min(s.dayEndS, dutyOf(s, v.type).returnByS))], st.atS, s.reloadS);
    const capacity = vehicleCapacity(v).map((c, d) => Math.max(0, c - st.collected[d]!));
    vehicles.push({
      ...base,
      startLocation: locationIndex,
      endLocation: 0,
      capacity,
      // Already paid for today: using it costs nothing more than its driving.
      fixedCost: 0,
      // A reload happens at the start depot, which is now a village: no second trip from here.
      maxTrips: 1,
      ...(v.range_m != null && v.range_m > 0 ? { maxDistance: Math.max(0, v.range_m - st.drivenM) } : {}),
      skills: [...(v.cold_chain !== 0 ? ['cold_chain'] : []), vehicleSkill(v.id)],
    });
  }
  const problem: Problem = { locationCount: locations.length, dimensions: 3, profiles, jobs, vehicles };
  return {
    tier: 'village',
    hubId,
    ...(hubId === index.countyWarehouse.id ? { atCounty: true } : {}),
    problem,
    jobs: contents,
    locations,
    vehicles: new Map(vehiclesInProblem.map((v) => [v.id, v])),
    unassigned,
    ...(replan ? { started: startedIndex } : {}),
  };
}

/** Total load of a problem's jobs (deliveries), e.g. for load-factor reports. */
export function totalDelivery(problem: Problem): Load {
  const total = zeroLoad();
  for (const j of problem.jobs) addLoad(total, j.delivery as Load);
  return total;
}
