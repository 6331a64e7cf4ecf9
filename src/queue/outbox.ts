/**
 * Outbox rows: written in the same transaction as the parcel, pickup, plan request or delivery
 * event they announce, so a committed change always has its job recorded, whatever Redis is doing.
 */
import type { Insertable } from 'kysely';
import type { OutboxTable } from '../db/schema.ts';
import { CONSOLIDATE_JOBS, MAX_PARCELS_PER_CONSOLIDATE_JOB, NOTIFY_JOBS, QUEUE_NAMES, consolidateJobId, notifyJobId, type ConsolidatePayload, type NotifyPayload, type QueueName } from './queues.ts';

/** A job to hand to a queue once the transaction that wrote it commits. */
export interface OutboxJob {
  readonly queue: QueueName;
  readonly name: string;
  /** Deterministic, so a job relayed twice exists once in BullMQ. */
  readonly id: string;
  readonly payload: unknown;
}

/** The one outbox-row builder: every row, whatever its queue, is made here. */
export function outboxRow(job: OutboxJob, now: string): Insertable<OutboxTable> {
  return {
    queue: job.queue,
    job_name: job.name,
    job_id: job.id,
    payload_json: JSON.stringify(job.payload),
    created_at: now,
    relayed_at: null,
    attempts: 0,
    last_error: null,
  };
}

export function consolidateOutboxRow(payload: ConsolidatePayload, now: string): Insertable<OutboxTable> {
  return outboxRow({ queue: QUEUE_NAMES.consolidate, name: CONSOLIDATE_JOBS[payload.kind], id: consolidateJobId(payload), payload }, now);
}

/** A courier's webhook notification for a parcel or pickup status change. */
export function notifyOutboxRow(payload: NotifyPayload, now: string): Insertable<OutboxTable> {
  return outboxRow({ queue: QUEUE_NAMES.notify, name: payload.kind === 'parcel' ? NOTIFY_JOBS.parcel : NOTIFY_JOBS.pickup, id: notifyJobId(payload), payload }, now);
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
