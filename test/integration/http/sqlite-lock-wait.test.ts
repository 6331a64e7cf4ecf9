/**
 * Issue 13, finding 1 (the rest of it): while another connection holds SQLite's write lock (the
 * intake's writer thread committing a 10,000-row import, a worker process), a write on the API's
 * own connection waits for it on a timer, not in SQLite's busy handler, which sleeps on the
 * event loop's thread: the API keeps answering meanwhile, and the write completes once the lock
 * is free.
 */
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteFileOf } from '../../../src/db/database.ts';
import { parcel, startApi, type ApiContext } from './helpers.ts';

describe('a write waiting for another SQLite connection’s lock', () => {
  let api: ApiContext;
  beforeAll(async () => {
    api = await startApi('sqlite', { relay: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('leaves the event loop free: /healthz answers while a cancellation waits, which then succeeds', async () => {
    const p = parcel();
    expect((await api.request('POST', '/v1/parcels', { json: p })).status).toBe(201);

    const other = new SQLite(sqliteFileOf(api.db)!.file.path);
    try {
      other.prepare('begin immediate').run();
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        other.prepare('rollback').run();
      };
      // The lock is released when /healthz has answered, or after 3 s in any case (so that a
      // blocked event loop shows as the wrong order below, not as a hung test).
      const safety = setTimeout(release, 3_000);
      const cancel = api.request('DELETE', `/v1/parcels/${p.waybill as string}`).then((r) => ({ ...r, lockReleased: released }));
      await new Promise((r) => setTimeout(r, 200));
      const health = await api.request('GET', '/healthz', { key: null });
      const answeredWhileLocked = !released;
      release();
      clearTimeout(safety);
      expect(health.status).toBe(200);
      expect(answeredWhileLocked).toBe(true);
      const cancelled = await cancel;
      expect(cancelled.status).toBe(200);
      expect(cancelled.lockReleased).toBe(true);
      expect((cancelled.body as { status: string }).status).toBe('cancelled');
    } finally {
      if (other.inTransaction) other.prepare('rollback').run();
      other.close();
    }
  });
});
