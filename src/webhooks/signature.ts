/**
 * Webhook signatures: HMAC-SHA256 over `${timestamp}.${body}` with the courier's secret.
 *
 * Headers sent with every delivery:
 *   X-Gongpei-Timestamp: 1764316800            (Unix seconds, fresh on every attempt)
 *   X-Gongpei-Signature: sha256=<hex digest>   (of "1764316800.<raw body>")
 * Signing the timestamp with the body lets a receiver reject replays: check the signature with
 * a constant-time compare, then that the timestamp is within a few minutes of its clock.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Gongpei-Signature';
export const TIMESTAMP_HEADER = 'X-Gongpei-Timestamp';

export function signPayload(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly reason: 'missing' | 'malformed' | 'mismatch' | 'stale' };

/** What a receiver does: recompute, compare in constant time, and bound the timestamp's age. */
export function verifySignature(
  secret: string,
  headers: { readonly signature: string | undefined; readonly timestamp: string | undefined },
  body: string,
  options: { readonly toleranceS?: number; readonly nowS?: number } = {},
): VerifyResult {
  if (headers.signature === undefined || headers.timestamp === undefined) return { ok: false, reason: 'missing' };
  const ts = Number(headers.timestamp);
  if (!/^\d{1,12}$/.test(headers.timestamp) || !/^sha256=[0-9a-f]{64}$/.test(headers.signature)) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(signPayload(secret, ts, body));
  const given = Buffer.from(headers.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'mismatch' };
  const now = options.nowS ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - ts) > (options.toleranceS ?? 300)) return { ok: false, reason: 'stale' };
  return { ok: true };
}
