/**
 * Text that no field may hold, refused the same way on both databases: PostgreSQL cannot store a
 * NUL (U+0000) in a text column at all (it fails the query), SQLite stores it and later readers
 * cut the string there; a lone UTF-16 surrogate has no UTF-8 encoding (one engine replaces it by
 * U+FFFD, the other by raw bytes). Bytes that are not UTF-8 never reach a string: the body readers
 * refuse them (`isUtf8` before decoding), because decoding would replace them silently.
 *
 * Also the one place that shortens what an error message echoes of the client's own input (an
 * unknown 1.9 MB key must not come back in the 400).
 */
import { isUtf8 } from 'node:buffer';
import { AppError } from '../errors.ts';

/** A NUL, or a UTF-16 surrogate that is not half of a pair. */
// eslint-disable-next-line no-control-regex -- finding a NUL is the point
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function unsafeTextReason(s: string): string | undefined {
  const m = UNSAFE.exec(s);
  if (m === null) return undefined;
  return m[0] === '\u0000' ? 'contains a NUL character (U+0000)' : 'contains a lone UTF-16 surrogate (not valid Unicode text)';
}

/** At most `max` characters of client input, for error messages. */
export function echo(s: string, max = 40): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it replaces
  const safe = s.replace(/[\u0000-\u001f\u007f]/g, '?');
  return safe.length <= max ? safe : `${safe.slice(0, max)}…`;
}

/**
 * The first string (value or key) in a parsed request part that no field may hold, with its
 * path (`parcels.3.recipient.name`), or undefined. Iterative walk: nesting depth is the client's.
 */
export function findUnsafeText(value: unknown, prefix: readonly (string | number)[] = []): { path: string; message: string } | undefined {
  // Every request part passes here and nearly all are clean: a first walk that allocates no
  // paths (the walk below makes one per value) says so; only a request holding unsafe text is
  // walked again for the path of the first one.
  if (!holdsUnsafeText(value)) return undefined;
  const stack: { v: unknown; path: readonly (string | number)[] }[] = [{ v: value, path: prefix }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const reason = unsafeTextReason(v);
      if (reason !== undefined) return { path: path.map((p) => echo(String(p))).join('.'), message: reason };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, i] });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const reason = unsafeTextReason(k);
        if (reason !== undefined) return { path: [...path, k].map((p) => echo(String(p))).join('.'), message: `field name ${reason}` };
        stack.push({ v: child, path: [...path, k] });
      }
    }
  }
  return undefined;
}

/** Whether any string (value or key) in `value` is unsafe; iterative, no per-value allocation. */
function holdsUnsafeText(value: unknown): boolean {
  if (typeof value === 'string') return UNSAFE.test(value);
  if (value === null || typeof value !== 'object') return false;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (UNSAFE.test(v)) return true;
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push(v[i]);
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        if (UNSAFE.test(k)) return true;
        stack.push((v as Record<string, unknown>)[k]);
      }
    }
  }
  return false;
}

/** Throws the 400 for the first unsafe string in `value` (see findUnsafeText). */
export function refuseUnsafeText(value: unknown, prefix: readonly (string | number)[] = []): void {
  const bad = findUnsafeText(value, prefix);
  if (bad !== undefined) throw new AppError('invalid_data', `${bad.path || 'request'}: ${bad.message}`, [bad]);
}

/** The 400 for a body that is not UTF-8 (its bytes would be replaced by U+FFFD if decoded). */
export function refuseNonUtf8(bytes: Uint8Array, what = 'request body'): void {
  if (!isUtf8(bytes)) throw new AppError('invalid_data', `${what} is not valid UTF-8`, [{ path: '', message: 'invalid UTF-8 byte sequence' }]);
}
