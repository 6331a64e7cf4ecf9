/** Messages between the ParcelWriter (API thread) and its writer thread (writer-thread.ts). */
import type { ParcelRow } from '../db/schema.ts';
import type { Synchronous } from '../db/sqlite.ts';
import type { IntakeResult } from './intake-commit.ts';

/**
 * A request's result as sent back: the number of parcels it created when it is committed and
 * found none of them stored before (nearly always), else the result itself. Structured clone
 * of one small integer instead of two nested objects and an empty array per request.
 */
export type WireResult = number | IntakeResult;

export function toWire(r: IntakeResult): WireResult {
  return 'ok' in r && r.ok.stored.length === 0 ? r.ok.created : r;
}

export function fromWire(r: WireResult): IntakeResult {
  return typeof r === 'number' ? { ok: { created: r, stored: [] } } : r;
}

export interface WriterThreadData {
  readonly path: string;
  readonly synchronous: Synchronous;
}

export type ToWriter =
  /** Rows of request `key`, sent ahead in slices (appended); kept until `release`. */
  | { readonly type: 'stage'; readonly key: number; readonly rows: readonly ParcelRow[] }
  /** Commit these requests (their rows given, or staged) as one group; answered by `done` or `failed` with the same id. */
  | { readonly type: 'write'; readonly id: number; readonly requests: readonly ({ readonly courier: string; readonly key: number } | { readonly courier: string; readonly rows: readonly ParcelRow[] })[] }
  | { readonly type: 'release'; readonly keys: readonly number[] }
  /** The connection's settings (for tests): answered by `info`. */
  | { readonly type: 'info'; readonly id: number };

export type FromWriter =
  | { readonly type: 'done'; readonly id: number; readonly results: WireResult[] }
  | { readonly type: 'failed'; readonly id: number; readonly error: { readonly name: string; readonly message: string; readonly code?: string } }
  | { readonly type: 'info'; readonly id: number; readonly synchronous: number; readonly journalMode: string };
