/** Shared set-up for the planning integration tests: a seeded SQLite database and a generated day. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../src/db/test-database.ts';
import type { Database } from '../../../src/db/schema.ts';
import { generateDay } from '../../../src/demo/generate.ts';
import { loadNetwork, networkRows, seedNetwork } from '../../../src/network/index.ts';
import { chunks } from '../../../src/util/chunks.ts';
import type { PlanDeps } from '../../../src/pipeline/plan.steps.ts';
import { haversineSource } from '../../../src/geo/matrix.ts';
import { TEST_SETTINGS } from '../../support/config.ts';
import type { SolverPool } from '../../../src/solver-host/solver-pool.ts';
import type { Destination } from '../../../src/parcels/parcel.schemas.ts';

export const SERVICE_DATE = '2031-06-02';
/** Received the evening before the service date's 06:00 (UTC+8) cut-off. */
export const RECEIVED_AT = '2031-06-01T10:00:00.000Z';

export async function seededDatabase(): Promise<TestDatabase> {
  const t = await createTestDatabase('sqlite');
  await seedNetwork(t.db, loadNetwork());
  return t;
}

/** Inserts a generated day straight into the tables (intake is tested elsewhere). */
export async function insertDay(
  db: Kysely<Database>,
  parcels: number,
  seed: number,
  at: { readonly receivedAt: string; readonly serviceDate: string } = { receivedAt: RECEIVED_AT, serviceDate: SERVICE_DATE },
): Promise<{ parcelIds: string[]; pickupIds: string[] }> {
  const RECEIVED = at.receivedAt;
  const rows = networkRows(loadNetwork());
  const day = generateDay(rows.stations, rows.couriers.map((c) => c.code), { parcels, seed, readyDate: at.serviceDate });
  const parcelRows = [...day.parcels.entries()].flatMap(([courier, list]) =>
    list.map((p) => {
      const [l, w, h] = p.dimensionsCm!;
      return {
        id: randomUUID(),
        courier_code: courier,
        waybill: p.waybill,
        station_code: stationCodeOf(p.destination),
        destination_json: JSON.stringify(p.destination),
        weight_g: p.weightG,
        length_cm: l,
        width_cm: w,
        height_cm: h,
        volume_cm3: Math.round(l * w * h),
        cold_chain: p.coldChain ? 1 : 0,
        fragile: 0,
        cod_amount_fen: 0,
        recipient_name: 'x',
        recipient_phone: '13800000000',
        promised_date: null,
        body_hash: 'h',
        status: 'received' as const,
        hub_id: null,
        plan_id: null,
        stop_id: null,
        received_at: RECEIVED,
        updated_at: RECEIVED,
      };
    }),
  );
  for (const part of chunks(parcelRows, 300)) await db.insertInto('parcels').values(part).execute();
  const pickupRows = day.pickups.map((p) => ({
    id: randomUUID(),
    courier_code: p.courier,
    station_code: p.body.station.stationCode,
    shipper_name: 'x',
    shipper_phone: '13900000000',
    description: p.body.description,
    weight_g: p.body.weightG,
    volume_cm3: p.body.volumeCm3,
    pieces: p.body.pieces,
    cold_chain: p.body.coldChain ? 1 : 0,
    ready_date: at.serviceDate,
    body_hash: 'h',
    status: 'requested' as const,
    plan_id: null,
    stop_id: null,
    created_at: RECEIVED,
    updated_at: RECEIVED,
  }));
  for (const part of chunks(pickupRows, 300)) await db.insertInto('pickups').values(part).execute();
  return { parcelIds: parcelRows.map((r) => r.id), pickupIds: pickupRows.map((r) => r.id) };
}

export function testDeps(db: Kysely<Database>, pool: SolverPool, over: Partial<PlanDeps> = {}): PlanDeps {
  return {
    db,
    solve: pool.solve,
    roadSource: haversineSource(1.3),
    settings: TEST_SETTINGS,
    timeLimitMs: 100,
    savings: false,
    // The plan runs "now" = just after the day's parcels arrived, before the cut-off.
    now: () => new Date('2031-06-01T12:00:00.000Z'),
    ...over,
  };
}

/** The demo generator gives every parcel its station code. */
function stationCodeOf(d: Destination): string {
  if (d.stationCode === undefined) throw new Error(`a demo parcel without a station code: ${JSON.stringify(d)}`);
  return d.stationCode;
}
