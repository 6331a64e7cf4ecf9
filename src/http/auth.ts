/**
 * Bearer API key authentication, role checks and per-key rate limiting.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApiKeyAuthenticator, Principal } from '../auth/api-keys.ts';
import type { Role } from '../db/schema.ts';
import { AppError } from '../errors.ts';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export function authenticate(authenticator: ApiKeyAuthenticator): RequestHandler {
  const admit = (principal: Principal | null, req: Request, res: Response, next: NextFunction): void => {
    if (principal === null) {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new AppError('unauthorized', 'unknown or revoked API key');
    }
    req.principal = principal;
    next();
  };
  // Not an async function: a key answered from the authenticator's cache (every request of a busy
  // key but one per cache period) is admitted synchronously; the rest wait for the database.
  // Either way a throw (401) reaches the error middleware, as a rejected promise does.
  return (req, res, next) => {
    const header = req.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new AppError('unauthorized', header === undefined ? 'missing Authorization: Bearer <api key>' : 'malformed Authorization header');
    }
    const key = match[1]!;
    const cached = authenticator.cached(key);
    if (cached !== undefined) {
      admit(cached, req, res, next);
      return;
    }
    return authenticator.authenticate(key).then((principal) => admit(principal, req, res, next));
  };
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const role = req.principal?.role;
    if (role === undefined) throw new AppError('unauthorized', 'missing Authorization: Bearer <api key>');
    if (!roles.includes(role)) {
      throw new AppError('forbidden', `this endpoint is for ${roles.join(' or ')} keys; this key is a ${role} key`);
    }
    next();
  };
}

export function principalOf(req: Request): Principal {
  if (req.principal === undefined) throw new AppError('unauthorized', 'missing Authorization: Bearer <api key>');
  return req.principal;
}

export interface RateLimitOptions {
  /** Sustained requests per second per key. */
  readonly perSecond: number;
  /** Bucket size: how many requests a key may send at once. */
  readonly burst: number;
}

/**
 * A token bucket per API key, in process memory. With several API processes each enforces its
 * own bucket, so the effective limit is per key per process; that is enough to stop one
 * runaway client from starving the others.
 */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (req, res, next) => {
    const key = req.principal?.keyId;
    if (key === undefined) return next();
    const now = Date.now();
    let b = buckets.get(key);
    if (b === undefined) {
      if (buckets.size > 100_000) buckets.clear();
      b = { tokens: options.burst, at: now };
      buckets.set(key, b);
    } else {
      b.tokens = Math.min(options.burst, b.tokens + ((now - b.at) / 1000) * options.perSecond);
      b.at = now;
    }
    if (b.tokens < 1) {
      const retryS = Math.max(1, Math.ceil((1 - b.tokens) / options.perSecond));
      res.setHeader('Retry-After', String(retryS));
      throw new AppError('rate_limited', `rate limit of ${options.perSecond} requests/s per key exceeded; retry in ${retryS} s`);
    }
    b.tokens -= 1;
    next();
  };
}
