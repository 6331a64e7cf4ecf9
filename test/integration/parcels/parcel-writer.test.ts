/**
 * The group writer against real databases: a write issued while kysely holds a transaction open
 * on the same SQLite connection must not join (and be rolled back with) that transaction; one
 * consolidate outbox row per transaction lists every parcel it committed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../src/db/test-database.ts';
import { parsedBodyHash } from '../../../src/http/body-hash.ts';
import { ParcelWriter, type WriteItem } from '../../../src/parcels/parcel-writer.ts';
import { CreateParcel } from '../../../src/parcels/parcel.schemas.ts';
import { ConsolidatePayload } from '../../../src/queue/queues.ts';
import { STATIONS, parcel, seedFixtureNetwork } from '../http/helpers.ts';

function item(): WriteItem {
  const input = CreateParcel.parse(parcel());
  return { input, hash: parsedBodyHash(input), stationCode: STATIONS.guocun, countyId: '140430', detail: (message) => ({ path: 'waybill', message }) };
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

  it('writes one consolidate outbox row per transaction, listing every parcel it committed', async () => {
    const writer = new ParcelWriter(t.db);
    const before = await t.db.selectFrom('outbox').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
    const requests = [[item(), item()], [item()], [item(), item(), item()]];
    const outcomes = await Promise.all(requests.map((items, i) => writer.write(i === 1 ? 'YTO' : 'ZTO', items)));
    expect(outcomes.map((o) => o.created)).toEqual([2, 1, 3]);
    const ids = requests.flatMap((items, i) => items.map((it) => outcomes[i]!.views.get(it.input.waybill)!.id));
    const rows = await t.db
      .selectFrom('outbox')
      .select(['queue', 'job_name', 'job_id', 'payload_json'])
      .where('id', '>', Number(before?.id ?? 0))
      .execute();
    // The three requests arrived in the same turn of the event loop: one transaction, one job.
    expect(rows).toEqual([{ queue: 'consolidate', job_name: 'parcels', job_id: `parcels-${ids[0]}`, payload_json: JSON.stringify({ kind: 'parcels', parcelIds: ids }) }]);
    expect(ConsolidatePayload.parse(JSON.parse(rows[0]!.payload_json))).toEqual({ kind: 'parcels', parcelIds: ids });
  });

  it('splits a transaction of more than 1,000 parcels into jobs of at most 1,000', async () => {
    const writer = new ParcelWriter(t.db);
    const before = await t.db.selectFrom('outbox').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
    const requests = [Array.from({ length: 1_000 }, item), Array.from({ length: 500 }, item)];
    const outcomes = await Promise.all(requests.map((items) => writer.write('ZTO', items)));
    const ids = requests.flatMap((items, i) => items.map((it) => outcomes[i]!.views.get(it.input.waybill)!.id));
    const rows = await t.db.selectFrom('outbox').select(['job_id', 'payload_json']).where('id', '>', Number(before?.id ?? 0)).orderBy('id').execute();
    const lists = rows.map((r) => (ConsolidatePayload.parse(JSON.parse(r.payload_json)) as { parcelIds: string[] }).parcelIds);
    expect(lists.map((l) => l.length)).toEqual([1_000, 500]);
    // A large request is handed to the writer a slice at a time, so a small one sent with it may
    // be queued first: the jobs list every parcel once, in the order of the transaction.
    expect([...lists.flat()].sort()).toEqual([...ids].sort());
    expect(rows.map((r) => r.job_id)).toEqual(lists.map((l) => `parcels-${l[0]}`));
  });

  it('two writers (two API processes) racing on the same waybills store each parcel once: a replay is 0 created, a changed body a conflict', async () => {
    const first = new ParcelWriter(t.db);
    const second = new ParcelWriter(t.db);
    const same = Array.from({ length: 20 }, item);
    const changed = item();
    const [a, b, c, d] = await Promise.allSettled([
      first.write('ZTO', same),
      second.write('ZTO', same),
      first.write('ZTO', [changed]),
      second.write('ZTO', [{ ...changed, hash: 'different' }]),
    ]);
    expect([a.status, b.status]).toEqual(['fulfilled', 'fulfilled']);
    const created = [a, b].map((r) => (r as PromiseFulfilledResult<{ created: number }>).value.created).sort((x, y) => x - y);
    expect(created).toEqual([0, 20]);
    // Whichever commits first wins; the other request is rejected whole, with a 409.
    expect([c.status, d.status].sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = [c, d].find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ type: 'conflict' });
    const rows = await t.db
      .selectFrom('parcels')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('waybill', 'in', [...same, changed].map((it) => it.input.waybill))
      .executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(21);
    const events = await t.db
      .selectFrom('parcel_events')
      .innerJoin('parcels', 'parcels.id', 'parcel_events.parcel_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('parcels.waybill', 'in', [...same, changed].map((it) => it.input.waybill))
      .executeTakeFirstOrThrow();
    expect(Number(events.n)).toBe(21);
  });
});
