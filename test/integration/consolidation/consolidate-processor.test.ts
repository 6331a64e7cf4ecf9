/**
 * The consolidate processor on grouped jobs (`{kind: 'parcels', parcelIds}`, one per intake
 * transaction): it sorts exactly the parcels it lists, and a job delivered again (a BullMQ retry,
 * or the relay adding the same outbox row twice) changes nothing more.
 */
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../../src/db/test-database.ts';
import { createConsolidateProcessor } from '../../../src/consolidation/consolidate.processor.ts';
import type { ConsolidatePayload } from '../../../src/queue/queues.ts';
import { consolidateParcels } from '../../../src/consolidation/consolidation.repository.ts';
import { importNetwork } from '../../../src/network/import.ts';
import { syntheticCounty } from '../../../src/network/synthetic.ts';
import { indexNetwork } from '../../../src/planning/network-index.ts';
import { loadPlanningNetwork } from '../../../src/plans/plan.repository.ts';
import { insertDay, seededDatabase } from '../pipeline/helpers.ts';

const job = (data: ConsolidatePayload | Record<string, unknown>): Job => ({ data }) as unknown as Job;

describe('consolidate processor, grouped jobs', () => {
  let t: TestDatabase;
  let parcelIds: string[];
  beforeAll(async () => {
    t = await seededDatabase();
    ({ parcelIds } = await insertDay(t.db, 60, 7));
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const statuses = async (ids: readonly string[]) =>
    (await t.db.selectFrom('parcels').select(['id', 'status', 'hub_id']).where('id', 'in', [...ids]).execute()).map((r) => [r.status, r.hub_id !== null]);

  it('sorts the listed parcels, and only those, with one sorted event each; again is a no-op', async () => {
    const process = createConsolidateProcessor({ db: t.db });
    const first = parcelIds.slice(0, 25);
    const rest = parcelIds.slice(25);
    expect(await process(job({ kind: 'parcels', parcelIds: first }))).toEqual({ sorted: 25 });
    expect(await statuses(first)).toEqual(first.map(() => ['sorted', true]));
    expect(await statuses(rest)).toEqual(rest.map(() => ['received', false]));

    // Delivered again: nothing left to sort, no second event.
    expect(await process(job({ kind: 'parcels', parcelIds: first }))).toEqual({ sorted: 0 });
    const events = await t.db.selectFrom('parcel_events').select('parcel_id').where('type', '=', 'sorted').execute();
    expect(events.map((e) => e.parcel_id).sort()).toEqual([...first].sort());

    // Two groups at once (worker concurrency), one of them overlapping an already sorted parcel.
    const [a, b] = await Promise.all([
      process(job({ kind: 'parcels', parcelIds: [first[0]!, ...rest.slice(0, 20)] })),
      process(job({ kind: 'parcels', parcelIds: rest.slice(20) })),
    ]);
    expect([a, b]).toEqual([{ sorted: 20 }, { sorted: rest.length - 20 }]);
    expect(await statuses(parcelIds)).toEqual(parcelIds.map(() => ['sorted', true]));
    expect(await t.db.selectFrom('parcel_events').select('id').where('type', '=', 'sorted').execute()).toHaveLength(parcelIds.length);
  });

  it('with two counties: a job sorts each county’s parcels to that county’s hubs; sorting one county leaves the other’s parcels alone', async () => {
    const B = '149902';
    const county = syntheticCounty({ code: B, seed: 5, townships: 2, villagesPerTownship: 4 });
    await importNetwork(t.db, county);
    const qin = await insertDay(t.db, 8, 11);
    const bStations = (await t.db.selectFrom('stations').select('code').where('county_id', '=', B).orderBy('code').execute()).map((r) => r.code);
    const template = await t.db.selectFrom('parcels').selectAll().where('id', '=', qin.parcelIds[0]!).executeTakeFirstOrThrow();
    const bIds = bStations.slice(0, 6).map((_, i) => `${template.id}-b${i}`);
    await t.db
      .insertInto('parcels')
      .values(bIds.map((id, i) => ({ ...template, id, waybill: `${template.waybill}-b${i}`, station_code: bStations[i]!, county_id: B })))
      .execute();
    const hubCounty = new Map((await t.db.selectFrom('hubs').select(['id', 'county_id']).execute()).map((h) => [h.id, h.county_id]));
    const countiesOfHubs = async (ids: readonly string[]) =>
      (await t.db.selectFrom('parcels').select(['status', 'hub_id']).where('id', 'in', [...ids]).execute()).map((r) => [r.status, r.hub_id === null ? null : hubCounty.get(r.hub_id)]);

    // Sorting Qin County (a plan's prepare step) touches none of county B's parcels.
    const qinIndex = indexNetwork(await loadPlanningNetwork(t.db, '140430'));
    expect(await consolidateParcels(t.db, qinIndex, '140430', new Date().toISOString())).toBe(8);
    expect(await countiesOfHubs(bIds)).toEqual(bIds.map(() => ['received', null]));

    // One job listing parcels of both counties sorts each to a hub of its own county.
    const more = await insertDay(t.db, 4, 12);
    const process = createConsolidateProcessor({ db: t.db });
    expect(await process(job({ kind: 'parcels', parcelIds: [...more.parcelIds, ...bIds] }))).toEqual({ sorted: 4 + bIds.length });
    expect(await countiesOfHubs(more.parcelIds)).toEqual(more.parcelIds.map(() => ['sorted', '140430']));
    expect(await countiesOfHubs(bIds)).toEqual(bIds.map(() => ['sorted', B]));
  });

  it('rejects a malformed group for good (no retry can fix it)', async () => {
    const process = createConsolidateProcessor({ db: t.db });
    await expect(process(job({ kind: 'parcels', parcelIds: [] }))).rejects.toMatchObject({ name: 'UnrecoverableError' });
    await expect(process(job({ kind: 'parcels', parcelIds: Array.from({ length: 1_001 }, (_, i) => `p${i}`) }))).rejects.toMatchObject({ name: 'UnrecoverableError' });
  });
});
