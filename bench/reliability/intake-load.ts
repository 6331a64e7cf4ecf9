/**
 * Intake load as couriers send it, and the audit afterwards.
 *
 * The load: parcels with unique waybills, some sent alone and most in batches, spread over every
 * courier's key, at bounded concurrency. A client retries a request that got no answer, a 429 or
 * a 503 with the SAME body (same waybills) until it is acknowledged or the deadline passes; any
 * other status for a valid parcel is an unexpected answer. The audit then reads the database and
 * Redis: every acknowledged parcel stored exactly once, with exactly one `received` event and
 * listed in exactly one consolidate outbox row (a `parcels` row names every parcel its
 * transaction committed), and (optionally) listed in the data of that row's job in the
 * consolidate queue.
 */
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { ConsolidatePayload, QUEUE_NAMES, consolidateParcelIds } from '../../src/queue/queues.ts';
import { parcelBody, pool, request, sleep, type Env } from './harness.ts';

export interface LoadItem {
  readonly courier: string;
  readonly key: string;
  readonly body: unknown;
  readonly waybills: readonly string[];
}

export function buildLoad(env: Env, parcels: number, runTag: string): LoadItem[] {
  const singles = Math.round(parcels * 0.2);
  const batchSize = parcels >= 2_000 ? 100 : 20;
  const couriers = [...env.keys.couriers.entries()];
  const items: LoadItem[] = [];
  let n = 0;
  const nextWaybill = () => `V${runTag}${String(n).padStart(7, '0')}`;
  const station = (i: number) => env.stations[i % env.stations.length]!;
  for (let i = 0; i < singles; i++, n++) {
    const [courier, keys] = couriers[i % couriers.length]!;
    const w = nextWaybill();
    items.push({ courier, key: keys[i % keys.length]!, body: parcelBody(w, station(n), n), waybills: [w] });
  }
  for (let b = 0; n < parcels; b++) {
    const [courier, keys] = couriers[b % couriers.length]!;
    const list: Record<string, unknown>[] = [];
    for (let j = 0; j < batchSize && n < parcels; j++, n++) list.push(parcelBody(nextWaybill(), station(n), n));
    items.push({ courier, key: keys[b % keys.length]!, body: { parcels: list }, waybills: list.map((p) => p.waybill as string) });
  }
  // Interleave singles and batches, deterministically.
  return items.map((it, i) => ({ it, k: (i * 7919) % items.length })).sort((a, b) => a.k - b.k).map((x) => x.it);
}

export interface LoadOutcome {
  /** courier \0 waybill of every parcel that got a 2xx. */
  readonly acked: Set<string>;
  readonly requests: number;
  readonly retries: number;
  readonly unacknowledgedItems: number;
  /** Non-retryable, non-2xx answers to valid parcels (or malformed 2xx bodies). */
  readonly unexpected: string[];
  readonly statusCounts: Map<number, number>;
}

export const ackKey = (courier: string, waybill: string): string => `${courier}\u0000${waybill}`;

export interface RunLoadOptions {
  readonly base: () => string;
  readonly concurrency: number;
  readonly deadlineMs: number;
  /** Called after each acknowledgement with the running total of acknowledged parcels. */
  readonly onAck?: (ackedParcels: number) => void;
  /** Awaited before an item's first attempt (pacing). */
  readonly beforeSend?: (item: LoadItem) => Promise<void>;
}

export async function runLoad(items: readonly LoadItem[], options: RunLoadOptions): Promise<LoadOutcome> {
  const acked = new Set<string>();
  const unexpected: string[] = [];
  const statusCounts = new Map<number, number>();
  let requests = 0;
  let retries = 0;
  let unacknowledgedItems = 0;
  const deadline = Date.now() + options.deadlineMs;
  await pool(items, options.concurrency, async (item) => {
    await options.beforeSend?.(item);
    for (let attempt = 0; ; attempt++) {
      if (Date.now() > deadline) {
        unacknowledgedItems++;
        return;
      }
      if (attempt > 0) retries++;
      requests++;
      const r = await request(options.base(), 'POST', '/v1/parcels', { key: item.key, json: item.body, timeoutMs: 20_000 });
      statusCounts.set(r.status, (statusCounts.get(r.status) ?? 0) + 1);
      if (r.status === 200 || r.status === 201) {
        const got: { waybill?: unknown }[] = item.waybills.length === 1 && !('parcels' in (item.body as object)) ? [r.body] : (r.body?.parcels ?? []);
        const gotWaybills = got.map((p) => p.waybill);
        if (gotWaybills.length !== item.waybills.length || gotWaybills.some((w, i) => w !== item.waybills[i])) {
          unexpected.push(`${r.status} with a body that does not list the parcels sent`);
        }
        for (const w of item.waybills) acked.add(ackKey(item.courier, w));
        options.onAck?.(acked.size);
        return;
      }
      if (r.status === 0 || r.status === 429 || r.status === 503) {
        const retryAfter = Number(r.headers.get('retry-after') ?? 0);
        await sleep(Math.min(1_000, Math.max(retryAfter > 0 ? 200 : 0, 50 * 2 ** Math.min(attempt, 4))));
        continue;
      }
      if (unexpected.length < 20) unexpected.push(`${r.status} ${JSON.stringify(r.body).slice(0, 300)} for ${item.waybills.length} valid parcel(s) of ${item.courier}`);
      else unexpected.push(`${r.status}`);
      return;
    }
  });
  return { acked, requests, retries, unacknowledgedItems, unexpected, statusCounts };
}

export interface Audit {
  readonly acknowledged: number;
  readonly found: number;
  readonly lost: number;
  readonly duplicated: number;
  /** Stored parcels (acknowledged or not) not listed in exactly one consolidate outbox row. */
  readonly outboxMissing: number;
  /**
   * Stored parcels whose consolidate job is not in the queue, or is there without listing them
   * (when the queue was checked).
   */
  readonly notInQueue: number;
  /** Parcels stored although never acknowledged (their answer was lost in a crash: allowed). */
  readonly storedUnacknowledged: number;
}

/** The loss and duplication columns of a scenario's row. */
export function auditCounts(a: Audit): Pick<Audit, 'acknowledged' | 'found' | 'lost' | 'duplicated'> {
  return { acknowledged: a.acknowledged, found: a.found, lost: a.lost, duplicated: a.duplicated };
}

/**
 * Reads everything back. `queue`: also check that every stored parcel's job is in Redis and that
 * the job's data (what the consolidate worker will read) lists the parcel.
 */
export async function audit(db: Kysely<Database>, acked: ReadonlySet<string>, queue?: { redisUrl: string; prefix: string }): Promise<Audit> {
  const rows = await db.selectFrom('parcels').select(['id', 'courier_code', 'waybill']).execute();
  const byKey = new Map<string, string[]>();
  for (const r of rows) {
    const k = ackKey(r.courier_code, r.waybill);
    const list = byKey.get(k) ?? [];
    list.push(r.id);
    byKey.set(k, list);
  }
  const events = new Map<string, number>();
  for (const e of await db.selectFrom('parcel_events').select('parcel_id').where('type', '=', 'received').execute()) {
    events.set(e.parcel_id, (events.get(e.parcel_id) ?? 0) + 1);
  }
  // parcel id → how many consolidate outbox rows list it, and the job id of (the last) one.
  const outbox = new Map<string, number>();
  const jobOf = new Map<string, string>();
  for (const o of await db.selectFrom('outbox').select(['job_id', 'payload_json']).where('queue', '=', QUEUE_NAMES.consolidate).execute()) {
    const p = ConsolidatePayload.safeParse(JSON.parse(o.payload_json));
    if (!p.success) continue;
    for (const id of consolidateParcelIds(p.data)) {
      outbox.set(id, (outbox.get(id) ?? 0) + 1);
      jobOf.set(id, o.job_id);
    }
  }
  let found = 0;
  let lost = 0;
  let duplicated = 0;
  for (const k of acked) {
    const ids = byKey.get(k);
    if (ids === undefined) {
      lost++;
      continue;
    }
    found++;
    if (ids.length > 1 || ids.some((id) => (events.get(id) ?? 0) !== 1)) duplicated++;
  }
  let outboxMissing = 0;
  for (const r of rows) if ((outbox.get(r.id) ?? 0) !== 1) outboxMissing++;
  let notInQueue = 0;
  if (queue !== undefined) {
    const c = new Redis(queue.redisUrl, { maxRetriesPerRequest: 3 });
    c.on('error', () => {});
    try {
      // The parcels each job in Redis lists (its `data` field, as the worker will parse it).
      const jobIds = [...new Set(jobOf.values())];
      const listed = new Set<string>();
      for (let i = 0; i < jobIds.length; i += 1_000) {
        const part = jobIds.slice(i, i + 1_000);
        const pipe = c.pipeline();
        for (const id of part) pipe.hget(`${queue.prefix}:${QUEUE_NAMES.consolidate}:${id}`, 'data');
        const res = (await pipe.exec()) ?? [];
        for (const [err, data] of res) {
          if (err !== null || typeof data !== 'string') continue;
          const p = ConsolidatePayload.safeParse(JSON.parse(data));
          if (p.success) for (const id of consolidateParcelIds(p.data)) listed.add(id);
        }
      }
      for (const r of rows) if (!listed.has(r.id)) notInQueue++;
    } finally {
      c.disconnect();
    }
  }
  let storedUnacknowledged = 0;
  for (const k of byKey.keys()) if (!acked.has(k)) storedUnacknowledged++;
  return { acknowledged: acked.size, found, lost, duplicated, outboxMissing, notInQueue, storedUnacknowledged };
}

/** Waits until the outbox has no unrelayed rows (the API's relay moved everything to Redis). */
export async function waitForOutboxDrained(db: Kysely<Database>, timeoutMs: number): Promise<number> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const row = await db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('relayed_at', 'is', null)
      .executeTakeFirstOrThrow();
    const n = Number(row.n);
    if (n === 0 || Date.now() > end) return n;
    await sleep(250);
  }
}
