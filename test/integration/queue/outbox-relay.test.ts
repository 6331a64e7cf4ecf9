/**
 * The outbox relay must get through a Redis that drops away at the worst moment: after the
 * connection is up but before BullMQ has finished setting up its queue (its version check).
 * BullMQ caches that failed set-up; a relay that kept the queue would never relay again.
 * A TCP proxy in front of the real Redis plays the outage: it lets the first INFO through
 * (ioredis's ready check), cuts every connection at the second (BullMQ's version check) and
 * stops listening, then comes back.
 */
import { randomUUID } from 'node:crypto';
import { createServer, Socket, type Server } from 'node:net';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteHandleOf } from '../../../src/db/database.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../src/db/test-database.ts';
import { OutboxRelay } from '../../../src/queue/outbox-relay.ts';
import { consolidateOutboxRow } from '../../../src/queue/outbox.ts';
import { QUEUE_NAMES, consolidateJobId } from '../../../src/queue/queues.ts';
import { REDIS_URL } from '../http/helpers.ts';

const target = new URL(REDIS_URL);

/** Forwards to the real Redis; `cutAtSecondInfo` makes the next connection fail BullMQ's set-up. */
class FlakyProxy {
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  cutAtSecondInfo = true;
  cuts = 0;
  port = 0;

  async listen(port = 0): Promise<void> {
    const server = createServer((client) => this.#accept(client));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.#server = server;
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    this.port = address.port;
  }

  /** Connections refused and open ones cut, as when redis-server stops. */
  async down(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
    const server = this.#server;
    this.#server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #accept(client: Socket): void {
    const upstream = new Socket();
    this.#sockets.add(client).add(upstream);
    let infos = 0;
    const endBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', endBoth).on('close', endBoth);
    upstream.on('error', endBoth).on('close', endBoth);
    upstream.connect(Number(target.port || 6379), target.hostname, () => {
      client.on('data', (chunk: Buffer) => {
        infos += chunk.toString('latin1').toLowerCase().split('\r\ninfo\r\n').length - 1;
        if (this.cutAtSecondInfo && infos >= 2) {
          this.cutAtSecondInfo = false;
          this.cuts += 1;
          void this.down();
          return;
        }
        upstream.write(chunk);
      });
      upstream.pipe(client);
    });
  }
}

let db: TestDatabase | undefined;
let relay: OutboxRelay | undefined;
let proxy: FlakyProxy | undefined;

afterEach(async () => {
  await relay?.stop();
  await proxy?.down();
  await db?.dispose();
  relay = undefined;
  proxy = undefined;
  db = undefined;
});

describe('outbox relay', () => {
  it('relays every row after Redis went away while the queue was being set up', async () => {
    db = await createTestDatabase('sqlite');
    proxy = new FlakyProxy();
    await proxy.listen();
    const prefix = `test-${randomUUID()}`;
    const parcelIds = Array.from({ length: 5 }, (_, i) => `relay-test-${i}`);
    const now = new Date().toISOString();
    await db.db
      .insertInto('outbox')
      .values(parcelIds.map((parcelId) => consolidateOutboxRow({ kind: 'parcel', parcelId }, now)))
      .execute();

    relay = new OutboxRelay({ db: db.db, redisUrl: `redis://127.0.0.1:${proxy.port}`, prefix, idleMs: 50, maxBackoffMs: 200, redisTimeoutMs: 1_000 });
    await expect(relay.relayOnce()).rejects.toThrow();
    expect(proxy.cuts).toBe(1);
    const port = proxy.port;
    await proxy.listen(port); // Redis is back

    const deadline = Date.now() + 15_000;
    let relayed = 0;
    while (relayed === 0 && Date.now() < deadline) {
      relayed = await relay.relayOnce().catch(() => 0);
      if (relayed === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(relayed).toBe(parcelIds.length);
    expect(await relay.backlog()).toBe(0);

    const queue = new Queue(QUEUE_NAMES.consolidate, { connection: { url: REDIS_URL }, prefix });
    try {
      const jobs = await Promise.all(parcelIds.map((parcelId) => queue.getJob(consolidateJobId({ kind: 'parcel', parcelId }))));
      expect(jobs.map((j) => j?.data)).toEqual(parcelIds.map((parcelId) => ({ kind: 'parcel', parcelId })));
      await queue.obliterate({ force: true });
    } finally {
      await queue.close();
    }
  }, 30_000);

  for (const dialect of testDialects()) {
    it(`marks relayed rows, and leaves the connection's durability as it was (${dialect})`, async () => {
      db = await createTestDatabase(dialect);
      const prefix = `test-${randomUUID()}`;
      const parcelIds = Array.from({ length: 3 }, (_, i) => `relay-mark-${i}`);
      const now = new Date().toISOString();
      await db.db
        .insertInto('outbox')
        .values(parcelIds.map((parcelId) => consolidateOutboxRow({ kind: 'parcel', parcelId }, now)))
        .execute();
      const sqlite = sqliteHandleOf(db.db);
      const synchronousBefore = sqlite?.pragma('synchronous', { simple: true });
      relay = new OutboxRelay({ db: db.db, redisUrl: REDIS_URL, prefix });
      expect(await relay.relayOnce()).toBe(parcelIds.length);
      const rows = await db.db.selectFrom('outbox').select(['job_id', 'relayed_at']).orderBy('id').execute();
      expect(rows.map((r) => r.job_id)).toEqual(parcelIds.map((parcelId) => consolidateJobId({ kind: 'parcel', parcelId })));
      for (const r of rows) expect(r.relayed_at).not.toBeNull();
      expect(await relay.relayOnce()).toBe(0);
      // The mark commits without its own fsync (SQLite), but every other write keeps FULL.
      if (sqlite !== undefined) {
        expect(synchronousBefore).toBe(2); // FULL
        expect(sqlite.pragma('synchronous', { simple: true })).toBe(2);
      }
      const queue = new Queue(QUEUE_NAMES.consolidate, { connection: { url: REDIS_URL }, prefix });
      try {
        expect(await queue.getJobCountByTypes('waiting', 'delayed', 'active', 'completed')).toBe(parcelIds.length);
        await queue.obliterate({ force: true });
      } finally {
        await queue.close();
      }
    }, 30_000);
  }
});
