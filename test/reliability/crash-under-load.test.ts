/**
 * Scenario 1: the API SIGKILLed twice under concurrent intake; every acknowledged parcel stored once.
 * Real processes on loopback (bench/reliability); the full-size run is `npm run verify:reliability`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, personalDataInLogs } from '../../bench/reliability/harness.ts';
import { crashUnderLoad } from '../../bench/reliability/scenarios/crash-under-load.ts';

afterAll(() => {
  killAll();
});

describe('reliability: crash under load', () => {
  it('stores every acknowledged parcel exactly once, with its outbox row and queue job, across two API SIGKILLs', async () => {
    const r = await crashUnderLoad({ dialect: 'sqlite', parcels: 600, concurrency: 12 });
    expect(r.failures).toEqual([]);
    expect(r.acknowledged).toBe(600);
    expect(r.faults).toBe('API SIGKILL ×2');
    expect({ lost: r.lost, duplicated: r.duplicated, found: r.found }).toEqual({ lost: 0, duplicated: 0, found: 600 });
    expect(personalDataInLogs()).toEqual([]);
  }, 300_000);
});
