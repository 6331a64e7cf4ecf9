/**
 * Fixing the map (issue 15 item 2): a dispatcher moves a station to its true position, and every
 * move is kept — who, when, from where to where, the quality before and after, and why. The
 * station's own `coord_quality` (known / estimated / corrected, since the network migration) says
 * what the position is now; this table says how it got there. Rows are never updated or deleted.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('station_moves')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('county_id', 'text', (c) => c.notNull())
    .addColumn('station_code', 'text', (c) => c.notNull())
    /** 1, 2, … per station: the order of its moves, also when two land within one clock tick. */
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('moved_at', 'text', (c) => c.notNull())
    /** The API key that moved it (api_keys.id). */
    .addColumn('moved_by', 'text', (c) => c.notNull())
    .addColumn('from_lat', 'double precision', (c) => c.notNull())
    .addColumn('from_lon', 'double precision', (c) => c.notNull())
    .addColumn('from_quality', 'text', (c) => c.notNull())
    .addColumn('to_lat', 'double precision', (c) => c.notNull())
    .addColumn('to_lon', 'double precision', (c) => c.notNull())
    .addColumn('to_quality', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  // Unique: two dispatchers moving one station at once cannot both write move n.
  await db.schema.createIndex('station_moves_station_seq_uq').unique().on('station_moves').columns(['station_code', 'seq']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('station_moves').execute();
}
