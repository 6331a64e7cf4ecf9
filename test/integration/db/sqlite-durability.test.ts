/**
 * Issue 13, finding 12: a 201 from the intake survives power loss by default. SQLite commits with
 * `synchronous = FULL` (COMMIT waits for the WAL to reach the disk), on the connection the API
 * writes through; `SQLITE_SYNCHRONOUS=NORMAL` is the documented opt-out. (What a power loss
 * would do cannot be simulated here; what is checked is the setting every commit runs under.)
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { createDb, sqliteHandleOf } from '../../../src/db/database.ts';
import { ParcelWriter } from '../../../src/parcels/parcel-writer.ts';
import { STATIONS, parcel, startApi, type ApiContext } from '../http/helpers.ts';

const FULL = 2;
const NORMAL = 1;

describe('SQLite durability of acknowledged writes', () => {
  let api: ApiContext;
  beforeAll(async () => {
    api = await startApi('sqlite', { relay: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('the API commits a 201 under synchronous = FULL (in WAL mode)', async () => {
    const r = await api.request('POST', '/v1/parcels', { json: parcel() });
    expect(r.status).toBe(201);
    const handle = sqliteHandleOf(api.db)!;
    expect(handle.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(handle.pragma('synchronous', { simple: true })).toBe(FULL);
  });

  it('the intake commits on the writer thread’s own connection (FULL, WAL), not on the API thread’s', async () => {
    const handle = sqliteHandleOf(api.db)!;
    const changesOnApiThread = (): number => Number((handle.prepare('select total_changes() as n').get() as { n: number }).n);
    const before = changesOnApiThread();
    const csv = ['waybill,stationCode,weightG,recipientName,recipientPhone', ...Array.from({ length: 50 }, (_, i) => `WT${Date.now()}${i},${STATIONS.guocun},800,张三,13800001234`)].join('\n');
    const r = await api.request('POST', '/v1/parcels/import', { body: csv, contentType: 'text/csv' });
    expect(r.status).toBe(201);
    const one = await api.request('POST', '/v1/parcels', { json: parcel() });
    expect(one.status).toBe(201);
    // Stored (read back on the API thread's connection), yet not one row changed through it.
    const stored = await api.db.selectFrom('parcels').select((eb) => eb.fn.countAll<number>().as('n')).where('waybill', 'like', 'WT%').executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(50);
    expect(changesOnApiThread() - before).toBe(0);
    const writer = new ParcelWriter(api.db);
    expect(await writer.connectionInfo()).toEqual({ synchronous: FULL, journalMode: 'wal' });
  });

  it('config: FULL by default, NORMAL when chosen; the database opened from config follows it', async () => {
    const file = join(tmpdir(), `gongpei-sync-${process.pid}-${Date.now()}.db`);
    try {
      expect(loadConfig({}).SQLITE_SYNCHRONOUS).toBe('FULL');
      expect(() => loadConfig({ SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(/SQLITE_SYNCHRONOUS/);
      for (const [value, expected] of [[undefined, FULL], ['FULL', FULL], ['NORMAL', NORMAL]] as const) {
        const config = loadConfig({ DATABASE_URL: `sqlite:${file}`, ...(value ? { SQLITE_SYNCHRONOUS: value } : {}) });
        const db = createDb(config.database);
        try {
          expect(sqliteHandleOf(db)!.pragma('synchronous', { simple: true }), String(value)).toBe(expected);
        } finally {
          await db.destroy();
        }
      }
      // A bare URL (tests, tools) gets the safe default too.
      const bare = createDb(`sqlite:${file}`);
      expect(sqliteHandleOf(bare)!.pragma('synchronous', { simple: true })).toBe(FULL);
      await bare.destroy();
    } finally {
      for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    }
  });
});
