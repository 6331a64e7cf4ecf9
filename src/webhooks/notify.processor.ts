/**
 * The `notify` queue's processor: one job per parcel or pickup status change (written to the
 * outbox with the change), POSTed with an HMAC-SHA256 signature to the webhook of the parcel's
 * (or pickup's) courier in the parcel's county: a courier's franchisee in one county never
 * receives another county's changes.
 *
 * Anything but a 2xx answer within the timeout throws, so BullMQ retries the job with
 * exponential backoff (the job's `attempts`/`backoff` options; the outbox relay uses 5 attempts
 * from 1 s). When the last attempt fails, `deadLetter` copies the job to `notify-dead`, where it
 * stays for an operator (Bull Board) to inspect and replay. A courier without a webhook in that
 * county is not an error: the job completes as skipped. The job reads the current rows, so the
 * webhook's newest URL and secret are used even for a retry.
 *
 * The URL is checked again as the socket connects (webhook-target.ts: public addresses only, the
 * checked address is the one connected to); a refused target is unrecoverable. The stored secret
 * is encrypted (secret-box.ts) and opened here for signing only.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Job, Queue } from 'bullmq';
import { DelayedError, UnrecoverableError } from 'bullmq';
import { BrokenCircuitError, BulkheadRejectedError, ConsecutiveBreaker, IsolatedCircuitError, bulkhead, circuitBreaker, handleAll, wrap, type IPolicy } from 'cockatiel';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { NotifyPayload } from '../queue/queues.ts';
import type { SecretBox } from './secret-box.ts';
import { webhookOf } from './webhook.repository.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signPayload } from './signature.ts';
import { DEFAULT_WEBHOOK_TARGET_POLICY, WebhookTargetRefused, createWebhookTargetChecker, type WebhookTargetPolicy } from './webhook-target.ts';

export interface NotifyDeps {
  readonly db: Kysely<Database>;
  /** Opens the stored (encrypted) webhook secrets. */
  readonly secrets: SecretBox;
  /** Where webhooks may go (default: public addresses only, http or https). */
  readonly target?: WebhookTargetPolicy;
  /** Per-webhook (courier and county) concurrency and circuit breaker (default 2 in flight; open 60 s after 5 failures). */
  readonly limits?: DeliveryLimits;
  /** Per-attempt timeout (default 10 s). */
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

export interface WebhookMessage {
  readonly courier: string;
  /** The parcel's or pickup's county: whose webhook of the courier receives it. */
  readonly countyId: string;
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
      .select(['parcel_events.id', 'parcel_events.type', 'parcel_events.at', 'parcel_events.details_json', 'parcels.waybill', 'parcels.courier_code', 'parcels.status', 'parcels.station_code', 'parcels.county_id'])
      .where('parcel_events.id', '=', payload.eventId)
      .executeTakeFirst();
    if (row === undefined) return null;
    const details = row.details_json ? (JSON.parse(row.details_json) as Record<string, unknown>) : {};
    return {
      courier: row.courier_code,
      countyId: row.county_id,
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
    .select(['pickups.id', 'pickups.courier_code', 'pickups.status', 'pickups.station_code', 'pickups.county_id', 'stop_events.at', 'stop_events.details_json'])
    .where('pickups.id', '=', payload.pickupId)
    .executeTakeFirst();
  if (row === undefined || row.courier_code === null) return null;
  const details = row.details_json ? (JSON.parse(row.details_json) as Record<string, unknown>) : {};
  return {
    courier: row.courier_code,
    countyId: row.county_id,
    body: {
      id: `${payload.stopEventId}-${payload.pickupId}`,
      type: `pickup.${payload.status}`,
      occurredAt: row.at,
      courier: row.courier_code,
      data: { pickupId: row.id, status: payload.status, currentStatus: row.status, stationCode: row.station_code, ...(details.reason ? { reason: details.reason } : {}) },
    },
  };
}

/**
 * Per webhook (a courier in one county: each county's franchisee is its own endpoint), in this
 * worker process: at most `concurrencyPerCourier` deliveries in flight (a bulkhead) and a circuit
 * breaker that opens after `breakerFailures` consecutive failed deliveries, for `breakerOpenMs`,
 * then lets one delivery probe. A job that finds its webhook's bulkhead full or circuit open does
 * not wait in a worker slot and does not spend an attempt: it goes back to the delayed set
 * (DelayedError). So an endpoint that never answers holds at most `concurrencyPerCourier` of the
 * worker's slots, for one timeout each, and other webhooks (the same courier's in other counties
 * too) go out meanwhile. cockatiel provides both policies (bulkhead, ConsecutiveBreaker).
 */
class CourierPolicies {
  readonly #byWebhook = new Map<string, IPolicy>();
  readonly #options: DeliveryLimits;

  constructor(options: DeliveryLimits) {
    this.#options = options;
  }

  /** `webhook`: `<courier>/<county>`. */
  of(webhook: string): IPolicy {
    let p = this.#byWebhook.get(webhook);
    if (p === undefined) {
      const breaker = circuitBreaker(handleAll, { halfOpenAfter: this.#options.breakerOpenMs, breaker: new ConsecutiveBreaker(this.#options.breakerFailures) });
      p = wrap(bulkhead(this.#options.concurrencyPerCourier, 0), breaker);
      this.#byWebhook.set(webhook, p);
    }
    return p;
  }
}

export interface DeliveryLimits {
  readonly concurrencyPerCourier: number;
  readonly breakerFailures: number;
  readonly breakerOpenMs: number;
}

export const DEFAULT_DELIVERY_LIMITS: DeliveryLimits = { concurrencyPerCourier: 2, breakerFailures: 5, breakerOpenMs: 60_000 };

export function createNotifyProcessor(deps: NotifyDeps): (job: Job, token?: string) => Promise<NotifyOutcome> {
  const target = createWebhookTargetChecker(deps.target ?? DEFAULT_WEBHOOK_TARGET_POLICY);
  const policies = new CourierPolicies(deps.limits ?? DEFAULT_DELIVERY_LIMITS);
  const timeoutMs = deps.timeoutMs ?? 10_000;
  return async (job, token) => {
    const parsed = NotifyPayload.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid notify payload: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
    const message = await buildMessage(deps.db, parsed.data);
    if (message === null) return { skipped: 'the event or its parcel no longer exists' };
    const webhook = await webhookOf(deps.db, message.courier, message.countyId);
    if (webhook === undefined) return { skipped: `the courier has no webhook in county ${message.countyId}` };
    let url: URL;
    try {
      url = new URL(webhook.url);
      if (url.username !== '' || url.password !== '' || (url.protocol !== 'https:' && (target.policy.requireHttps || url.protocol !== 'http:'))) throw new Error('scheme or credentials');
      target.checkLiteral(url);
    } catch (err) {
      // Saved before the checks existed, or the policy changed: never sent, kept for an operator.
      throw new UnrecoverableError(err instanceof WebhookTargetRefused ? err.message : `webhook url of ${message.courier} is not allowed (${(err as Error).message})`);
    }
    let secret: string;
    try {
      secret = deps.secrets.open(webhook.secret, message.courier);
    } catch {
      throw new UnrecoverableError(`the webhook secret of ${message.courier} cannot be decrypted with this WEBHOOK_SECRET_KEY`);
    }
    const body = JSON.stringify(message.body);
    const timestamp = Math.floor((deps.now ?? (() => new Date()))().getTime() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'gongpei-webhooks/0.1',
      'x-gongpei-event': message.body.type,
      'x-gongpei-delivery': message.body.id,
      'x-gongpei-attempt': String(job.attemptsMade + 1),
      [TIMESTAMP_HEADER.toLowerCase()]: String(timestamp),
      [SIGNATURE_HEADER.toLowerCase()]: signPayload(secret, timestamp, body),
    };
    let status: number;
    try {
      status = await policies.of(`${message.courier}/${message.countyId}`).execute(async () => {
        const s = await postJson(url, headers, body, { timeoutMs, lookup: target.lookup });
        if (s < 200 || s >= 300) throw new Error(`webhook ${url.host} answered ${s}`);
        return s;
      });
    } catch (err) {
      if (err instanceof BulkheadRejectedError || err instanceof BrokenCircuitError || err instanceof IsolatedCircuitError) {
        // Not this delivery's failure: its courier is busy or failing. Try again later, in the
        // delayed set rather than in a worker slot, without spending an attempt.
        const wait = err instanceof BulkheadRejectedError ? 500 + Math.floor(Math.random() * 1_000) : (deps.limits ?? DEFAULT_DELIVERY_LIMITS).breakerOpenMs;
        await job.moveToDelayed(Date.now() + wait, token);
        throw new DelayedError(`webhook of ${message.courier} ${err instanceof BulkheadRejectedError ? 'busy' : 'circuit open'}; retry in ${wait} ms`);
      }
      if (err instanceof WebhookTargetRefused || (err as { code?: unknown }).code === 'EWEBHOOKTARGET') throw new UnrecoverableError((err as Error).message);
      const text = err instanceof Error ? err.message : String(err);
      throw new Error(text.startsWith('webhook ') ? text : `webhook ${url.host} unreachable: ${text}`);
    }
    return { delivered: true, status, url: url.host };
  };
}

/**
 * One POST with node:http(s), not fetch: the socket's `lookup` is the target check (fetch has no
 * per-request lookup), redirects are not followed (a 3xx is a failure), and the answer's body is
 * read and dropped, at most 64 KB of it.
 */
function postJson(url: URL, headers: Record<string, string>, body: string, options: { timeoutMs: number; lookup: LookupFunction }): Promise<number> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: options.lookup, signal: AbortSignal.timeout(options.timeoutMs), agent: false },
      (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > 65_536) res.destroy();
        });
        res.on('close', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', (err) => reject(err.name === 'AbortError' ? new Error(`no answer within ${options.timeoutMs} ms`) : err));
    req.end(body);
  });
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
