/**
 * Edge helpers: parse a request part with its zod schema (a ZodError becomes a 400 in the error
 * middleware) and insist on a media type (415) before a body parser runs.
 */
import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { answering } from './answers.ts';
import { UnsupportedMediaTypeError } from './http-errors.ts';
import { refuseUnsafeText } from './text-safety.ts';

/**
 * Every request part (params, query, body) passes here: first the text no field may hold (NUL,
 * lone surrogates: a 400 naming the field, the same on both databases), then the schema.
 */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  refuseUnsafeText(value);
  return schema.parse(value);
}

export function requireMediaType(...types: string[]): RequestHandler {
  return answering(
    (req, _res, next) => {
      const given = req.headers['content-type'];
      // A Content-Type that is exactly one of the (full) types, without parameters, as intake
      // clients send it, is admitted without type-is parsing it: req.is would say yes (or null
      // for a request without a body, which passes too).
      if (given !== undefined && types.includes(given)) {
        next();
        return;
      }
      if (req.is(types) === false || given === undefined) {
        throw new UnsupportedMediaTypeError(types, req.headers['content-type']);
      }
      next();
    },
    { statuses: [415], mediaTypes: types },
  );
}
