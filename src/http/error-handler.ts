/**
 * The one error middleware: typed errors → status + `{"error": {code, message, details}}`.
 * Anything untyped is a 500 with a generic message (logged with its stack, never shown), except
 * database connection failures, which are a 503 so clients retry.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { isAppError, type AppErrorType } from '../errors.ts';
import { UnsupportedMediaTypeError, type ErrorDetail, type ErrorResponse } from './http-errors.ts';
import { echo } from './text-safety.ts';

const STATUS: Record<AppErrorType, number> = {
  invalid_data: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

type Code = ErrorResponse['error']['code'];

export interface HttpFailure {
  readonly status: number;
  readonly body: ErrorResponse;
  /** Unexpected failures are logged with their stack. */
  readonly unexpected: boolean;
}

/**
 * zod issues as details. Whatever the client sent comes back shortened (`echo`): zod names every
 * unrecognized key in full, and a key can be as long as the body limit.
 */
export function zodIssuesToDetails(err: ZodError, prefix: readonly (string | number)[] = []): ErrorDetail[] {
  return err.issues.slice(0, 50).map((issue) => ({
    path: [...prefix, ...issue.path].map((p) => echo(String(p))).join('.'),
    message:
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length === 1 ? '' : 's'}: ${issue.keys
            .slice(0, 5)
            .map((k) => `"${echo(k)}"`)
            .join(', ')}${issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : ''}`
        : echo(issue.message, 300),
  }));
}

function failure(status: number, code: Code, message: string, details: ErrorDetail[] = [], unexpected = false): HttpFailure {
  return { status, body: { error: { code, message, details } }, unexpected };
}

/** Error codes that mean "the database cannot be reached right now" rather than "bad query". */
const DB_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02',
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_FULL',
  'SQLITE_READONLY',
]);

export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (e === null || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && (DB_UNAVAILABLE.has(e.code) || e.code.startsWith('08') || e.code.startsWith('SQLITE_IOERR'))) {
    return true;
  }
  const message = typeof e.message === 'string' ? e.message : '';
  // "not queryable": pg's answer on a pooled client whose connection died mid-transaction (the
  // ROLLBACK after the first failure); seen when PostgreSQL backends are terminated.
  return /driver has already been destroyed|Connection terminated|not queryable|timeout exceeded when trying to connect|database connection is not open/i.test(message);
}

export function toHttpFailure(err: unknown): HttpFailure {
  if (isAppError(err)) {
    const details = Array.isArray(err.details) ? (err.details as ErrorDetail[]) : [];
    return failure(STATUS[err.type], err.type, err.message, details);
  }
  if (err instanceof ZodError) {
    const details = zodIssuesToDetails(err);
    const summary = details
      .slice(0, 3)
      .map((d) => (d.path ? `${d.path}: ${d.message}` : d.message))
      .join('; ');
    return failure(400, 'invalid_data', `Invalid request: ${summary}`, details);
  }
  if (err instanceof UnsupportedMediaTypeError) return failure(415, 'unsupported_media_type', err.message);
  // A path whose percent-encoding does not decode (`/v1/parcels/%ZZ`): the router's URIError.
  if (err instanceof URIError) return failure(400, 'invalid_data', 'the URL path is not valid percent-encoded UTF-8', [{ path: 'path', message: 'malformed percent-encoding' }]);
  // body-parser errors carry a `type` and a status.
  const bp = err as { type?: unknown; status?: unknown; message?: unknown } | null;
  if (bp !== null && typeof bp === 'object' && typeof bp.type === 'string') {
    switch (bp.type) {
      case 'entity.too.large':
        return failure(413, 'payload_too_large', 'request body too large');
      case 'entity.parse.failed':
        return failure(400, 'invalid_data', 'request body is not valid JSON');
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return failure(415, 'unsupported_media_type', String(bp.message));
      case 'request.aborted':
        return failure(400, 'invalid_data', 'request aborted');
    }
  }
  // Text PostgreSQL cannot store (NUL, invalid byte sequences) that got past the request checks
  // (http/text-safety.ts) is still the client's input, not our failure.
  const code = (err as { code?: unknown } | null)?.code;
  if (code === '22021' || code === '22P05') return failure(400, 'invalid_data', 'a text value cannot be stored (NUL or invalid characters)', [], true);
  if (isDatabaseUnavailable(err)) return failure(503, 'unavailable', 'the database is unavailable; retry later', [], true);
  return failure(500, 'internal', 'an unexpected error occurred', [], true);
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const f = toHttpFailure(err);
  if (f.unexpected) {
    req.log?.error({ err }, 'request failed');
  }
  if (f.status === 503) res.setHeader('Retry-After', '5');
  res.status(f.status).json(f.body);
};

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({
    error: { code: 'not_found', message: `no route for ${req.method} ${req.path}`, details: [] },
  } satisfies ErrorResponse);
};
