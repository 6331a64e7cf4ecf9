/**
 * Bearer API key authentication (with a limit on failed attempts per client address), role
 * checks and per-key rate limiting.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { ApiKeyAuthenticator, Principal } from '../auth/api-keys.ts';
import type { Role } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { answering } from './answers.ts';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export interface AuthFailureLimitOptions {
  /** Failed authentications an address may make per window; the next ones are 429s. */
  readonly failures: number;
  /** Window and block length, seconds. */
  readonly windowS: number;
  /**
   * Count in Redis (keys `<prefix>:auth-failures:<address>`), so that every API process behind
   * one address limit sees the same count; while Redis does not answer, each process counts in
   * its own memory instead. Without it, memory only (one process).
   */
  readonly redis?: { readonly client: Redis; readonly prefix: string };
}

export const DEFAULT_AUTH_FAILURE_LIMIT: AuthFailureLimitOptions = { failures: 20, windowS: 60 };

/**
 * Failed authentications per client address (the socket's: `trust proxy` is off). An address
 * that has presented `failures` unknown, revoked or malformed keys within a window of `windowS`
 * gets 429s, before any key lookup, for the rest of that window: guessing keys costs the guesser, not the database
 * and the valid keys' latency. A key the authenticator has cached as valid still passes, so a
 * busy courier behind the same NAT keeps working. rate-limiter-flexible's memory limiter keeps
 * the counters (fixed windows, expiry, blocking): in Redis when given one (shared by all API
 * processes; its memory limiter is the insurance while Redis is down), else in this process.
 */
export class AuthFailureLimiter {
  readonly #limiter: RateLimiterAbstract;
  readonly #options: AuthFailureLimitOptions;

  constructor(options: AuthFailureLimitOptions = DEFAULT_AUTH_FAILURE_LIMIT) {
    this.#options = options;
    const memory = new RateLimiterMemory({ points: options.failures, duration: options.windowS });
    this.#limiter =
      options.redis === undefined
        ? memory
        : new RateLimiterRedis({
            storeClient: options.redis.client,
            keyPrefix: `${options.redis.prefix}:auth-failures`,
            points: options.failures,
            duration: options.windowS,
            // Not connected: straight to the memory limiter, no waiting on a dead connection.
            rejectIfRedisNotReady: true,
            insuranceLimiter: memory,
          });
  }

  /** True when the request's address has failed too often (for public endpoints, which answer anyway). */
  async isBlocked(req: Request): Promise<boolean> {
    const state = await this.#limiter.get(addressOf(req));
    return state !== null && state.consumedPoints >= this.#options.failures;
  }

  /** Throws the 429 when the request's address has failed too often. */
  async refuseIfBlocked(req: Request, res: Response): Promise<void> {
    const state = await this.#limiter.get(addressOf(req));
    if (state !== null && state.consumedPoints >= this.#options.failures) {
      const retryS = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
      res.setHeader('Retry-After', String(retryS));
      throw new AppError('rate_limited', `too many failed authentications from this address; retry in ${retryS} s`);
    }
  }

  /** Counts one failed authentication of the request's address. */
  async recordFailure(req: Request): Promise<void> {
    await this.#limiter.consume(addressOf(req)).catch(() => undefined); // rejects once over the limit: nothing to do
  }
}

function addressOf(req: Request): string {
  return req.socket.remoteAddress ?? 'unknown';
}

export function authenticate(authenticator: ApiKeyAuthenticator, failures: AuthFailureLimiter = new AuthFailureLimiter()): RequestHandler {
  const admit = (principal: Principal, req: Request, next: NextFunction): void => {
    req.principal = principal;
    next();
  };
  const refuse = async (req: Request, res: Response, message: string): Promise<never> => {
    await failures.recordFailure(req);
    res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
    throw new AppError('unauthorized', message);
  };
  // Not an async function: a key answered from the authenticator's cache (every request of a busy
  // key but one per cache period) is admitted synchronously; the rest check the address's failure
  // count and wait for the database (unreachable: 503). Either way a throw (401, 429) reaches the
  // error middleware, as a rejected promise does.
  return answering((req, res, next) => {
    const header = req.headers.authorization;
    if (header === undefined) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new AppError('unauthorized', 'missing Authorization: Bearer <api key>');
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const key = match?.[1];
    const cached = key === undefined ? undefined : authenticator.cached(key);
    if (cached !== undefined && cached !== null) {
      admit(cached, req, next);
      return;
    }
    return failures.refuseIfBlocked(req, res).then(async () => {
      if (key === undefined) return refuse(req, res, 'malformed Authorization header');
      const principal = await authenticator.authenticate(key);
      if (principal === null) return refuse(req, res, 'unknown or revoked API key');
      admit(principal, req, next);
    });
  }, { statuses: [401, 429, 503], authenticates: true });
}

export function requireRole(...roles: Role[]): RequestHandler {
  return answering((req, _res, next) => {
    const role = req.principal?.role;
    if (role === undefined) throw new AppError('unauthorized', 'missing Authorization: Bearer <api key>');
    if (!roles.includes(role)) {
      throw new AppError('forbidden', `this endpoint is for ${roles.join(' or ')} keys; this key is a ${role} key`);
    }
    next();
  }, { statuses: [401, 403] });
}

export function principalOf(req: Request): Principal {
  if (req.principal === undefined) throw new AppError('unauthorized', 'missing Authorization: Bearer <api key>');
  return req.principal;
}

export interface RateLimitOptions {
  /** Sustained requests per second per key. */
  readonly perSecond: number;
  /** How many requests a key may send at once. */
  readonly burst: number;
  /**
   * Count in Redis (keys `<prefix>:rate:<key id>`), so that several API processes share one
   * budget per key; while Redis does not answer, each process counts in its own memory instead.
   * Without it, memory only (one process).
   */
  readonly redis?: { readonly client: Redis; readonly prefix: string };
}

export const DEFAULT_RATE_LIMIT = { perSecond: 200, burst: 400 } as const;

/**
 * A budget per API key: `burst` requests per window of burst / perSecond seconds (at least one),
 * so `perSecond` on average and at most `burst` at once. rate-limiter-flexible keeps the
 * counters, as for failed authentications: in Redis when given one (every API process behind
 * one port draws on the same budget; its memory limiter is the insurance while Redis is down),
 * else in this process. Enough to stop one runaway client from starving the others.
 */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  const windowS = Math.max(1, Math.ceil(options.burst / options.perSecond));
  const memory = new RateLimiterMemory({ points: options.burst, duration: windowS });
  const limiter: RateLimiterAbstract =
    options.redis === undefined
      ? memory
      : new RateLimiterRedis({
          storeClient: options.redis.client,
          keyPrefix: `${options.redis.prefix}:rate`,
          points: options.burst,
          duration: windowS,
          // Not connected: straight to the memory limiter, no waiting on a dead connection.
          rejectIfRedisNotReady: true,
          insuranceLimiter: memory,
        });
  return answering((req, res, next) => {
    const key = req.principal?.keyId;
    if (key === undefined) return next();
    return limiter.consume(key).then(
      () => next(),
      (refusal: unknown) => {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        const retryS = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
        res.setHeader('Retry-After', String(retryS));
        throw new AppError('rate_limited', `rate limit of ${options.perSecond} requests/s per key exceeded; retry in ${retryS} s`);
      },
    );
  }, { statuses: [429] });
}
