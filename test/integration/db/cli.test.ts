import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentWith } from '../../../src/config.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../src/db/test-database.ts';

const run = promisify(execFile);
const gongpei = (args: string[], env: Record<string, string>) =>
  run(process.execPath, ['bin/gongpei.js', ...args], { env: environmentWith(env), encoding: 'utf8' });

describe.each(testDialects())('%s: gongpei db migrate', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect, { migrate: false });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('migrates, seeds the network, is idempotent, and rolls back', async () => {
    const env = { DATABASE_URL: t.url };
    const first = await gongpei(['db', 'migrate'], env);
    expect(first.stdout).toContain('applied 2026_11_28_0001_network');
    expect(first.stdout).toContain('224 stations');
    const second = await gongpei(['db', 'migrate'], env);
    expect(second.stdout).toContain('schema up to date');
    const { n } = await t.db.selectFrom('stations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(n).toBe(224);
    const down = await gongpei(['db', 'rollback', '--steps', 'all'], env);
    expect(down.stdout).toContain('reverted 2026_11_28_0001_network');
    expect((await t.db.introspection.getTables()).filter((x) => !x.name.startsWith('kysely_'))).toEqual([]);
  }, 180_000); // three CLI start-ups through tsx; slow on a loaded 2-core machine
});

describe('gongpei with a bad configuration', () => {
  it('stops with one line naming the variable and exit code 78', async () => {
    const err = (await gongpei(['db', 'status'], { DATABASE_URL: 'mysql://root@localhost/x' }).catch((e: unknown) => e)) as {
      code: number;
      stderr: string;
    };
    expect(err.code).toBe(78);
    expect(err.stderr.trim().split('\n')).toHaveLength(1);
    expect(err.stderr).toMatch(/^gongpei: DATABASE_URL: /);
  });
});
