/**
 * The error answers a shared middleware can give, attached to the middleware itself. The
 * OpenAPI document must list every one of them on every operation whose route chain holds that
 * middleware; test/integration/openapi/routes.test.ts walks the app's routes and checks it,
 * so a route that gains a guard or a body parser cannot silently under-document its answers.
 */
import type { RequestHandler } from 'express';

export interface Answers {
  /** HTTP statuses this middleware may answer with (instead of passing the request on). */
  readonly statuses: readonly number[];
  /** For a media-type check: the request Content-Types it admits. */
  readonly mediaTypes?: readonly string[];
  /** The middleware authenticates: the operation needs a security requirement. */
  readonly authenticates?: boolean;
}

const ANSWERS = Symbol('gongpei.http.answers');

/** `handler`, marked with what it may answer. */
export function answering<H extends RequestHandler>(handler: H, answers: Answers): H {
  Object.defineProperty(handler, ANSWERS, { value: answers, enumerable: false });
  return handler;
}

/** What a handler was marked with, if anything. */
export function answersOf(handler: unknown): Answers | undefined {
  if (typeof handler !== 'function') return undefined;
  return (handler as unknown as { [ANSWERS]?: Answers })[ANSWERS];
}
