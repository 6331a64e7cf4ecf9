/**
 * Scenario 5: fast-check fuzzing of every intake schema and the CSV import; SQL-looking text; oversize bodies.
 * Real processes on loopback (bench/reliability); the full-size run is `npm run verify:reliability`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, personalDataInLogs } from '../../bench/reliability/harness.ts';
import { badInput } from '../../bench/reliability/scenarios/bad-input.ts';

afterAll(() => {
  killAll();
});

describe('reliability: bad input', () => {
  it('answers 1,000 malformed requests with 4xx only and stores nothing; SQL text verbatim; 413 early', async () => {
    const r = await badInput({ dialect: 'sqlite', requests: 1_000 });
    expect(r.failures).toEqual([]);
    expect(r.faults).toMatch(/5xx 0$/);
    expect(r.badInputs).toBeGreaterThanOrEqual(1_000);
    expect({ lost: r.lost, found: r.found }).toEqual({ lost: 0, found: r.acknowledged });
    expect(personalDataInLogs()).toEqual([]);
  }, 300_000);
});
