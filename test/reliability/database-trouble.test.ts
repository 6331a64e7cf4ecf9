/**
 * Scenario 4: PostgreSQL connection lost (backends terminated, then a killed proxy) → 503 and
 * recovery without a restart; SQLite write lock held by another connection → waited, not failed.
 * Real processes on loopback (bench/reliability); the full-size run is `npm run verify:reliability`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, personalDataInLogs } from '../../bench/reliability/harness.ts';
import { postgresConnectionLoss, sqliteBusy } from '../../bench/reliability/scenarios/database-trouble.ts';

afterAll(() => {
  killAll();
});

describe('reliability: database trouble', () => {
  it('answers 503 (never 500, never a crash) while PostgreSQL is unreachable and recovers without a restart', async () => {
    const r = await postgresConnectionLoss({ parcels: 40, outageMs: 3_000, lockMs: 0 });
    expect(r.failures).toEqual([]);
    expect(r.faults).toMatch(/503 ×[1-9]/);
    expect({ lost: r.lost, duplicated: r.duplicated }).toEqual({ lost: 0, duplicated: 0 });
    expect(personalDataInLogs()).toEqual([]);
  }, 300_000);

  it('waits for a SQLite write lock held by another connection instead of failing', async () => {
    const r = await sqliteBusy({ parcels: 60, outageMs: 0, lockMs: 2_000 });
    expect(r.failures).toEqual([]);
    expect(r.acknowledged).toBe(120);
    expect({ lost: r.lost, duplicated: r.duplicated, found: r.found }).toEqual({ lost: 0, duplicated: 0, found: 120 });
  }, 300_000);
});
