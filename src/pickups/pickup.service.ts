/**
 * Pickup intake: same durability rule as parcels (row + outbox row in one transaction).
 */
import { uuid7 } from '../parcels/uuid7.ts';
import type { Kysely } from 'kysely';
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
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function createPickup(deps: PickupServiceDeps, courierCode: string | null, input: CreatePickup): Promise<Pickup> {
  const r = resolveOrDetail(deps.resolveDestination, input.station, 'station');
  if ('detail' in r) throw new AppError('unprocessable', 'the pickup station could not be resolved', [r.detail]);
  const now = new Date().toISOString();
  const row: NewPickupRow & PickupRow = {
    id: uuid7(),
    courier_code: courierCode,
    station_code: r.stationCode,
    shipper_name: input.shipper.name,
    shipper_phone: input.shipper.phone,
    description: input.description ?? null,
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
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('pickups').values(row).execute();
    await trx.insertInto('outbox').values(consolidateOutboxRow({ kind: 'pickup', pickupId: row.id }, now)).execute();
  });
  deps.onOutboxWritten?.();
  return toPickupView(row);
}

/** A courier sees only its own pickups (others are 404); dispatchers and admins see all. */
export async function getPickup(db: Kysely<Database>, courierCode: string | null, id: string): Promise<Pickup> {
  let q = db.selectFrom('pickups').selectAll().where('id', '=', id);
  if (courierCode !== null) q = q.where('courier_code', '=', courierCode);
  const row = await q.executeTakeFirst();
  if (row === undefined) throw new AppError('not_found', `no pickup ${id}`);
  return toPickupView(row);
}
