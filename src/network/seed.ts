/**
 * Writes the network dataset into the database: its county, townships, hubs, stations, vehicles
 * and the default couriers, through importNetwork (src/network/import.ts). Idempotent (upserts by primary key), so `gongpei db migrate` can run it every
 * time. It never deletes: a station that left the dataset may still have parcels pointing at it.
 * Operator-owned columns survive a re-seed: courier webhooks, a vehicle's driver and `active`.
 * `networkSeeded` says whether that has happened.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { importNetwork } from './import.ts';
import { datasetImport, loadNetwork, type Network } from './load.ts';

export interface SeedCounts {
  readonly townships: number;
  readonly hubs: number;
  readonly stations: number;
  readonly vehicles: number;
  readonly couriers: number;
}

/** True once a network (at least one station) has been written into the database. */
export async function networkSeeded(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('stations').select('code').limit(1).executeTakeFirst()) !== undefined;
}

export async function seedNetwork(db: Kysely<Database>, network: Network = loadNetwork(), now: Date = new Date()): Promise<SeedCounts> {
  // One way to write a network: the dataset goes through the same import as a county's files.
  const c = await importNetwork(db, datasetImport(network), now);
  return { townships: c.townships, hubs: c.hubs, stations: c.stations, vehicles: c.vehicles, couriers: c.couriers };
}
