/**
 * Operational statistics over a date range: parcels per courier, per township and per day
 * (local service days of the network clock), and per plan: routes, km and the on-time share.
 *
 * On-time share: of the parcels a plan put on a route that carried a promised date, the share
 * whose stop is planned on or before that date. Parcels without a promise count as on time.
 */
import type { Kysely } from 'kysely';
import type { Database, PlanRow } from '../db/schema.ts';
import { localSecondsToIso } from '../planning/day-model.ts';

export interface StatsView {
  readonly from: string;
  readonly to: string;
  readonly parcels: {
    readonly total: number;
    readonly byCourier: Record<string, number>;
    readonly byTownship: Record<string, number>;
    readonly byDay: Record<string, number>;
    readonly byStatus: Record<string, number>;
  };
  readonly plans: PlanStats[];
}

export interface PlanStats {
  readonly date: string;
  readonly planId: string;
  readonly status: string;
  readonly state: string;
  readonly routes: number;
  readonly km: number;
  readonly plannedParcels: number;
  readonly onTimeShare: number | null;
}

/** One plan version's row of the statistics, computed from its routes and parcels now. */
export async function planStats(db: Kysely<Database>, p: PlanRow, utcOffsetMinutes: number): Promise<PlanStats> {
  const agg = await db
    .selectFrom('routes')
    .select((eb) => [eb.fn.countAll<number>().as('routes'), eb.fn.sum<number>('distance_m').as('m')])
    .where('plan_id', '=', p.id)
    .executeTakeFirst();
  const planned = await db
    .selectFrom('parcels')
    .innerJoin('stops', 'stops.id', 'parcels.stop_id')
    .select(['parcels.promised_date', 'stops.arrival_at'])
    .where('parcels.plan_id', '=', p.id)
    .execute();
  const promised = planned.filter((x) => x.promised_date !== null);
  const onTime = promised.filter((x) => {
    const arrivalDay = new Date(Date.parse(x.arrival_at) + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
    return arrivalDay <= x.promised_date!;
  }).length;
  return {
    date: p.service_date,
    planId: p.id,
    status: p.status,
    state: p.state,
    routes: Number(agg?.routes ?? 0),
    km: Math.round(Number(agg?.m ?? 0) / 100) / 10,
    plannedParcels: planned.length,
    onTimeShare: planned.length === 0 ? null : Math.round(((planned.length - promised.length + onTime) / planned.length) * 1000) / 1000,
  };
}

/** `counties`: only these counties' parcels and plans (undefined: every county). */
export async function stats(db: Kysely<Database>, from: string, to: string, utcOffsetMinutes: number, counties?: readonly string[]): Promise<StatsView> {
  const fromIso = localSecondsToIso(from, 0, utcOffsetMinutes);
  const toIso = localSecondsToIso(to, 24 * 3600, utcOffsetMinutes);
  const rows = await db
    .selectFrom('parcels')
    .innerJoin('stations', 'stations.code', 'parcels.station_code')
    .innerJoin('townships', 'townships.code', 'stations.township_code')
    .select(['parcels.courier_code', 'parcels.status', 'parcels.received_at', 'townships.name as township'])
    .where('parcels.received_at', '>=', fromIso)
    .where('parcels.received_at', '<', toIso)
    .$if(counties !== undefined, (q) => q.where('parcels.county_id', 'in', [...counties!]))
    .execute();
  const byCourier: Record<string, number> = {};
  const byTownship: Record<string, number> = {};
  const byDay: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  for (const r of rows) {
    byCourier[r.courier_code] = (byCourier[r.courier_code] ?? 0) + 1;
    byTownship[r.township] = (byTownship[r.township] ?? 0) + 1;
    const day = new Date(Date.parse(r.received_at) + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
    byDay[day] = (byDay[day] ?? 0) + 1;
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  }
  // The current version of each date (a replaced version's numbers moved to its successor); a
  // closed day answers from the snapshot frozen when it closed.
  const plans = await db
    .selectFrom('plans')
    .selectAll()
    .where('service_date', '>=', from)
    .where('service_date', '<=', to)
    .where('status', '=', 'completed')
    .where('replaced_by_plan_id', 'is', null)
    .$if(counties !== undefined, (q) => q.where('county_id', 'in', [...counties!]))
    .orderBy('service_date')
    .orderBy('county_id')
    .execute();
  const planViews: PlanStats[] = [];
  for (const p of plans) {
    const frozen = p.kpis_json ? (JSON.parse(p.kpis_json) as { stats?: PlanStats }).stats : undefined;
    planViews.push(frozen ?? (await planStats(db, p, utcOffsetMinutes)));
  }
  return { from, to, parcels: { total: rows.length, byCourier, byTownship, byDay, byStatus }, plans: planViews };
}
