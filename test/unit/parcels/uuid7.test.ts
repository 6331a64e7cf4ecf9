import { describe, expect, it } from 'vitest';
import { uuid7 } from '../../../src/parcels/uuid7.ts';

const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const msOf = (id: string): number => Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('uuid7', () => {
  it('is an RFC 9562 version 7 UUID carrying the millisecond it was made', () => {
    const before = Date.now();
    const id = uuid7();
    expect(id).toMatch(UUID7);
    expect(msOf(id)).toBeGreaterThanOrEqual(before);
    expect(msOf(id)).toBeLessThanOrEqual(Date.now());
  });

  it('encodes a given time big-endian in the first 48 bits', () => {
    const later = Date.now() + 86_400_000; // ahead of anything made so far in this process
    const id = uuid7(later);
    expect(msOf(id)).toBe(later);
    expect(id.slice(0, 13)).toBe(`${later.toString(16).padStart(12, '0').slice(0, 8)}-${later.toString(16).padStart(12, '0').slice(8)}`);
  });

  it('increases strictly, within one millisecond and when the clock goes back', () => {
    const ms = Date.now() + 2 * 86_400_000;
    const ids = [...Array.from({ length: 5_000 }, () => uuid7(ms)), uuid7(ms - 1_000), uuid7()];
    for (const id of ids) expect(id).toMatch(UUID7);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
