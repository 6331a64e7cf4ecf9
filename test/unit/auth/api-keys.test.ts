import { describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey, principalFromRow } from '../../../src/auth/api-keys.ts';

describe('API keys', () => {
  it('generates distinct high-entropy keys tagged with the role', () => {
    const a = generateApiKey('courier');
    const b = generateApiKey('courier');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^gp_c_[A-Za-z0-9_-]{43}$/);
    expect(generateApiKey('dispatcher')).toMatch(/^gp_d_/);
  });

  it('stores a SHA-256 hex digest, never the key', () => {
    const key = generateApiKey('admin');
    const h = hashApiKey(key);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).not.toContain(key.slice(5));
    expect(hashApiKey(key)).toBe(h);
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('binds courier and driver principals to their courier or driver', () => {
    expect(principalFromRow({ id: 'k1', role: 'courier', courier_code: 'ZTO', driver_id: null })).toEqual({ keyId: 'k1', role: 'courier', courierCode: 'ZTO' });
    expect(principalFromRow({ id: 'k2', role: 'driver', courier_code: null, driver_id: 'D7' })).toEqual({ keyId: 'k2', role: 'driver', driverId: 'D7' });
    expect(principalFromRow({ id: 'k3', role: 'dispatcher', courier_code: null, driver_id: null })).toEqual({ keyId: 'k3', role: 'dispatcher' });
  });
});
