/**
 * Outbox rows: written in the same transaction as the parcel or pickup they announce, so a
 * committed parcel always has its consolidation job recorded, whatever Redis is doing.
 */
import type { Insertable } from 'kysely';
import type { OutboxTable } from '../db/schema.ts';
import { CONSOLIDATE_JOBS, MAX_PARCELS_PER_CONSOLIDATE_JOB, QUEUE_NAMES, consolidateJobId, type ConsolidatePayload } from './queues.ts';

export function consolidateOutboxRow(payload: ConsolidatePayload, now: string): Insertable<OutboxTable> {
  return {
    queue: QUEUE_NAMES.consolidate,
    job_name: CONSOLIDATE_JOBS[payload.kind],
    job_id: consolidateJobId(payload),
    payload_json: JSON.stringify(payload),
    created_at: now,
    relayed_at: null,
    attempts: 0,
    last_error: null,
  };
}

/**
 * The outbox rows announcing parcels committed together: one `parcels` job per
 * MAX_PARCELS_PER_CONSOLIDATE_JOB ids, in commit order.
 */
export function consolidateParcelsOutboxRows(parcelIds: readonly string[], now: string): Insertable<OutboxTable>[] {
  const rows: Insertable<OutboxTable>[] = [];
  for (let i = 0; i < parcelIds.length; i += MAX_PARCELS_PER_CONSOLIDATE_JOB) {
    rows.push(consolidateOutboxRow({ kind: 'parcels', parcelIds: parcelIds.slice(i, i + MAX_PARCELS_PER_CONSOLIDATE_JOB) }, now));
  }
  return rows;
}
