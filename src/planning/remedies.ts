/**
 * What would serve an item the plan could not (issue 11 item 7): from the reason the solver (or
 * the builder) gave and the problem it was in. Pure; the dispatcher reads the answer in the plan's
 * summary, the API's counts and the demo.
 */
import type { Job, Problem } from '../solver/model.ts';
import type { PlanUnassignedReason, Remedy, Tier, UnassignedItem } from './types.ts';

const COLD = 'cold_chain';

export function remedyFor(reason: PlanUnassignedReason, tier: Tier, job: Job | undefined, problem: Problem | undefined, isCounty: boolean): Remedy {
  if (reason === 'unknown_station') return 'station_address';
  if (reason === 'no_vehicle') return 'vehicle_at_hub';
  if (tier === 'line_haul') return reason === 'capacity' ? 'larger_vehicle' : 'another_truck_trip';
  const cold = job?.skills?.includes(COLD) === true;
  switch (reason) {
    case 'skill':
      return cold ? 'another_cold_van' : 'another_vehicle';
    case 'capacity':
    case 'max_distance':
      return 'larger_vehicle';
    case 'max_duration':
      return 'longer_duty';
    case 'time_window':
      return !isCounty && job && problem && leavesTooLate(job, problem) ? 'earlier_line_haul' : 'longer_duty';
    case 'max_stops':
      return 'another_vehicle';
    default: {
      // The fleet is full: a cold-chain item needs another cold van; otherwise a vehicle that
      // drives a single trip could go out again, else another vehicle.
      if (cold) return 'another_cold_van';
      const able = (problem?.vehicles ?? []).filter((v) => (job?.skills ?? []).every((s) => v.skills?.includes(s) === true));
      return able.some((v) => (v.maxTrips ?? 1) === 1) ? 'second_trip' : 'another_vehicle';
    }
  }
}

/** No vehicle able to leave the hub reaches the station before its window closes. */
function leavesTooLate(job: Job, problem: Problem): boolean {
  const close = job.timeWindows?.length ? job.timeWindows[job.timeWindows.length - 1]![1] : Infinity;
  return problem.vehicles.every((v) => {
    const p = problem.profiles[v.profile];
    const travel = p ? p.duration[v.startLocation * problem.locationCount + job.location]! : 0;
    return (v.releaseTime ?? v.shift?.[0] ?? 0) + travel > close;
  });
}

/** Items reported before reaching the solver (unknown station, no vehicle at the hub), with their remedy. */
export function withRemedies(items: readonly UnassignedItem[]): UnassignedItem[] {
  return items.map((u) => (u.remedy ? u : { ...u, remedy: remedyFor(u.reason, u.tier, undefined, undefined, false) }));
}
