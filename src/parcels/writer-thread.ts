/**
 * The intake's writer thread: owns a connection of its own to the SQLite file and commits the
 * ParcelWriter's groups on it (intake-commit.ts). A commit's work — the inserts of a 10,000-row
 * CSV import, and the fsync of `synchronous = FULL` — then runs here, not on the API's event
 * loop; WAL lets the API's connection read meanwhile. One group at a time, in arrival order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ParcelRow } from '../db/schema.ts';
import { openSqlite } from '../db/sqlite.ts';
import { SqliteGroupStore } from './intake-commit.ts';
import { toWire, type FromWriter, type ToWriter, type WriterThreadData } from './writer-protocol.ts';

const port = parentPort;
if (!port) throw new Error('writer-thread.ts must run as a worker thread');
const { path, synchronous } = workerData as WriterThreadData;
const sqlite = openSqlite(path, synchronous);
const store = new SqliteGroupStore(sqlite);
const staged = new Map<number, ParcelRow[]>();

const post = (m: FromWriter): void => port.postMessage(m);

port.on('message', (m: ToWriter) => {
  switch (m.type) {
    case 'stage': {
      const list = staged.get(m.key);
      if (list === undefined) staged.set(m.key, [...m.rows]);
      else for (const row of m.rows) list.push(row);
      return;
    }
    case 'release':
      for (const key of m.keys) staged.delete(key);
      return;
    case 'info':
      post({ type: 'info', id: m.id, synchronous: Number(sqlite.pragma('synchronous', { simple: true })), journalMode: String(sqlite.pragma('journal_mode', { simple: true })) });
      return;
    case 'write':
      try {
        const results = store.write(m.requests.map((r) => ('rows' in r ? r : { courier: r.courier, rows: staged.get(r.key) ?? [] })));
        post({ type: 'done', id: m.id, results: results.map(toWire) });
      } catch (err) {
        const e = err as { name?: unknown; message?: unknown; code?: unknown };
        post({ type: 'failed', id: m.id, error: { name: String(e.name ?? 'Error'), message: String(e.message ?? err), ...(typeof e.code === 'string' ? { code: e.code } : {}) } });
      }
      return;
  }
});
