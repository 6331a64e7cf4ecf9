/**
 * A newcomer's first mistakes, made as a user makes them: `gongpei` in a child process against a
 * closed PostgreSQL port, a database that does not exist, a taken HTTP port, a closed Redis port,
 * an unseeded database. Each must end in one line naming the cause and the command that fixes it,
 * with a non-zero exit and no stack trace. The child gets a bare environment (only what is given
 * here), so nothing from the machine running the tests changes the outcome. Timeouts are generous:
 * each case starts the CLI through tsx, slow on a loaded machine; none of them times anything.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../http/helpers.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'gongpei-setup-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function gongpei(args: readonly string[], env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/gongpei.js', ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 150_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

/** One line on stderr, no stack frames, the given exit code; returns the line. */
function oneLine(outcome: Outcome, exitCode = 69): string {
  expect(outcome.stderr, outcome.stderr).not.toMatch(/^\s+at /m);
  const lines = outcome.stderr.trim().split('\n');
  expect(lines, outcome.stderr).toHaveLength(1);
  expect(outcome.code, outcome.stderr).toBe(exitCode);
  return lines[0]!;
}

const sqliteUrl = (name: string) => `sqlite:${join(work, `${name}.db`)}`;

/** A TCP server that counts the connections it gets, standing in for a Redis nobody may touch. */
async function connectionCounter(): Promise<{ port: number; count: () => number; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => {
    sockets.push(s);
    s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return { port, count: () => sockets.length, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('gongpei on a machine that is not set up yet', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const out = await gongpei(['--version'], {});
    expect(out.code).toBe(0);
    expect(out.stdout.trim()).toBe(version);
  }, 180_000);

  it('PostgreSQL not running: db status, db migrate and serve each say so in one line', async () => {
    const pgPort = await freePort();
    const env = { DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/gongpei`, PORT: String(await freePort()) };
    const outcomes = await Promise.all([gongpei(['db', 'status'], env), gongpei(['db', 'migrate'], env), gongpei(['serve'], env)]);
    for (const outcome of outcomes) {
      expect(oneLine(outcome)).toBe(
        `gongpei: PostgreSQL at 127.0.0.1:${pgPort} is not reachable (connect ECONNREFUSED): start it (\`docker compose up -d postgres\` starts the project's) or fix DATABASE_URL, then check with \`gongpei db status\``,
      );
    }
  }, 180_000);

  it('database not created: db status, db migrate and serve name the createdb command', async () => {
    const name = `gongpei_missing_${randomBytes(4).toString('hex')}`;
    const env = { DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${name}`, PORT: String(await freePort()) };
    const outcomes = await Promise.all([gongpei(['db', 'status'], env), gongpei(['db', 'migrate'], env), gongpei(['serve'], env)]);
    for (const outcome of outcomes) {
      expect(oneLine(outcome)).toBe(
        `gongpei: database "${name}" does not exist on PostgreSQL at 127.0.0.1:5432: create it with \`createdb -h 127.0.0.1 -p 5432 -U postgres ${name}\`, then run \`gongpei db migrate\``,
      );
    }
  }, 180_000);

  it('port in use: serve says which port and how to pick another, and prints nothing else', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const port = (taken.address() as { port: number }).port;
    try {
      const redis = await connectionCounter();
      const outcome = await gongpei(['serve'], { DATABASE_URL: sqliteUrl('port'), PORT: String(port), REDIS_URL: `redis://127.0.0.1:${redis.port}` });
      await redis.close();
      expect(oneLine(outcome)).toBe(`gongpei: port ${port} on 127.0.0.1 is already in use (another \`gongpei serve\`?): stop that process, or choose a free port with \`gongpei serve --port ${port + 1}\` (or PORT)`);
      expect(outcome.stdout).toBe('');
      expect(redis.count()).toBe(0); // it stopped before starting the outbox relay
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  }, 180_000);

  it('Redis not running: the worker stops with one line instead of "ready" and an error every second', async () => {
    const env = { DATABASE_URL: sqliteUrl('worker'), REDIS_URL: `redis://127.0.0.1:${await freePort()}` };
    const [cli, entry] = await Promise.all([
      gongpei(['worker'], env),
      // workers/main.ts, the container's entry point, ends the same way.
      new Promise<Outcome>((resolve) =>
        execFile(process.execPath, ['--import', 'tsx', 'workers/main.ts'], { cwd: ROOT, env, encoding: 'utf8', timeout: 150_000 }, (err, stdout, stderr) =>
          resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr }),
        ),
      ),
    ]);
    const fix = `Redis at 127.0.0.1:${new URL(env.REDIS_URL).port} is not reachable (connect ECONNREFUSED): the workers take their jobs from it; start it (\`docker compose up -d redis\`, or \`redis-server\`) or fix REDIS_URL`;
    expect(oneLine(cli)).toBe(`gongpei: ${fix}`);
    expect(oneLine(entry)).toBe(`gongpei worker: ${fix}`);
    expect(cli.stdout + entry.stdout).not.toContain('ready');
  }, 180_000);

  it('unseeded database: keys create and serve name `gongpei db migrate`; serve refuses plan requests until the network is loaded', async () => {
    const env = { DATABASE_URL: sqliteUrl('unseeded') };
    const courier = await gongpei(['keys', 'create', '--role', 'courier', '--courier', 'ZTO'], env);
    expect(oneLine(courier, 1)).toBe('gongpei: unknown courier "ZTO" (known: none; run `gongpei db migrate`, which loads the network and its couriers)');
    const dispatcher = await gongpei(['keys', 'create', '--role', 'dispatcher'], env);
    expect(dispatcher.code, dispatcher.stderr).toBe(0);
    const key = dispatcher.stdout.trim();

    const redisPort = await freePort();
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/gongpei.js', 'serve'], { cwd: ROOT, env: { ...env, PORT: String(port), REDIS_URL: `redis://127.0.0.1:${redisPort}` } });
    try {
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      const logs = (): { level: number; msg: string }[] => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number; msg: string });
      for (let waited = 0; !logs().some((l) => l.msg.startsWith('Redis at')); waited += 100) {
        if (waited > 150_000 || child.exitCode !== null) throw new Error(`serve did not start: ${stdout}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const warnings = logs().filter((l) => l.level === 40).map((l) => l.msg);
      expect(warnings).toEqual([
        'the database has no network (no stations): every destination is rejected and plan requests are refused; run `gongpei db migrate` (it loads the Qin County network), then restart `gongpei serve`',
        `Redis at 127.0.0.1:${redisPort} is not reachable (connect ECONNREFUSED): parcels are accepted and wait in the outbox until it answers; start it (\`docker compose up -d redis\`, or \`redis-server\`) or fix REDIS_URL`,
      ]);

      const res = await fetch(`http://127.0.0.1:${port}/v1/plans`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ date: '2026-12-02' }) });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'unavailable',
        message: 'the network is not loaded (no stations in the database): run `gongpei db migrate`, which loads the Qin County network, then ask again',
      });
      await new Promise((r) => setTimeout(r, 500));
      expect(logs().filter((l) => l.level === 40)).toHaveLength(2); // the Redis warning is said once, not every retry
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    }
  }, 180_000);

  it('demo --no-redis does not connect to Redis at all', async () => {
    const redis = await connectionCounter();
    try {
      const outcome = await gongpei(['demo', '--no-redis', '--parcels', '60', '--time-limit', '50', '--no-savings', '--json', '--db', join(work, 'demo.db')], { REDIS_URL: `redis://127.0.0.1:${redis.port}` });
      expect(outcome.code, outcome.stderr).toBe(0);
      expect((JSON.parse(outcome.stdout) as { mode: string }).mode).toBe('in-process');
      expect(redis.count()).toBe(0);
    } finally {
      await redis.close();
    }
  }, 180_000);
});
