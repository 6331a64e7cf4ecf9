/**
 * The JSON body of a request, read without body-parser on the common path: an uncompressed
 * UTF-8 body whose Content-Length is announced and within the limit. That path is what every
 * intake client sends; body-parser spends ≈ 40 µs and ≈ 11 KB of garbage per request on it
 * (raw-body with its AsyncResource, type-is and content-type parsing, iconv decoding, debug
 * calls). Everything else (chunked bodies, Content-Encoding, a non-UTF-8 charset, a body larger
 * than the limit) goes to `express.json` itself, so those keep body-parser's exact behaviour.
 *
 * Same results as `express.json({limit, type: 'application/json'})` for what it handles: the
 * parsed value in `req.body`; an empty body is `{}`; a body that is not a JSON object or array
 * (strict mode) or not valid JSON fails with body-parser's `entity.parse.failed` (400); a client
 * that aborts fails with `request.aborted` (400). Callers check the media type first
 * (`requireMediaType`), as they do before `express.json`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type RequestHandler, type Response } from 'express';
import { answering } from './answers.ts';
import { refuseNonUtf8 } from './text-safety.ts';

/** A body parser may answer 400 (malformed, aborted), 413 (over the limit) or 415 (charset, encoding). */
const BODY_ANSWERS = { statuses: [400, 413, 415] } as const;

/** '2mb', '512kb', '100' → bytes (the body-parser limit forms). */
export function byteSize(limit: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(limit.trim());
  if (m === null) throw new Error(`not a size: ${limit}`);
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
  return Math.floor(Number(m[1]) * unit);
}

/** An error shaped like body-parser's (the error handler maps it by `type`). */
function bodyError(status: number, type: string, message: string): Error {
  return Object.assign(new Error(message), { status, statusCode: status, expose: true, type });
}

/** Content-Type parameters we read ourselves: none, or charset=utf-8 (any case, optional quotes). */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * body-parser's `verify` hook: a UTF-8 body (the default charset) must be valid UTF-8, because
 * decoding replaces bad bytes by U+FFFD without a word. Bodies in another declared charset are
 * body-parser's to decode. The AppError it throws becomes a 400 in the error middleware.
 */
export function verifyUtf8(_req: IncomingMessage, _res: ServerResponse, bytes: Buffer, encoding: string): void {
  if (encoding.toLowerCase().replace('-', '') === 'utf8') refuseNonUtf8(bytes);
}

export function jsonBody(limit: string): RequestHandler {
  const max = byteSize(limit);
  const fallback = express.json({ limit, type: 'application/json', verify: verifyUtf8 });
  return answering((req, res, next) => {
    const headers = req.headers;
    const length = headers['content-length'];
    const encoding = headers['content-encoding'];
    const type = headers['content-type'];
    if (
      length === undefined ||
      headers['transfer-encoding'] !== undefined ||
      (encoding !== undefined && encoding.toLowerCase() !== 'identity') ||
      type === undefined ||
      !PLAIN_JSON.test(type)
    ) {
      fallback(req, res, next);
      return;
    }
    const announced = Number(length);
    if (!Number.isInteger(announced) || announced < 0 || announced > max) {
      fallback(req, res, next);
      return;
    }
    if (announced === 0) {
      req.body = {};
      next();
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (err: Error | undefined): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      next(err);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      received += chunk.length;
    };
    const onError = (err: Error): void => finish(err);
    const onAborted = (): void => finish(bodyError(400, 'request.aborted', 'request aborted'));
    const onEnd = (): void => {
      if (received !== announced) return finish(bodyError(400, 'request.size.invalid', 'request size did not match content length'));
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
      try {
        refuseNonUtf8(bytes);
      } catch (e) {
        return finish(e as Error);
      }
      let text = bytes.toString('utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      // Strict mode, as body-parser: the first non-blank character opens an object or an array.
      let i = 0;
      while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
      if (text[i] !== '{' && text[i] !== '[') return finish(bodyError(400, 'entity.parse.failed', 'request body is not a JSON object or array'));
      try {
        req.body = JSON.parse(text) as unknown;
      } catch (e) {
        return finish(bodyError(400, 'entity.parse.failed', e instanceof Error ? e.message : 'invalid JSON'));
      }
      finish(undefined);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  }, BODY_ANSWERS);
}


/**
 * `res.status(status).json(value)` for the intake hot path, with the same bytes on the wire
 * (`Content-Type: application/json; charset=utf-8`, `Content-Length`, `JSON.stringify` with no
 * replacer or spacing — this app sets neither — and no ETag, disabled app-wide), without
 * Express's generic send: its Content-Type charset lookup, freshness check and type switches.
 */
export function sendJson(res: Response, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text, 'utf8'));
  res.end(text, 'utf8');
}

/**
 * `{...head, [key]: list}` as JSON, written a slice of `list` at a time with a turn of the event
 * loop between slices: the answer to a 10,000-parcel import is ≈ 4 MB of JSON, and one
 * `JSON.stringify` of it held the event loop for tens of milliseconds (seconds on a loaded
 * machine). Sent chunked (no Content-Length); the key comes last, as `res.json` would put it.
 */
export async function sendJsonSliced(res: Response, status: number, head: Record<string, unknown>, key: string, list: readonly unknown[], slice = 250): Promise<void> {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  const open = JSON.stringify(head);
  res.write(`${open.slice(0, -1)}${open === '{}' ? '' : ','}${JSON.stringify(key)}:[`, 'utf8');
  for (let start = 0; start < list.length; start += slice) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    if (res.destroyed) return;
    const part = JSON.stringify(list.slice(start, start + slice));
    res.write(`${start > 0 ? ',' : ''}${part.slice(1, -1)}`, 'utf8');
  }
  res.end(']}', 'utf8');
}
