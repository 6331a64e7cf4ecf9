/**
 * Loads what the destination resolver needs (townships, stations) from the database once; the
 * network is reference data that changes only when it is re-seeded, so intake keeps it in memory.
 */
import type { Kysely } from 'kysely';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Database } from '../db/schema.ts';
import type { ResolverNetwork } from './destination-resolver.ts';

export async function loadResolverNetwork(
  db: Kysely<Database>,
  boundary: Feature<Polygon | MultiPolygon> | null,
): Promise<ResolverNetwork> {
  const [townships, stations] = await Promise.all([
    db.selectFrom('townships').select(['code', 'name']).orderBy('code').execute(),
    db.selectFrom('stations').select(['code', 'name', 'township_code', 'lat', 'lon']).orderBy('code').execute(),
  ]);
  return { townships, stations, boundary };
}
