/**
 * Scenario 2: a worker process SIGKILLed mid-solve; after a restart the plan completes, each parcel planned once.
 * Real processes on loopback (bench/reliability); the full-size run is `npm run verify:reliability`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, personalDataInLogs } from '../../bench/reliability/harness.ts';
import { workerCrash } from '../../bench/reliability/scenarios/worker-crash.ts';

afterAll(() => {
  killAll();
});

describe('reliability: worker crash', () => {
  it('completes the plan after the solving worker is killed, every parcel planned exactly once', async () => {
    const r = await workerCrash({ dialect: 'sqlite', parcels: 150 });
    expect(r.failures).toEqual([]);
    expect(r.faults).toMatch(/during (line-haul|village|savings)/);
    expect({ lost: r.lost, duplicated: r.duplicated, found: r.found }).toEqual({ lost: 0, duplicated: 0, found: 150 });
    expect(personalDataInLogs()).toEqual([]);
  }, 300_000);
});
