/**
 * Writes the network dataset into the database: townships, hubs, stations, vehicles and the
 * default couriers. Idempotent (upserts by primary key), so `gongpei db migrate` can run it every
 * time. It never deletes: a station that left the dataset may still have parcels pointing at it.
 * Operator-owned columns survive a re-seed: courier webhooks, a vehicle's driver and `active`.
 * `networkSeeded` says whether that has happened.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { loadNetwork, networkRows, type Network } from './load.ts';

export interface SeedCounts {
  readonly townships: number;
  readonly hubs: number;
  readonly stations: number;
  readonly vehicles: number;
  readonly couriers: number;
}

/** Rows per INSERT: well under SQLite's bound-parameter limit for our widest table. */
const BATCH = 200;

function batches<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += BATCH) out.push(rows.slice(i, i + BATCH));
  return out;
}

/** True once a network (at least one station) has been written into the database. */
export async function networkSeeded(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('stations').select('code').limit(1).executeTakeFirst()) !== undefined;
}

export async function seedNetwork(db: Kysely<Database>, network: Network = loadNetwork(), now: Date = new Date()): Promise<SeedCounts> {
  const rows = networkRows(network);
  const createdAt = now.toISOString();
  await db.transaction().execute(async (trx: Transaction<Database>) => {
    for (const chunk of batches(rows.townships)) {
      await trx.insertInto('townships').values(chunk)
        .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'), kind: eb.ref('excluded.kind'), seat_lat: eb.ref('excluded.seat_lat'),
          seat_lon: eb.ref('excluded.seat_lon'), hub_id: eb.ref('excluded.hub_id'),
        })))
        .execute();
    }
    for (const chunk of batches(rows.hubs)) {
      await trx.insertInto('hubs').values(chunk)
        .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({
          kind: eb.ref('excluded.kind'), name: eb.ref('excluded.name'), township_code: eb.ref('excluded.township_code'),
          lat: eb.ref('excluded.lat'), lon: eb.ref('excluded.lon'), coord_quality: eb.ref('excluded.coord_quality'),
        })))
        .execute();
    }
    for (const chunk of batches(rows.stations)) {
      await trx.insertInto('stations').values(chunk)
        .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'), kind: eb.ref('excluded.kind'), township_code: eb.ref('excluded.township_code'),
          hub_id: eb.ref('excluded.hub_id'), lat: eb.ref('excluded.lat'), lon: eb.ref('excluded.lon'),
          coord_quality: eb.ref('excluded.coord_quality'), opens_s: eb.ref('excluded.opens_s'), closes_s: eb.ref('excluded.closes_s'),
          size_weight: eb.ref('excluded.size_weight'),
        })))
        .execute();
    }
    for (const chunk of batches(rows.vehicles)) {
      await trx.insertInto('vehicles').values(chunk)
        .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({
          hub_id: eb.ref('excluded.hub_id'), type: eb.ref('excluded.type'), name: eb.ref('excluded.name'),
          capacity_g: eb.ref('excluded.capacity_g'), capacity_cm3: eb.ref('excluded.capacity_cm3'), range_m: eb.ref('excluded.range_m'),
          cold_chain: eb.ref('excluded.cold_chain'), max_trips: eb.ref('excluded.max_trips'), speed_kmh: eb.ref('excluded.speed_kmh'),
          fixed_cost_fen: eb.ref('excluded.fixed_cost_fen'), cost_per_km_fen: eb.ref('excluded.cost_per_km_fen'),
          cost_per_hour_fen: eb.ref('excluded.cost_per_hour_fen'),
        })))
        .execute();
    }
    await trx.insertInto('couriers').values(rows.couriers.map((c) => ({ ...c, created_at: createdAt })))
      .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name') })))
      .execute();
  });
  return {
    townships: rows.townships.length,
    hubs: rows.hubs.length,
    stations: rows.stations.length,
    vehicles: rows.vehicles.length,
    couriers: rows.couriers.length,
  };
}
