/**
 * Invariants of a stored plan, checked from the database alone (not from planner internals):
 * every eligible parcel on exactly one village stop of the plan or reported unassigned with a
 * reason; loads within capacity at every stop; station hours, cold-chain skills and range
 * respected; every village route leaves after its township's line-haul arrival plus sorting.
 */
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { Database } from '../../../src/db/schema.ts';
import type { PlanSummary } from '../../../src/pipeline/plan.steps.ts';
import { localSecondsToIso } from '../../../src/planning/day-model.ts';
import { dutyOf } from '../../../src/planning/types.ts';
import { TEST_SETTINGS } from '../../support/config.ts';

export async function checkPlanInvariants(db: Kysely<Database>, planId: string, eligibleParcelIds: readonly string[], sortingS = 3600): Promise<PlanSummary> {
  const plan = await db.selectFrom('plans').selectAll().where('id', '=', planId).executeTakeFirstOrThrow();
  expect(plan.status).toBe('completed');
  expect(plan.progress).toBe(100);
  const summary = JSON.parse(plan.summary_json!) as PlanSummary;
  const routes = await db.selectFrom('routes').selectAll().where('plan_id', '=', planId).execute();
  const vehicles = new Map((await db.selectFrom('vehicles').selectAll().execute()).map((v) => [v.id, v]));
  const stations = new Map((await db.selectFrom('stations').selectAll().execute()).map((s) => [s.code, s]));
  const stops = await db.selectFrom('stops').innerJoin('routes', 'routes.id', 'stops.route_id').selectAll('stops').select(['routes.tier', 'routes.vehicle_id']).where('routes.plan_id', '=', planId).execute();
  const stopById = new Map(stops.map((s) => [s.id, s]));

  // One route per vehicle and tier: a re-run replaced, never appended.
  const keys = routes.map((r) => `${r.tier}:${r.vehicle_id}`);
  expect(new Set(keys).size).toBe(keys.length);

  // Every eligible parcel: on exactly one village stop of this plan, or unassigned with a reason.
  const parcels = await db.selectFrom('parcels').select(['id', 'status', 'plan_id', 'stop_id', 'cold_chain']).where('id', 'in', [...eligibleParcelIds]).execute();
  const unassigned = new Map(summary.unassigned.items.filter((u) => u.kind === 'parcel').map((u) => [u.id, u.reason]));
  expect(parcels).toHaveLength(eligibleParcelIds.length);
  let planned = 0;
  for (const p of parcels) {
    if (p.status === 'planned') {
      planned++;
      expect(p.plan_id).toBe(planId);
      const stop = stopById.get(p.stop_id!);
      expect(stop, `parcel ${p.id} points at a stop of this plan`).toBeDefined();
      expect(stop!.tier).toBe('village');
      expect(stop!.kind).toBe('station');
      expect(unassigned.has(p.id)).toBe(false);
      // skills: cold-chain parcels only on cold-chain vehicles
      if (p.cold_chain) expect(vehicles.get(stop!.vehicle_id)!.cold_chain).toBe(1);
    } else {
      expect(p.status).toBe('sorted');
      expect(unassigned.get(p.id), `parcel ${p.id} is neither planned nor reported`).toBeTruthy();
    }
  }
  expect(planned).toBe(summary.parcels.planned);
  expect(planned + unassigned.size).toBe(eligibleParcelIds.length);
  // stop counts agree with the parcels pointing at them
  const perStop = new Map<string, number>();
  for (const p of parcels) if (p.stop_id) perStop.set(p.stop_id, (perStop.get(p.stop_id) ?? 0) + 1);
  for (const s of stops) if (s.tier === 'village') expect(s.deliver_count).toBe(perStop.get(s.id) ?? 0);

  // line-haul arrivals: when each centre's last load was unloaded
  const arrival = new Map<string, string>();
  for (const s of stops) {
    if (s.tier !== 'line_haul' || s.kind !== 'hub' || !s.hub_id) continue;
    if (!arrival.has(s.hub_id) || arrival.get(s.hub_id)! < s.departure_at) arrival.set(s.hub_id, s.departure_at);
  }
  for (const r of routes) {
    const v = vehicles.get(r.vehicle_id)!;
    const load = JSON.parse(r.load_json) as { peak: number[]; capacity: number[] };
    // range (electric tricycles)
    if (v.range_m !== null) expect(r.distance_m).toBeLessThanOrEqual(v.range_m);
    expect(load.capacity[0]).toBe(v.capacity_g);
    for (const s of stops.filter((x) => x.route_id === r.id)) {
      const l = JSON.parse(s.load_json) as number[];
      expect(l[0]).toBeLessThanOrEqual(v.capacity_g);
      expect(l[1]).toBeLessThanOrEqual(v.capacity_cm3);
      expect(l[0]).toBeGreaterThanOrEqual(0);
      if (s.kind === 'station') {
        const st = stations.get(s.station_code!)!;
        const open = localSecondsToIso(summary.serviceDate, st.opens_s, TEST_SETTINGS.utcOffsetMinutes);
        const close = localSecondsToIso(summary.serviceDate, st.closes_s, TEST_SETTINGS.utcOffsetMinutes);
        const serviceStart = s.arrival_at > open ? s.arrival_at : open;
        expect(serviceStart <= close, `stop at ${st.code} starts ${serviceStart}, closes ${close}`).toBe(true);
      }
    }
    // A driver's day (issue 11 item 6): within the type's longest duty, back by its latest return.
    const duty = dutyOf(TEST_SETTINGS, v.type);
    expect(r.duration_s, `${r.vehicle_id} on the road ${r.duration_s} s`).toBeLessThanOrEqual(duty.maxDurationS);
    const returnBy = localSecondsToIso(summary.serviceDate, duty.returnByS, TEST_SETTINGS.utcOffsetMinutes);
    expect(r.end_at <= returnBy, `${r.vehicle_id} back ${r.end_at}, due by ${returnBy}`).toBe(true);
    if (r.tier === 'village' && arrival.has(r.hub_id)) {
      const release = new Date(Date.parse(arrival.get(r.hub_id)!) + sortingS * 1000).toISOString();
      expect(r.start_at >= release, `${r.vehicle_id} leaves ${r.start_at} before ${release}`).toBe(true);
    }
  }
  // Whatever the plan could not serve comes with what would serve it (issue 11 item 7).
  for (const u of summary.unassigned.items) expect(u.remedy, `${u.kind} ${u.id} (${u.reason})`).toBeDefined();
  expect(Object.values(summary.unassigned.byRemedy ?? {}).reduce((a, b) => a + b, 0)).toBe(summary.unassigned.items.length);
  // The figures a dispatcher signs by, in the summary: nothing over duty; no truck driving out empty.
  expect(summary.duty).toBeDefined();
  expect(summary.duty!.overDuty).toEqual([]);
  expect(summary.duty!.emptyTruckKm).toBe(summary.duty!.emptyReturnKm);
  return summary;
}
