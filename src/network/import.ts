/**
 * Writes a county's network (parsed by files.ts) into the database, all or nothing, and reads it
 * back out for `gongpei network export`.
 *
 * Re-importing updates rows in place, keyed by their official code (townships, stations) or id
 * (hubs, vehicles, couriers), so routes, stops and parcels that name them keep pointing at the same
 * rows. Nothing is deleted: a station the new files leave out is kept but closed to intake
 * (`active = 0`), a vehicle left out is taken out of service (`active = 0`); a station that comes
 * back is open again. Dispatcher-owned fields survive: a station keeper left empty in the file
 * keeps what dispatchers entered, a station position a dispatcher corrected is not replaced by an
 * estimate, a vehicle's driver and `active` flag are not touched.
 *
 * Codes and ids are deployment-wide: a row that belongs to another county is refused (naming the
 * file, row and field), never moved silently between counties.
 */
import type { ExpressionBuilder, Kysely, OnConflictDatabase, OnConflictTables, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { ErrorDetail } from '../http/http-errors.ts';
import { chunks } from '../util/chunks.ts';
import { NETWORK_FILES, type NetworkImport, type VehicleImport } from './files.ts';

export interface ImportCounts {
  readonly county: string;
  /** True when the county was not in the database before. */
  readonly created: boolean;
  readonly townships: number;
  readonly hubs: number;
  readonly stations: number;
  /** Stations of this county the files left out: kept for what references them, closed to intake. */
  readonly stationsClosed: number;
  readonly vehicles: number;
  /** Vehicles of this county the files left out: taken out of service. */
  readonly vehiclesRetired: number;
  readonly couriers: number;
}

/** Rows per INSERT: well under SQLite's bound-parameter limit for the widest table. */
const BATCH = 150;

async function refuseOtherCounties(trx: Transaction<Database>, n: NetworkImport): Promise<void> {
  const problems: ErrorDetail[] = [];
  const check = async (table: 'townships' | 'stations' | 'hubs' | 'vehicles', key: 'code' | 'id', file: string, field: string, ids: readonly string[]) => {
    const rowOf = new Map(ids.map((id, i) => [id, i + 2]));
    for (const part of chunks([...ids], 500)) {
      const taken = (await trx
        .selectFrom(table)
        .select([key as 'code', 'county_id'])
        .where(key as 'code', 'in', part)
        .where('county_id', '!=', n.county.id)
        .execute()) as unknown as Record<string, string>[];
      for (const row of taken) {
        const t = { code: row[key]!, county_id: row.county_id! };
        if (problems.length < 100) problems.push({ path: `${file}:${rowOf.get(t.code)}:${field}`, line: rowOf.get(t.code)!, message: `"${t.code}" belongs to county ${t.county_id}; ${table} ${key === 'code' ? 'codes' : 'ids'} are unique across the deployment` });
      }
    }
  };
  await check('townships', 'code', NETWORK_FILES.townships, 'code', n.townships.map((t) => t.code));
  await check('hubs', 'id', NETWORK_FILES.hubs, 'id', n.hubs.map((h) => h.id));
  await check('stations', 'code', NETWORK_FILES.stations, 'code', n.stations.map((s) => s.code));
  await check('vehicles', 'id', NETWORK_FILES.vehicles, 'id', n.vehicles.map((v) => v.id));
  if (problems.length > 0) throw new AppError('invalid_data', `network files: ${problems.length} row(s) belong to another county; first: ${problems[0]!.path}: ${problems[0]!.message}`, problems);
}

/** Imports (or re-imports) one county's network in one transaction. */
export async function importNetwork(db: Kysely<Database>, n: NetworkImport, now: Date = new Date()): Promise<ImportCounts> {
  const at = now.toISOString();
  const county = n.county.id;
  return db.transaction().execute(async (trx) => {
    await refuseOtherCounties(trx, n);
    const existed = (await trx.selectFrom('counties').select('id').where('id', '=', county).executeTakeFirst()) !== undefined;
    await trx
      .insertInto('counties')
      .values({ id: county, name: n.county.name, seat_lat: n.county.seat_lat, seat_lon: n.county.seat_lon, boundary_json: n.county.boundary_json, created_at: at, updated_at: at })
      .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'), seat_lat: eb.ref('excluded.seat_lat'), seat_lon: eb.ref('excluded.seat_lon'),
        // A re-import without a boundary file keeps the boundary the county had.
        boundary_json: eb.fn.coalesce(eb.ref('excluded.boundary_json'), eb.ref('counties.boundary_json')), updated_at: eb.ref('excluded.updated_at'),
      })))
      .execute();
    for (const part of chunks([...n.townships], BATCH)) {
      await trx.insertInto('townships').values(part.map((t) => ({ ...t, county_id: county })))
        .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'), kind: eb.ref('excluded.kind'), seat_lat: eb.ref('excluded.seat_lat'), seat_lon: eb.ref('excluded.seat_lon'), hub_id: eb.ref('excluded.hub_id'),
        })))
        .execute();
    }
    for (const part of chunks([...n.hubs], BATCH)) {
      await trx.insertInto('hubs').values(part.map((h) => ({ ...h, county_id: county })))
        .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({
          kind: eb.ref('excluded.kind'), name: eb.ref('excluded.name'), township_code: eb.ref('excluded.township_code'),
          lat: eb.ref('excluded.lat'), lon: eb.ref('excluded.lon'), coord_quality: eb.ref('excluded.coord_quality'),
        })))
        .execute();
    }
    for (const part of chunks([...n.stations], BATCH)) {
      await trx.insertInto('stations').values(part.map((s) => ({ ...s, county_id: county, active: 1 })))
        .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'), kind: eb.ref('excluded.kind'), township_code: eb.ref('excluded.township_code'),
          hub_id: eb.ref('excluded.hub_id'),
          // A position a dispatcher corrected (PATCH /v1/stations/{code}) is not undone by a file
          // that only has the old estimate; a file with a known or corrected position wins.
          lat: eb.case().when(keepCorrected(eb)).then(eb.ref('stations.lat')).else(eb.ref('excluded.lat')).end(),
          lon: eb.case().when(keepCorrected(eb)).then(eb.ref('stations.lon')).else(eb.ref('excluded.lon')).end(),
          coord_quality: eb.case().when(keepCorrected(eb)).then(eb.ref('stations.coord_quality')).else(eb.ref('excluded.coord_quality')).end(),
          opens_s: eb.ref('excluded.opens_s'), closes_s: eb.ref('excluded.closes_s'),
          size_weight: eb.ref('excluded.size_weight'), active: eb.ref('excluded.active'),
          keeper_name: eb.fn.coalesce(eb.ref('excluded.keeper_name'), eb.ref('stations.keeper_name')),
          keeper_phone: eb.fn.coalesce(eb.ref('excluded.keeper_phone'), eb.ref('stations.keeper_phone')),
        })))
        .execute();
    }
    const codes = new Set(n.stations.map((s) => s.code));
    const gone = (await trx.selectFrom('stations').select('code').where('county_id', '=', county).where('active', '=', 1).execute()).map((r) => r.code).filter((c) => !codes.has(c));
    for (const part of chunks(gone, 500)) await trx.updateTable('stations').set({ active: 0 }).where('code', 'in', part).execute();

    for (const part of chunks([...n.vehicles], BATCH)) {
      await trx.insertInto('vehicles').values(part.map((v: VehicleImport) => ({ ...v, county_id: county, driver_id: null, active: 1 })))
        .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({
          hub_id: eb.ref('excluded.hub_id'), type: eb.ref('excluded.type'), name: eb.ref('excluded.name'),
          capacity_g: eb.ref('excluded.capacity_g'), capacity_cm3: eb.ref('excluded.capacity_cm3'), range_m: eb.ref('excluded.range_m'),
          cold_chain: eb.ref('excluded.cold_chain'), max_trips: eb.ref('excluded.max_trips'), speed_kmh: eb.ref('excluded.speed_kmh'),
          fixed_cost_fen: eb.ref('excluded.fixed_cost_fen'), cost_per_km_fen: eb.ref('excluded.cost_per_km_fen'),
          cost_per_hour_fen: eb.ref('excluded.cost_per_hour_fen'),
        })))
        .execute();
    }
    const ids = new Set(n.vehicles.map((v) => v.id));
    const retired = (await trx.selectFrom('vehicles').select('id').where('county_id', '=', county).where('active', '=', 1).execute()).map((r) => r.id).filter((id) => !ids.has(id));
    for (const part of chunks(retired, 500)) await trx.updateTable('vehicles').set({ active: 0 }).where('id', 'in', part).execute();

    // Couriers are national companies, shared by every county: upserted by code, never retired.
    if (n.couriers.length > 0) {
      await trx.insertInto('couriers').values(n.couriers.map((c) => ({ ...c, created_at: at })))
        .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name') })))
        .execute();
    }
    return {
      county,
      created: !existed,
      townships: n.townships.length,
      hubs: n.hubs.length,
      stations: n.stations.length,
      stationsClosed: gone.length,
      vehicles: n.vehicles.length,
      vehiclesRetired: retired.length,
      couriers: n.couriers.length,
    };
  });
}

/** A county's network as stored (open stations, every vehicle in service), in the file model. */
export async function exportNetwork(db: Kysely<Database>, countyId: string): Promise<NetworkImport> {
  const county = await db.selectFrom('counties').selectAll().where('id', '=', countyId).executeTakeFirst();
  if (!county) {
    const known = (await db.selectFrom('counties').select('id').orderBy('id').execute()).map((c) => c.id);
    throw new AppError('not_found', `no county ${countyId} (imported: ${known.join(', ') || 'none'})`);
  }
  const [townships, hubs, stations, vehicles, couriers] = await Promise.all([
    db.selectFrom('townships').select(['code', 'name', 'kind', 'hub_id', 'seat_lat', 'seat_lon']).where('county_id', '=', countyId).orderBy('code').execute(),
    db.selectFrom('hubs').select(['id', 'kind', 'name', 'township_code', 'lat', 'lon', 'coord_quality']).where('county_id', '=', countyId).orderBy('kind').orderBy('id').execute(),
    db.selectFrom('stations')
      .select(['code', 'name', 'kind', 'township_code', 'hub_id', 'lat', 'lon', 'coord_quality', 'opens_s', 'closes_s', 'size_weight', 'keeper_name', 'keeper_phone'])
      .where('county_id', '=', countyId).where('active', '=', 1).orderBy('code').execute(),
    db.selectFrom('vehicles')
      .select(['id', 'hub_id', 'type', 'name', 'capacity_g', 'capacity_cm3', 'range_m', 'cold_chain', 'max_trips', 'speed_kmh', 'fixed_cost_fen', 'cost_per_km_fen', 'cost_per_hour_fen'])
      .where('county_id', '=', countyId).where('active', '=', 1).orderBy('id').execute(),
    db.selectFrom('couriers').select(['code', 'name']).orderBy('code').execute(),
  ]);
  return {
    county: { id: county.id, name: county.name, seat_lat: county.seat_lat, seat_lon: county.seat_lon, boundary_json: county.boundary_json },
    townships,
    hubs,
    stations,
    vehicles,
    couriers,
  };
}

/** The stored station's position was corrected by a dispatcher and the incoming one is an estimate. */
function keepCorrected(eb: ExpressionBuilder<OnConflictDatabase<Database, 'stations'>, OnConflictTables<'stations'>>) {
  return eb.and([eb('stations.coord_quality', '=', 'corrected'), eb('excluded.coord_quality', '=', 'estimated')]);
}
