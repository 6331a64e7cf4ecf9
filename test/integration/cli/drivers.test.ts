/**
 * `gongpei drivers …` end to end through the real CLI (SQLite; the service underneath is tested
 * on both databases in test/integration/drivers).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentWith } from '../../../src/config.ts';
import { createTestDatabase, type TestDatabase } from '../../../src/db/test-database.ts';

const run = promisify(execFile);
const DATE = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

describe('gongpei drivers', () => {
  let t: TestDatabase;
  let env: Record<string, string>;
  const gongpei = (...args: string[]) => run(process.execPath, ['bin/gongpei.js', ...args], { env: environmentWith(env), encoding: 'utf8' });
  beforeAll(async () => {
    t = await createTestDatabase('sqlite', { migrate: false });
    env = { DATABASE_URL: t.url, LOG_LEVEL: 'silent' };
    await gongpei('db', 'migrate');
  }, 120_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it('adds a driver, assigns a seeded vehicle for a date, makes a sign-in link and lists who drives what', async () => {
    const added = await gongpei('drivers', 'add', '--name', '王师傅', '--phone', '138-1234-5678');
    const id = added.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const vehicle = (await t.db.selectFrom('vehicles').select('id').where('type', '=', 'van').orderBy('id').executeTakeFirstOrThrow()).id;
    const assigned = await gongpei('drivers', 'assign', '--date', DATE, '--vehicle', vehicle, '--driver', '13812345678');
    expect(assigned.stdout).toContain(`${id} drives ${vehicle} on ${DATE}`);
    const link = await gongpei('drivers', 'link', '--driver', id, '--date', DATE, '--base-url', 'http://10.0.0.5:3000/');
    expect(link.stdout.trim()).toMatch(/^http:\/\/10\.0\.0\.5:3000\/driver#token=[\w-]{43}$/);
    const listed = JSON.parse((await gongpei('drivers', 'list', '--date', DATE, '--json')).stdout) as { id: string; vehicleId: string | null }[];
    expect(listed).toEqual([expect.objectContaining({ id, vehicleId: vehicle, name: '王师傅', phone: '13812345678' })]);
    const bad = (await gongpei('drivers', 'assign', '--date', DATE, '--vehicle', vehicle, '--driver', 'nobody').catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('no driver with id or phone nobody');
    // A driver of a county that is not imported is refused; Qin County is the default.
    const noCounty = (await gongpei('drivers', 'add', '--name', '李师傅', '--phone', '13900000000', '--county', '149999').catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(noCounty.code).toBe(64);
    expect(noCounty.stderr).toContain('no county 149999');
    expect((await t.db.selectFrom('drivers').select('county_id').where('id', '=', id).executeTakeFirstOrThrow()).county_id).toBe('140430');
  }, 180_000); // several CLI start-ups through tsx; slow on a loaded 2-core machine
});
