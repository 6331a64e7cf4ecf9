/**
 * Intake write path: every index on `parcels` is maintained by every accepted parcel.
 * `parcels_station_idx` served only the dispatcher listing's `stationCode` filter, and its
 * inserts land on random pages (parcels of one station arrive spread over the day), so a
 * 100-parcel commit dirtied ~100 of its leaf pages: about a quarter of the SQLite cost of intake
 * (~10 µs of ~40 µs per parcel, measured with 100-parcel commits). The listing pages by
 * (received_at, id) within a day; an index on exactly that is appended to in arrival order
 * (~1 µs per parcel) and serves every filter combination of the listing, station included.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('parcels_station_idx').execute();
  await db.schema.createIndex('parcels_received_idx').on('parcels').columns(['received_at', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('parcels_received_idx').execute();
  await db.schema.createIndex('parcels_station_idx').on('parcels').column('station_code').execute();
}
