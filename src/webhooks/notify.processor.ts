/**
 * The `notify` queue's processor: one job per parcel or pickup status change (written to the
 * outbox with the change), POSTed to the courier's webhook with an HMAC-SHA256 signature.
 *
 * Anything but a 2xx answer within the timeout throws, so BullMQ retries the job with
 * exponential backoff (the job's `attempts`/`backoff` options; the outbox relay uses 5 attempts
 * from 1 s). When the last attempt fails, `deadLetter` copies the job to `notify-dead`, where it
 * stays for an operator (Bull Board) to inspect and replay. A courier without a webhook is not
 * an error: the job completes as skipped. The job reads the current rows, so the courier's
 * newest URL and secret are used even for a retry.
 */
import type { Job, Queue } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { NotifyPayload } from '../queue/queues.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signPayload } from './signature.ts';

export interface NotifyDeps {
  readonly db: Kysely<Database>;
  /** Per-attempt timeout (default 10 s). */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
}

export interface WebhookMessage {
  readonly courier: string;
  readonly body: {
    readonly id: string;
    readonly type: string;
    readonly occurredAt: string;
    readonly courier: string;
    readonly data: Record<string, unknown>;
  };
}

export type NotifyOutcome = { readonly delivered: true; readonly status: number; readonly url: string } | { readonly skipped: string };

/** The message for a job, from the current rows; null when its subject no longer exists. */
export async function buildMessage(db: Kysely<Database>, payload: NotifyPayload): Promise<WebhookMessage | null> {
  if (payload.kind === 'parcel') {
    const row = await db
      .selectFrom('parcel_events')
      .innerJoin('parcels', 'parcels.id', 'parcel_events.parcel_id')
      .select(['parcel_events.id', 'parcel_events.type', 'parcel_events.at', 'parcel_events.details_json', 'parcels.waybill', 'parcels.courier_code', 'parcels.status', 'parcels.station_code'])
      .where('parcel_events.id', '=', payload.eventId)
      .executeTakeFirst();
    if (row === undefined) return null;
    const details = row.details_json ? (JSON.parse(row.details_json) as Record<string, unknown>) : {};
    return {
      courier: row.courier_code,
      body: {
        id: row.id,
        type: `parcel.${row.type}`,
        occurredAt: row.at,
        courier: row.courier_code,
        data: {
          waybill: row.waybill,
          event: row.type,
          status: details.status ?? row.status,
          currentStatus: row.status,
          stationCode: details.station_code ?? row.station_code,
          ...(details.reason ? { reason: details.reason } : {}),
          ...(details.note ? { note: details.note } : {}),
        },
      },
    };
  }
  const row = await db
    .selectFrom('pickups')
    .innerJoin('stop_events', (j) => j.on('stop_events.id', '=', payload.stopEventId))
    .select(['pickups.id', 'pickups.courier_code', 'pickups.status', 'pickups.station_code', 'stop_events.at', 'stop_events.details_json'])
    .where('pickups.id', '=', payload.pickupId)
    .executeTakeFirst();
  if (row === undefined || row.courier_code === null) return null;
  const details = row.details_json ? (JSON.parse(row.details_json) as Record<string, unknown>) : {};
  return {
    courier: row.courier_code,
    body: {
      id: `${payload.stopEventId}-${payload.pickupId}`,
      type: `pickup.${payload.status}`,
      occurredAt: row.at,
      courier: row.courier_code,
      data: { pickupId: row.id, status: payload.status, currentStatus: row.status, stationCode: row.station_code, ...(details.reason ? { reason: details.reason } : {}) },
    },
  };
}

export function createNotifyProcessor(deps: NotifyDeps): (job: Job) => Promise<NotifyOutcome> {
  const doFetch = deps.fetch ?? fetch;
  return async (job) => {
    const parsed = NotifyPayload.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid notify payload: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
    const message = await buildMessage(deps.db, parsed.data);
    if (message === null) return { skipped: 'the event or its parcel no longer exists' };
    const courier = await deps.db.selectFrom('couriers').select(['webhook_url', 'webhook_secret']).where('code', '=', message.courier).executeTakeFirst();
    if (!courier?.webhook_url || !courier.webhook_secret) return { skipped: 'the courier has no webhook' };
    const body = JSON.stringify(message.body);
    const timestamp = Math.floor((deps.now ?? (() => new Date()))().getTime() / 1000);
    let res: Response;
    try {
      res = await doFetch(courier.webhook_url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'gongpei-webhooks/0.1',
          'x-gongpei-event': message.body.type,
          'x-gongpei-delivery': message.body.id,
          'x-gongpei-attempt': String(job.attemptsMade + 1),
          [TIMESTAMP_HEADER.toLowerCase()]: String(timestamp),
          [SIGNATURE_HEADER.toLowerCase()]: signPayload(courier.webhook_secret, timestamp, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new Error(`webhook ${hostOf(courier.webhook_url)} unreachable: ${err instanceof Error ? err.message : String(err)}`);
    }
    // Drain the body so the connection can be reused; its content is not ours to keep.
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status >= 300) throw new Error(`webhook ${hostOf(courier.webhook_url)} answered ${res.status}`);
    return { delivered: true, status: res.status, url: hostOf(courier.webhook_url) };
  };
}

/** Called on a failed attempt: after the last one, the job is copied to the dead-letter queue. */
export async function deadLetter(job: Job | undefined, err: Error, dead: Pick<Queue, 'add'>): Promise<boolean> {
  if (job === undefined) return false;
  const attempts = job.opts.attempts ?? 1;
  const final = err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= attempts;
  if (!final) return false;
  await dead.add(
    job.name,
    { original: job.data as unknown, jobId: job.id ?? null, attemptsMade: job.attemptsMade, error: err.message.slice(0, 500), failedAt: new Date().toISOString() },
    { jobId: `dead-${job.id ?? 'unknown'}`, removeOnComplete: false, removeOnFail: false },
  );
  return true;
}

/** Logs and errors name the host only: a webhook URL may carry a token in its path or query. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid-url';
  }
}
