/**
 * The `consolidate` queue's processor: sorts an accepted parcel into its township bin (hub_id,
 * status received → sorted, a `sorted` event).
 *
 * Intake enqueues one `parcels` job per committed transaction, listing the parcels it committed
 * (up to 1,000): the job sorts those still `received` in one transaction. A `parcel` job (one
 * parcel, as intake enqueued them before grouping; outbox rows or queued jobs of that kind may
 * still be around after an upgrade) sorts every received parcel (up to a batch) in one
 * transaction, so the jobs behind it find their parcel already sorted and finish at once. The
 * update is conditional on `status = 'received'`, so two workers never sort a parcel twice, and a
 * job run again (retry, relayed twice) sorts nothing more.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { indexNetwork, type NetworkIndex } from '../planning/network-index.ts';
import { ConsolidatePayload } from '../queue/queues.ts';
import { loadPlanningNetwork } from '../plans/plan.repository.ts';
import { consolidateParcels, countiesWithReceived, parcelStatus, receivedParcelIds } from './consolidation.repository.ts';

export interface ConsolidateDeps {
  readonly db: Kysely<Database>;
  readonly now?: () => Date;
  /** How long the network index is reused before re-reading it (default 10 s). */
  readonly networkTtlMs?: number;
  readonly batchSize?: number;
}

export function createConsolidateProcessor(deps: ConsolidateDeps): (job: Job) => Promise<unknown> {
  // One index per county, read when a job first has parcels of that county: each county sorts
  // the parcels to its own stations. Only the counties a job's parcels belong to are visited (a
  // province has a hundred counties; a job's parcels come from one courier request, mostly one).
  const cached = new Map<string, { index: NetworkIndex; at: number }>();
  const indexOf = async (countyId: string): Promise<NetworkIndex> => {
    const hit = cached.get(countyId);
    if (hit && Date.now() - hit.at <= (deps.networkTtlMs ?? 10_000)) return hit.index;
    const index = indexNetwork(await loadPlanningNetwork(deps.db, countyId));
    cached.set(countyId, { index, at: Date.now() });
    return index;
  };
  const sortAll = async (now: string, ids: readonly string[]): Promise<number> => {
    let sorted = 0;
    for (const countyId of await countiesWithReceived(deps.db, ids)) sorted += await consolidateParcels(deps.db, await indexOf(countyId), countyId, now, ids);
    return sorted;
  };
  // One bulk sort at a time per process: concurrent jobs would otherwise all sort the same rows.
  let sorting: Promise<number> | undefined;
  const sortPending = async (first: string): Promise<number> => {
    const now = (deps.now ?? (() => new Date()))().toISOString();
    const pending = await receivedParcelIds(deps.db, deps.batchSize ?? 2000);
    const ids = [...new Set([first, ...pending])];
    return sortAll(now, ids);
  };
  return async (job: Job) => {
    const parsed = ConsolidatePayload.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid consolidate payload: ${parsed.error.issues[0]?.message ?? 'bad data'}`);
    const payload = parsed.data;
    if (payload.kind === 'pickup') {
      // Pickups need no sorting: they are collected at their station by that hub's vans.
      return { pickup: payload.pickupId };
    }
    if (payload.kind === 'parcels') {
      const now = (deps.now ?? (() => new Date()))().toISOString();
      return { sorted: await sortAll(now, payload.parcelIds) };
    }
    const status = () => parcelStatus(deps.db, payload.parcelId);
    let current = await status();
    if (current === undefined) throw new UnrecoverableError(`parcel ${payload.parcelId} does not exist`);
    while (current === 'received' && sorting) {
      await sorting.catch(() => 0);
      current = await status();
    }
    if (current !== 'received') return { sorted: 0 };
    sorting = sortPending(payload.parcelId);
    try {
      return { sorted: await sorting };
    } finally {
      sorting = undefined;
    }
  };
}
