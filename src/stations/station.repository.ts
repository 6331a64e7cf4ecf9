/**
 * Station records the dispatchers keep: today the station keeper (站长) and their phone.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
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
