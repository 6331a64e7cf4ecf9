/**
 * The group writer against real databases: a write issued while kysely holds a transaction open
 * on the same SQLite connection must not join (and be rolled back with) that transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../src/db/test-database.ts';
import { parsedBodyHash } from '../../../src/http/body-hash.ts';
import { ParcelWriter, type WriteItem } from '../../../src/parcels/parcel-writer.ts';
import { CreateParcel } from '../../../src/parcels/parcel.schemas.ts';
import { STATIONS, parcel, seedFixtureNetwork } from './helpers.ts';

function item(): WriteItem {
  const input = CreateParcel.parse(parcel());
  return { input, hash: parsedBodyHash(input), stationCode: STATIONS.guocun, detail: (message) => ({ path: 'waybill', message }) };
}

describe.each(testDialects())('parcel writer on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedFixtureNetwork(t.db);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('commits independently of a transaction another part of the process has open', async () => {
    const writer = new ParcelWriter(t.db);
    const it1 = item();
    let pending: Promise<unknown> | undefined;
    await expect(
      t.db.transaction().execute(async (trx) => {
        await trx.selectFrom('parcels').select('id').execute();
        pending = writer.write('ZTO', [it1]);
        await new Promise((r) => setTimeout(r, 50));
        throw new Error('outer transaction rolls back');
      }),
    ).rejects.toThrow('outer transaction rolls back');
    const outcome = (await pending) as { created: number };
    expect(outcome.created).toBe(1);
    const row = await t.db.selectFrom('parcels').select(['waybill', 'status']).where('waybill', '=', it1.input.waybill).executeTakeFirst();
    expect(row).toEqual({ waybill: it1.input.waybill, status: 'received' });
    const outbox = await t.db.selectFrom('outbox').select('job_id').execute();
    expect(outbox).toHaveLength(1);
  });

  it('groups concurrent requests and keeps each one all-or-nothing', async () => {
    const writer = new ParcelWriter(t.db);
    const a = item();
    const b = item();
    const clash = { ...a, hash: 'different' };
    const results = await Promise.allSettled([writer.write('ZTO', [a]), writer.write('ZTO', [b, clash]), writer.write('YTO', [a]), writer.write('ZTO', [a])]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[3] as PromiseFulfilledResult<{ created: number }>).value.created).toBe(0);
    const rows = await t.db.selectFrom('parcels').select(['courier_code', 'waybill']).where('waybill', 'in', [a.input.waybill, b.input.waybill]).orderBy('courier_code').execute();
    expect(rows).toEqual([
      { courier_code: 'YTO', waybill: a.input.waybill },
      { courier_code: 'ZTO', waybill: a.input.waybill },
    ]);
  });
});
