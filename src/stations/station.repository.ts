/**
 * Station records the dispatchers keep: the station keeper (站长) and their phone, and the
 * station's true position when the county's estimate was wrong (with its audit trail).
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { isUniqueViolation } from '../db/database.ts';
import type { CoordQuality, Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';

export interface StationKeeper {
  readonly code: string;
  readonly name: string;
  readonly keeperName: string | null;
  readonly keeperPhone: string | null;
}

/** Sets the fields given (null clears one); 404 for an unknown station. */
export async function updateStationKeeper(db: Kysely<Database>, code: string, patch: { keeperName?: string | null; keeperPhone?: string | null }): Promise<StationKeeper> {
  const set: { keeper_name?: string | null; keeper_phone?: string | null } = {};
  if (patch.keeperName !== undefined) set.keeper_name = patch.keeperName;
  if (patch.keeperPhone !== undefined) set.keeper_phone = patch.keeperPhone;
  if (Object.keys(set).length > 0) await db.updateTable('stations').set(set).where('code', '=', code).execute();
  const row = await db.selectFrom('stations').select(['code', 'name', 'keeper_name', 'keeper_phone']).where('code', '=', code).executeTakeFirst();
  if (!row) throw new AppError('not_found', `no station ${code}`);
  return { code: row.code, name: row.name, keeperName: row.keeper_name, keeperPhone: row.keeper_phone };
}

export interface StationPosition {
  readonly lat: number;
  readonly lon: number;
  readonly quality: CoordQuality;
}

export interface StationMove {
  readonly id: string;
  readonly stationCode: string;
  readonly movedAt: string;
  readonly movedBy: string;
  readonly from: StationPosition;
  readonly to: StationPosition;
  readonly reason: string;
}

/**
 * Moves a station to a corrected position (WGS84) and records the move, in one transaction: the
 * station row and its audit row are written together or not at all. `counties` limits the stations
 * a caller may move (undefined = every county); a station outside them is "not found".
 */
export async function moveStation(
  db: Kysely<Database>,
  code: string,
  move: { readonly lat: number; readonly lon: number; readonly reason: string; readonly movedBy: string; readonly at: Date; readonly counties?: readonly string[] | undefined },
): Promise<StationMove> {
  try {
    return await writeMove(db, code, move);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', `station ${code} was moved by someone else at the same moment; reload it and move it again`);
    throw err;
  }
}

async function writeMove(
  db: Kysely<Database>,
  code: string,
  move: { readonly lat: number; readonly lon: number; readonly reason: string; readonly movedBy: string; readonly at: Date; readonly counties?: readonly string[] | undefined },
): Promise<StationMove> {
  return db.transaction().execute(async (trx) => {
    let q = trx.selectFrom('stations').select(['code', 'county_id', 'lat', 'lon', 'coord_quality']).where('code', '=', code);
    if (move.counties) q = move.counties.length === 0 ? q.where(sql<boolean>`1 = 0`) : q.where('county_id', 'in', move.counties);
    const row = await q.executeTakeFirst();
    if (!row) throw new AppError('not_found', `no station ${code}`);
    const id = randomUUID();
    const last = await trx.selectFrom('station_moves').select((eb) => eb.fn.max('seq').as('seq')).where('station_code', '=', code).executeTakeFirst();
    const seq = Number(last?.seq ?? 0) + 1;
    const to: StationPosition = { lat: move.lat, lon: move.lon, quality: 'corrected' };
    await trx.updateTable('stations').set({ lat: to.lat, lon: to.lon, coord_quality: to.quality }).where('code', '=', code).execute();
    const movedAt = move.at.toISOString();
    await trx
      .insertInto('station_moves')
      .values({ id, county_id: row.county_id, station_code: code, seq, moved_at: movedAt, moved_by: move.movedBy, from_lat: row.lat, from_lon: row.lon, from_quality: row.coord_quality, to_lat: to.lat, to_lon: to.lon, to_quality: to.quality, reason: move.reason })
      .execute();
    return { id, stationCode: code, movedAt, movedBy: move.movedBy, from: { lat: row.lat, lon: row.lon, quality: row.coord_quality }, to, reason: move.reason };
  });
}

/** A station's moves, oldest first; 404 for an unknown station (or one outside `counties`). */
export async function stationMoves(db: Kysely<Database>, code: string, counties?: readonly string[]): Promise<StationMove[]> {
  let q = db.selectFrom('stations').select('code').where('code', '=', code);
  if (counties) q = counties.length === 0 ? q.where(sql<boolean>`1 = 0`) : q.where('county_id', 'in', counties);
  if (!(await q.executeTakeFirst())) throw new AppError('not_found', `no station ${code}`);
  const rows = await db.selectFrom('station_moves').selectAll().where('station_code', '=', code).orderBy('seq').execute();
  return rows.map((r) => ({
    id: r.id,
    stationCode: r.station_code,
    movedAt: r.moved_at,
    movedBy: r.moved_by,
    from: { lat: r.from_lat, lon: r.from_lon, quality: r.from_quality },
    to: { lat: r.to_lat, lon: r.to_lon, quality: r.to_quality },
    reason: r.reason,
  }));
}

/** The station's position and its quality. */
export async function stationPosition(db: Kysely<Database>, code: string): Promise<StationPosition | undefined> {
  const row = await db.selectFrom('stations').select(['lat', 'lon', 'coord_quality']).where('code', '=', code).executeTakeFirst();
  return row ? { lat: row.lat, lon: row.lon, quality: row.coord_quality } : undefined;
}
