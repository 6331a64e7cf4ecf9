/**
 * The JSON error shape every endpoint returns, and the HTTP-only failure that AppError has no
 * type for (415: the body is not in a media type the endpoint reads).
 */
import { APP_ERROR_TYPES } from '../errors.ts';
import { z } from './zod.ts';

export class UnsupportedMediaTypeError extends Error {
  readonly expected: readonly string[];
  constructor(expected: readonly string[], got: string | undefined) {
    super(`expected Content-Type ${expected.join(' or ')}${got ? `, got ${got}` : ''}`);
    this.name = 'UnsupportedMediaTypeError';
    this.expected = expected;
  }
}

export const ErrorDetail = z
  .object({
    path: z.string().openapi({ example: 'parcels.3.weightG' }),
    message: z.string(),
    line: z.int().optional().openapi({ description: 'CSV line number (1 = the header row), for imports' }),
    candidates: z
      .array(z.object({ stationCode: z.string(), name: z.string(), township: z.string() }))
      .optional()
      .openapi({ description: 'Stations an ambiguous destination could mean' }),
  })
  .openapi('ErrorDetail');

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z
        // Every AppError type, plus the two failures only HTTP has: 415 and the generic 500.
        .enum([...APP_ERROR_TYPES, 'unsupported_media_type', 'internal'])
        .openapi({ example: 'invalid_data' }),
      message: z.string(),
      details: z.array(ErrorDetail),
    }),
  })
  .openapi('Error');

export type ErrorDetail = z.infer<typeof ErrorDetail>;
export type ErrorResponse = z.infer<typeof ErrorResponse>;
