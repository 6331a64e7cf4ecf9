/**
 * Moves outbox rows into their BullMQ queues, in the background.
 *
 * The request path only writes outbox rows (same transaction as the parcel) and calls `nudge()`,
 * which costs nothing; this loop batches whatever is pending into one `addBulk` per queue. While
 * Redis is down the loop records the error on the rows and retries with capped backoff, so an
 * outage delays consolidation but never fails or loses an accepted parcel. Job ids are
 * deterministic, so two relays (two API processes) or a crash between add and mark enqueue once.
 */
import { Queue, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import { sqliteHandleOf, waitingForLock } from '../db/database.ts';
import { QUEUE_NAMES, producerRedisOptions } from './queues.ts';

export interface OutboxRelayOptions {
  readonly db: Kysely<Database>;
  readonly redisUrl: string;
  /** BullMQ key prefix (config QUEUE_PREFIX). */
  readonly prefix: string;
  readonly logger?: Logger;
  /** Rows per round (default 500). */
  readonly batchSize?: number;
  /** Poll interval when idle, for rows written by other processes (default 1000 ms). */
  readonly idleMs?: number;
  /** Longest wait between retries while Redis is down (default 2000 ms). */
  readonly maxBackoffMs?: number;
  /** A Redis call taking longer than this counts as failed (default 3000 ms). */
  readonly redisTimeoutMs?: number;
  /** Relayed rows are deleted after this long (default 1 h). */
  readonly keepRelayedMs?: number;
  /** After a nudge, wait this long so one round carries the jobs of many commits (default 100 ms). */
  readonly coalesceMs?: number;
}

export class OutboxRelay {
  readonly #db: Kysely<Database>;
  readonly #redisUrl: string;
  readonly #prefix: string;
  readonly #logger: Logger | undefined;
  readonly #batchSize: number;
  readonly #idleMs: number;
  readonly #maxBackoffMs: number;
  readonly #redisTimeoutMs: number;
  readonly #keepRelayedMs: number;
  readonly #coalesceMs: number;
  readonly #queues = new Map<string, Queue>();
  readonly #brokenQueues = new Set<Queue>();
  #pinger: Redis | undefined;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #nudged = false;
  #failures = 0;
  #lastPruneAt = 0;
  /** Rows relayed since start (for tests and metrics). */
  relayedCount = 0;
  /** True after the last round failed to reach Redis. */
  redisDown = false;

  constructor(options: OutboxRelayOptions) {
    this.#db = options.db;
    this.#redisUrl = options.redisUrl;
    this.#prefix = options.prefix;
    this.#logger = options.logger;
    this.#batchSize = options.batchSize ?? 500;
    this.#idleMs = options.idleMs ?? 1_000;
    this.#maxBackoffMs = options.maxBackoffMs ?? 2_000;
    this.#redisTimeoutMs = options.redisTimeoutMs ?? 3_000;
    this.#keepRelayedMs = options.keepRelayedMs ?? 3_600_000;
    this.#coalesceMs = options.coalesceMs ?? 100;
  }

  /** The producer queue for `name` (created on first use; shared by the relay and /metrics). */
  queue(name: string): Queue {
    let q = this.#queues.get(name);
    if (q === undefined) {
      q = new Queue(name, { connection: producerRedisOptions(this.#redisUrl) as ConnectionOptions, prefix: this.#prefix });
      // Without a listener an unreachable Redis would crash the process with an unhandled 'error'.
      q.on('error', (err) => this.#logger?.debug({ err: err.message, queue: name }, 'queue connection error'));
      const created = q;
      created.waitUntilReady().catch(() => this.#brokenQueues.add(created));
      this.#queues.set(name, q);
    }
    return q;
  }

  /**
   * BullMQ caches a Queue's connection set-up: if Redis goes away while it is still starting
   * (the version check right after connecting), every later call rejects with that first error
   * although ioredis reconnects, and the relay would be stuck for the rest of the process's life.
   * Such queues are closed (which also stops their reconnecting) and made anew on next use.
   */
  #discardBrokenQueues(): void {
    for (const q of this.#brokenQueues) {
      if (this.#queues.get(q.name) === q) this.#queues.delete(q.name);
      void q.close().catch(() => {});
      this.#logger?.info({ queue: q.name }, 'outbox relay: queue connection set-up failed, making a new one');
    }
    this.#brokenQueues.clear();
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Something was written to the outbox: relay it now instead of at the next poll. */
  nudge(): void {
    this.#nudged = true;
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    await Promise.allSettled([...this.#queues.values()].map((q) => q.close()));
    this.#queues.clear();
    this.#pinger?.disconnect();
    this.#pinger = undefined;
  }

  /** Resolves when Redis answers a PING within the timeout (for /readyz). */
  async pingRedis(): Promise<void> {
    if (this.#pinger === undefined) {
      this.#pinger = new Redis(producerRedisOptions(this.#redisUrl));
      this.#pinger.on('error', () => {}); // reconnects on its own; state is reported by ping()
    }
    const pinger = this.#pinger;
    const ping = async (): Promise<void> => {
      // Commands fail fast while disconnected (no offline queue); a fresh or reconnecting client
      // gets until the timeout to become ready.
      if (pinger.status !== 'ready') await new Promise<void>((resolve) => pinger.once('ready', () => resolve()));
      await pinger.ping();
    };
    await withTimeout(ping(), this.#redisTimeoutMs, 'pinging');
  }

  /** Job counts by state for the queues this relay feeds (for /metrics). */
  async queueCounts(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    for (const name of [QUEUE_NAMES.consolidate]) {
      out[name] = await withTimeout(this.queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'), this.#redisTimeoutMs, 'counting jobs');
    }
    return out;
  }

  /** Rows not yet relayed. */
  async backlog(): Promise<number> {
    const row = await this.#db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('relayed_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * One round: relays up to `batchSize` pending rows. Returns how many were relayed; throws when
   * Redis (or the database) could not be reached, leaving the rows pending.
   */
  async relayOnce(): Promise<number> {
    const rows = await this.#db
      .selectFrom('outbox')
      .select(['id', 'queue', 'job_name', 'job_id', 'payload_json'])
      .where('relayed_at', 'is', null)
      .orderBy('id')
      .limit(this.#batchSize)
      .execute();
    if (rows.length === 0) return 0;
    const byQueue = new Map<string, typeof rows>();
    for (const row of rows) {
      const list = byQueue.get(row.queue);
      if (list === undefined) byQueue.set(row.queue, [row]);
      else list.push(row);
    }
    const ids = rows.map((r) => r.id);
    try {
      for (const [name, list] of byQueue) {
        const queue = this.queue(name);
        await withTimeout(
          queue.addBulk(
            list.map((r) => ({
              name: r.job_name,
              data: JSON.parse(r.payload_json) as unknown,
              opts: { jobId: r.job_id, attempts: 5, backoff: { type: 'exponential', delay: 1_000 } },
            })),
          ),
          this.#redisTimeoutMs,
          `adding ${list.length} jobs to ${name}`,
        );
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.#discardBrokenQueues();
      await this.#db
        .updateTable('outbox')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: message.slice(0, 500) }))
        .where('id', 'in', ids)
        .execute();
      throw err;
    }
    await this.#markRelayed(ids, new Date().toISOString());
    this.relayedCount += rows.length;
    return rows.length;
  }

  /**
   * Records that rows reached Redis. On SQLite this commit skips the fsync of `synchronous =
   * FULL`: it ran on the API's event loop (better-sqlite3 is synchronous), ten times a second
   * under intake, freezing every request for the length of an fsync each time. A mark lost to a
   * power cut only relays its rows again, which BullMQ ignores (deterministic job ids), and the
   * next FULL commit on the file (every intake commits FULL) makes it durable anyway. The pragma
   * is set and restored around the one statement with nothing in between (all synchronous), so
   * no other write on this connection commits without its fsync.
   */
  async #markRelayed(ids: readonly number[], at: string): Promise<void> {
    const sqlite = sqliteHandleOf(this.#db);
    if (sqlite === undefined) {
      await this.#db.updateTable('outbox').set({ relayed_at: at }).where('id', 'in', ids).execute();
      return;
    }
    const idList = JSON.stringify(ids);
    await waitingForLock(async () => {
      if (sqlite.inTransaction) {
        // kysely holds a transaction open on the connection: its own commit will sync.
        await this.#db.updateTable('outbox').set({ relayed_at: at }).where('id', 'in', ids).execute();
        return;
      }
      const synchronous = sqlite.pragma('synchronous', { simple: true }) as number;
      sqlite.pragma('synchronous = NORMAL');
      try {
        sqlite.prepare('update outbox set relayed_at = ? where id in (select value from json_each(?))').run(at, idList);
      } finally {
        sqlite.pragma(`synchronous = ${Number(synchronous)}`);
      }
    });
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let wait = this.#idleMs;
      try {
        this.#nudged = false;
        const n = await this.relayOnce();
        if (this.redisDown) this.#logger?.info('outbox relay: Redis reachable again');
        this.redisDown = false;
        this.#failures = 0;
        // A full batch means more may be waiting: go again at once. Rows committed meanwhile
        // are picked up after a short pause, so one round carries many commits' jobs.
        if (n === this.#batchSize) wait = 0;
        else if (this.#nudged) wait = this.#coalesceMs;
        await this.#prune();
      } catch (err) {
        this.#failures += 1;
        if (!this.redisDown) {
          this.#logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'outbox relay: cannot relay, will retry');
        }
        this.redisDown = true;
        wait = Math.min(100 * 2 ** Math.min(this.#failures, 10), this.#maxBackoffMs);
      }
      if (wait > 0 && this.#running) await this.#sleep(wait, this.redisDown);
    }
  }

  /**
   * Sleeps `ms`; a nudge shortens the rest to `coalesceMs` (ignored while backing off from a
   * failure); stop() ends it at once.
   */
  #sleep(ms: number, backingOff: boolean): Promise<void> {
    return new Promise((resolve) => {
      const until = Date.now() + ms;
      let timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        if (!this.#running) {
          this.#wake = undefined;
          done();
        } else if (!backingOff && until - Date.now() > this.#coalesceMs) {
          this.#wake = undefined;
          clearTimeout(timer);
          timer = setTimeout(done, this.#coalesceMs);
        }
      };
    });
  }

  async #prune(): Promise<void> {
    const now = Date.now();
    if (now - this.#lastPruneAt < 60_000) return;
    this.#lastPruneAt = now;
    const before = new Date(now - this.#keepRelayedMs).toISOString();
    await this.#db.deleteFrom('outbox').where('relayed_at', 'is not', null).where('relayed_at', '<', before).execute();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms while ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
