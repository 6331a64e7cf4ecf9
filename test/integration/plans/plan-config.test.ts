/**
 * The API plans on the configured day, not on built-in defaults: the server started from a
 * config with another cut-off and time zone records that cut-off on a plan request, and
 * answers local-day questions (parcel lists, dashboard clock) in that zone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../src/auth/api-keys.ts';
import type { TestDatabase } from '../../../src/db/test-database.ts';
import { startServer, type RunningServer } from '../../../src/server.ts';
import { testConfig } from '../../support/config.ts';
import { freePort } from '../http/helpers.ts';
import { seededDatabase } from '../pipeline/helpers.ts';

let t: TestDatabase;
let running: RunningServer;
let dispatcher: string;

beforeAll(async () => {
  t = await seededDatabase();
  dispatcher = (await createApiKey(t.db, { role: 'dispatcher' })).key;
  const config = testConfig({ DATABASE_URL: t.url, PORT: String(await freePort()), LOG_LEVEL: 'silent', CUTOFF: '07:30', TIMEZONE: 'Asia/Kathmandu', QUEUE_PREFIX: `test-plan-config-${Date.now()}`, PLAN_DAYS_AHEAD: '3650' });
  running = await startServer({ config, handleSignals: false, boundary: null, app: { requestLogging: false } });
});

afterAll(async () => {
  await running?.close();
  await t?.dispose();
});

async function call(method: string, path: string, json?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${running.port}${path}`, {
    method,
    headers: { authorization: `Bearer ${dispatcher}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the API takes the day from the config', () => {
  it('records the configured cut-off in the configured time zone on a plan request', async () => {
    const res = await call('POST', '/v1/plans', { date: '2031-07-01' });
    expect(res.status).toBe(202);
    // 07:30 in Kathmandu (UTC+05:45) is 01:45 UTC.
    expect(res.body.cutoffAt).toBe('2031-07-01T01:45:00.000Z');
  });

  it('gives the dashboard the configured clock', async () => {
    const res = await fetch(`http://127.0.0.1:${running.port}/dashboard-config.json`);
    expect(((await res.json()) as { utcOffsetMinutes: number }).utcOffsetMinutes).toBe(345);
  });
});
