/**
 * Outbox rows: written in the same transaction as the parcel or pickup they announce, so a
 * committed parcel always has its consolidation job recorded, whatever Redis is doing.
 */
import type { Insertable } from 'kysely';
import type { OutboxTable } from '../db/schema.ts';
import { CONSOLIDATE_JOBS, QUEUE_NAMES, consolidateJobId, type ConsolidatePayload } from './queues.ts';

export function consolidateOutboxRow(payload: ConsolidatePayload, now: string): Insertable<OutboxTable> {
  return {
    queue: QUEUE_NAMES.consolidate,
    job_name: payload.kind === 'parcel' ? CONSOLIDATE_JOBS.parcel : CONSOLIDATE_JOBS.pickup,
    job_id: consolidateJobId(payload),
    payload_json: JSON.stringify(payload),
    created_at: now,
    relayed_at: null,
    attempts: 0,
    last_error: null,
  };
}
