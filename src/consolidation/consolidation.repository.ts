/**
 * The consolidation's reads and writes: which parcels wait to be sorted, and sorting them into
 * their township bins (status `sorted`, the serving hub, a `sorted` event), in one transaction.
 */
import type { Kysely } from 'kysely';
import type { Database, ParcelStatus } from '../db/schema.ts';
import { servingHub, type NetworkIndex } from '../planning/network-index.ts';
import { chunks } from '../util/chunks.ts';

/**
 * Sorts one county's received parcels into their township bin: the hub whose vans will carry them
 * (the county warehouse for the county seat and for cold-chain parcels of townships without a
 * cold-chain van). `index` is that county's network. `ids` limits the work to some parcels;
 * without it every received parcel of the county is sorted. The county filter matters at scale:
 * without it a plan's prepare step read every county's received parcels (640,000 rows per plan
 * in a 117-county run) to sort its own few thousand.
 */
export async function consolidateParcels(db: Kysely<Database>, index: NetworkIndex, countyId: string, now: string, ids?: readonly string[]): Promise<number> {
  let q = db.selectFrom('parcels').select(['id', 'station_code', 'cold_chain']).where('status', '=', 'received').where('county_id', '=', countyId);
  if (ids) {
    if (ids.length === 0) return 0;
    q = q.where('id', 'in', [...ids]);
  }
  const rows = await q.execute();
  if (rows.length === 0) return 0;
  const byHub = new Map<string, string[]>();
  for (const r of rows) {
    const st = index.stations.get(r.station_code);
    if (!st) continue; // intake only accepts known stations; a station removed since stays received and visible
    const hub = servingHub(index, st, r.cold_chain !== 0);
    const list = byHub.get(hub) ?? [];
    list.push(r.id);
    byHub.set(hub, list);
  }
  let sorted = 0;
  await db.transaction().execute(async (trx) => {
    for (const [hubId, list] of byHub) {
      for (const part of chunks(list, 500)) {
        const res = await trx
          .updateTable('parcels')
          .set({ status: 'sorted', hub_id: hubId, updated_at: now })
          .where('id', 'in', part)
          .where('status', '=', 'received')
          .executeTakeFirst();
        sorted += Number(res.numUpdatedRows);
        await trx
          .insertInto('parcel_events')
          .values(part.map((id) => ({ id: `${id}-sorted`, parcel_id: id, type: 'sorted', at: now, details_json: JSON.stringify({ hub_id: hubId }) })))
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
      }
    }
  });
  return sorted;
}

/** The counties that have parcels among `ids` still waiting to be sorted. */
export async function countiesWithReceived(db: Kysely<Database>, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('parcels').select('county_id').distinct().where('status', '=', 'received').where('id', 'in', [...ids]).execute();
  return rows.map((r) => r.county_id).sort();
}

/** The oldest parcels still waiting to be sorted. */
export async function receivedParcelIds(db: Kysely<Database>, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('parcels').select('id').where('status', '=', 'received').orderBy('received_at').limit(limit).execute();
  return rows.map((r) => r.id);
}

export async function parcelStatus(db: Kysely<Database>, parcelId: string): Promise<ParcelStatus | undefined> {
  return (await db.selectFrom('parcels').select(['status']).where('id', '=', parcelId).executeTakeFirst())?.status;
}
