/**
 * Scenario 3: a private Redis stopped during intake; 2xx throughout, /readyz degraded, every parcel queued after.
 * Real processes on loopback (bench/reliability); the full-size run is `npm run verify:reliability`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, personalDataInLogs } from '../../bench/reliability/harness.ts';
import { redisOutage } from '../../bench/reliability/scenarios/redis-outage.ts';

afterAll(() => {
  killAll();
});

describe('reliability: Redis outage', () => {
  it('keeps accepting parcels while Redis is down and relays every one of them after it returns', async () => {
    const r = await redisOutage({ dialect: 'sqlite', parcels: 200, outageMs: 5_000 });
    expect(r.failures).toEqual([]);
    expect(r.acknowledged).toBe(200);
    expect({ lost: r.lost, duplicated: r.duplicated, found: r.found }).toEqual({ lost: 0, duplicated: 0, found: 200 });
    expect(personalDataInLogs()).toEqual([]);
  }, 300_000);
});
