import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../../src/errors.ts';
import { bodyHash, canonicalJson } from '../../../src/http/body-hash.ts';
import { isDatabaseUnavailable, toHttpFailure } from '../../../src/http/error-handler.ts';
import { UnsupportedMediaTypeError } from '../../../src/http/http-errors.ts';

describe('toHttpFailure', () => {
  it.each([
    ['invalid_data', 400],
    ['unauthorized', 401],
    ['forbidden', 403],
    ['not_found', 404],
    ['conflict', 409],
    ['payload_too_large', 413],
    ['unprocessable', 422],
    ['rate_limited', 429],
    ['unavailable', 503],
  ] as const)('maps AppError %s to %i', (type, status) => {
    const f = toHttpFailure(new AppError(type, 'msg', [{ path: 'a', message: 'b' }]));
    expect(f.status).toBe(status);
    expect(f.body).toEqual({ error: { code: type, message: 'msg', details: [{ path: 'a', message: 'b' }] } });
  });

  it('maps a ZodError to a 400 listing each issue with its path', () => {
    const r = z.strictObject({ a: z.object({ b: z.int() }) }).safeParse({ a: { b: 'x' }, c: 1 });
    expect(r.success).toBe(false);
    const f = toHttpFailure(r.error);
    expect(f.status).toBe(400);
    expect(f.body.error.code).toBe('invalid_data');
    expect(f.body.error.details.map((d) => d.path).sort()).toEqual(['', 'a.b']);
  });

  it('maps 415, body-parser errors, database outages and unknown errors', () => {
    expect(toHttpFailure(new UnsupportedMediaTypeError(['application/json'], 'text/plain')).status).toBe(415);
    expect(toHttpFailure(Object.assign(new Error('big'), { type: 'entity.too.large', status: 413 })).status).toBe(413);
    expect(toHttpFailure(Object.assign(new Error('bad'), { type: 'entity.parse.failed', status: 400 })).status).toBe(400);
    expect(toHttpFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).status).toBe(503);
    const internal = toHttpFailure(new Error('secret internals'));
    expect(internal.status).toBe(500);
    expect(JSON.stringify(internal.body)).not.toContain('secret');
  });

  it('does not treat constraint violations as outages', () => {
    expect(isDatabaseUnavailable({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBe(false);
    expect(isDatabaseUnavailable({ code: '23505' })).toBe(false);
    expect(isDatabaseUnavailable({ code: '08006' })).toBe(true);
  });
});

describe('bodyHash', () => {
  it('ignores key order and undefined fields but not values', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }], c: undefined })).toBe('{"a":[{"x":1,"y":2}],"b":1}');
    expect(bodyHash({ a: 1, b: 2 })).toBe(bodyHash({ b: 2, a: 1 }));
    expect(bodyHash({ a: 1 })).not.toBe(bodyHash({ a: 2 }));
  });
});

describe('parsedBodyHash', () => {
  it('gives the same fingerprint for a zod-parsed body whatever the input key order', async () => {
    const { parsedBodyHash } = await import('../../../src/http/body-hash.ts');
    const { CreateParcel } = await import('../../../src/parcels/parcel.schemas.ts');
    const a = CreateParcel.parse({ recipient: { phone: '13800001234', name: '张三' }, weightG: 5, destination: { stationCode: '140430106201' }, waybill: 'ZT1234' });
    const b = CreateParcel.parse({ waybill: 'ZT1234', destination: { stationCode: '140430106201' }, weightG: 5, recipient: { name: '张三', phone: '13800001234' }, coldChain: false });
    expect(parsedBodyHash(a)).toBe(parsedBodyHash(b));
    expect(parsedBodyHash(a)).not.toBe(parsedBodyHash({ ...b, weightG: 6 }));
  });
});
