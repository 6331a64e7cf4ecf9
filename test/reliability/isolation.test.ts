/**
 * Scenario 6: every role × every endpoint in one table, per-key rate limit, security headers, no personal data in logs.
 * Real processes on loopback (bench/reliability); the full-size run is `npm run verify:reliability`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, personalDataInLogs } from '../../bench/reliability/harness.ts';
import { isolation } from '../../bench/reliability/scenarios/isolation.ts';

afterAll(() => {
  killAll();
});

describe('reliability: isolation matrix', () => {
  it('gives every role exactly the access the table says, limits per key, sends security headers, logs no personal data', async () => {
    const r = await isolation({ dialect: 'sqlite' });
    expect(r.failures).toEqual([]);
    expect(r.faults).toMatch(/^429 ×[1-9]/);
    expect(personalDataInLogs()).toEqual([]);
  }, 300_000);
});
