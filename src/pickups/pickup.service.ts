/**
 * Pickup intake: same durability rule as parcels (row + outbox row in one transaction).
 */
import { uuid7 } from '../parcels/uuid7.ts';
import { sql, type Kysely, type Transaction } from 'kysely';
import { isUniqueViolation } from '../db/database.ts';
import type { Database, NewPickupRow, PickupRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { DestinationResolver } from '../geo/destination-resolver.ts';
import { parsedBodyHash } from '../http/body-hash.ts';
import { consolidateOutboxRow } from '../queue/outbox.ts';
import { resolveOrDetail } from '../parcels/parcel.service.ts';
import type { CreatePickup, Pickup } from './pickup.schemas.ts';

export interface PickupServiceDeps {
  readonly db: Kysely<Database>;
  readonly resolveDestination: DestinationResolver;
  readonly onOutboxWritten?: () => void;
}

export function toPickupView(row: PickupRow): Pickup {
  return {
    id: row.id,
    courier: row.courier_code,
    stationCode: row.station_code,
    status: row.status,
    weightG: row.weight_g,
    volumeCm3: row.volume_cm3,
    pieces: row.pieces,
    coldChain: row.cold_chain === 1,
    readyDate: row.ready_date,
    description: row.description,
    reference: row.reference,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface CreatedPickup {
  readonly pickup: Pickup;
  /** False when `reference` named a pickup already made from the same body (a retry). */
  readonly created: boolean;
}

export async function createPickup(deps: PickupServiceDeps, courierCode: string | null, input: CreatePickup, counties?: readonly string[]): Promise<CreatedPickup> {
  const r = resolveOrDetail(deps.resolveDestination, input.station, 'station', counties);
  if ('detail' in r) throw new AppError('unprocessable', 'the pickup station could not be resolved', [r.detail]);
  const now = new Date().toISOString();
  const row: NewPickupRow & PickupRow = {
    id: uuid7(),
    county_id: r.countyId,
    courier_code: courierCode,
    station_code: r.stationCode,
    shipper_name: input.shipper.name,
    shipper_phone: input.shipper.phone,
    description: input.description ?? null,
    reference: input.reference ?? null,
    weight_g: input.weightG ?? Math.round(input.weightKg! * 1000),
    volume_cm3: input.volumeCm3 ?? Math.max(1, Math.round(input.volumeM3! * 1_000_000)),
    pieces: input.pieces,
    cold_chain: input.coldChain ? 1 : 0,
    ready_date: input.readyDate,
    body_hash: parsedBodyHash(input),
    status: 'requested',
    plan_id: null,
    stop_id: null,
    created_at: now,
    updated_at: now,
  };
  const write = () =>
    deps.db.transaction().execute(async (trx): Promise<CreatedPickup> => {
      const earlier = row.reference === null ? undefined : await pickupByReference(trx, courierCode, row.reference);
      if (earlier !== undefined) {
        if (earlier.body_hash !== row.body_hash) {
          throw new AppError('conflict', `pickup reference ${row.reference} was already used with different contents`, [
            { path: 'reference', message: `already names pickup ${earlier.id}` },
          ]);
        }
        return { pickup: toPickupView(earlier), created: false };
      }
      await trx.insertInto('pickups').values(row).execute();
      await trx.insertInto('outbox').values(consolidateOutboxRow({ kind: 'pickup', pickupId: row.id }, now)).execute();
      return { pickup: toPickupView(row), created: true };
    });
  let result: CreatedPickup;
  try {
    result = await write();
  } catch (err) {
    // Two requests with the same reference raced (another process, or PostgreSQL's concurrent
    // transactions): the loser reads the winner's row and answers as a retry would.
    if (row.reference === null || !isUniqueViolation(err)) throw err;
    result = await write();
  }
  if (result.created) deps.onOutboxWritten?.();
  return result;
}

function pickupByReference(trx: Transaction<Database>, courierCode: string | null, reference: string): Promise<PickupRow | undefined> {
  // The same expression as pickups_reference_idx, so the lookup is an index seek.
  return trx
    .selectFrom('pickups')
    .selectAll()
    .where(sql<string>`coalesce(courier_code, '')`, '=', courierCode ?? '')
    .where('reference', '=', reference)
    .executeTakeFirst();
}

/** A courier sees only its own pickups (others are 404); dispatchers and admins see all. */
/** `counties`: the key's counties (undefined: every county); another county's pickup is a 404 like an unknown one. */
export async function getPickup(db: Kysely<Database>, courierCode: string | null, id: string, counties?: readonly string[]): Promise<Pickup> {
  let q = db.selectFrom('pickups').selectAll().where('id', '=', id);
  if (courierCode !== null) q = q.where('courier_code', '=', courierCode);
  if (counties !== undefined) q = q.where('county_id', 'in', [...counties]);
  const row = await q.executeTakeFirst();
  if (row === undefined) throw new AppError('not_found', `no pickup ${id}`);
  return toPickupView(row);
}
