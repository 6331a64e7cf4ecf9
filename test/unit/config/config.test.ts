import { describe, expect, it } from 'vitest';
import { environmentWith, fixedUtcOffsetMinutes, loadConfig, loadToolSettings, parseDatabaseUrl, webhookConfig } from '../../../src/config.ts';
import { daySettings } from '../../../src/planning/day-model.ts';
import { workerSettings } from '../../../src/workers/run-workers.ts';
import { AppError, ConfigError } from '../../../src/errors.ts';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs on one machine with no environment at all', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('sqlite:data/gongpei.db');
    expect(config.database).toEqual({ kind: 'sqlite', path: 'data/gongpei.db', synchronous: 'FULL' });
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.PORT).toBe(3000);
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.DETOUR_FACTOR).toBe(1.3);
    expect(config.CUTOFF).toBe('06:00');
    expect(config.SORTING_MINUTES).toBe(60);
    expect(config.OSRM_URL).toBeUndefined();
    expect(config.SOLVER_DEBUG).toBe(false);
    expect(config.PLAN_SAVINGS).toBe(true);
    expect(config.PLAN_TIME_LIMIT_MS).toBeUndefined();
    expect(config.GONGPEI_BENCHMARKS).toBeUndefined();
  });

  it('chooses the matrix provider; amap, file and osrm each need their setting, named in the error', () => {
    expect(loadConfig({}).MATRIX_PROVIDER).toBeUndefined();
    expect(loadConfig({}).AMAP_QPS).toBe(3);
    const amap = loadConfig({ MATRIX_PROVIDER: 'amap', AMAP_KEY: 'k', AMAP_QPS: '10' });
    expect([amap.MATRIX_PROVIDER, amap.AMAP_KEY, amap.AMAP_QPS, amap.AMAP_URL]).toEqual(['amap', 'k', 10, 'https://restapi.amap.com']);
    expect(configError({ MATRIX_PROVIDER: 'amap' }).message).toMatch(/^AMAP_KEY: required when MATRIX_PROVIDER=amap/);
    expect(configError({ MATRIX_PROVIDER: 'file' }).message).toMatch(/^MATRIX_FILE: required when MATRIX_PROVIDER=file/);
    expect(configError({ MATRIX_PROVIDER: 'osrm' }).message).toMatch(/^OSRM_URL: required/);
    expect(configError({ MATRIX_PROVIDER: 'google' }).variable).toBe('MATRIX_PROVIDER');
    expect(configError({ AMAP_QPS: '0' }).variable).toBe('AMAP_QPS');
  });

  it('reads the benchmark sets folder', () => {
    expect(loadConfig({ GONGPEI_BENCHMARKS: ' /data/benchmarks ' }).GONGPEI_BENCHMARKS).toBe('/data/benchmarks');
  });

  it('reads the planner and worker tuning keys', () => {
    const config = loadConfig({ PLAN_TIME_LIMIT_MS: '1500', PLAN_SAVINGS: '0', WORKER_LOCK_MS: '60000', WORKER_STALLED_MS: '30000' });
    expect([config.PLAN_TIME_LIMIT_MS, config.PLAN_SAVINGS, config.WORKER_LOCK_MS, config.WORKER_STALLED_MS]).toEqual([1500, false, 60000, 30000]);
  });

  it('reads the per-key rate limit (absent by default: the app decides)', () => {
    expect([loadConfig({}).RATE_LIMIT_PER_SECOND, loadConfig({}).RATE_LIMIT_BURST]).toEqual([undefined, undefined]);
    const config = loadConfig({ RATE_LIMIT_PER_SECOND: '2.5', RATE_LIMIT_BURST: '10' });
    expect([config.RATE_LIMIT_PER_SECOND, config.RATE_LIMIT_BURST]).toEqual([2.5, 10]);
  });

  it('reads the failed-authentication limit per address (20 per 60 s by default)', () => {
    expect([loadConfig({}).AUTH_FAILURE_LIMIT, loadConfig({}).AUTH_FAILURE_WINDOW_S]).toEqual([20, 60]);
    const config = loadConfig({ AUTH_FAILURE_LIMIT: '5', AUTH_FAILURE_WINDOW_S: '600' });
    expect([config.AUTH_FAILURE_LIMIT, config.AUTH_FAILURE_WINDOW_S]).toEqual([5, 600]);
    expect(() => loadConfig({ AUTH_FAILURE_LIMIT: '0' })).toThrow(/AUTH_FAILURE_LIMIT/);
  });

  it('webhook settings: a 32-byte key (required in production), a test-only allow-list refused in production', () => {
    const dev = webhookConfig(loadConfig({}));
    expect(dev.secretKey).toHaveLength(32);
    expect(dev.target).toEqual({ requireHttps: false, allow: [] });
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/WEBHOOK_SECRET_KEY/);
    expect(() => loadConfig({ WEBHOOK_SECRET_KEY: 'short' })).toThrow(/WEBHOOK_SECRET_KEY/);
    const prod = webhookConfig(loadConfig({ NODE_ENV: 'production', WEBHOOK_SECRET_KEY: 'cd'.repeat(32) }));
    expect(prod.target.requireHttps).toBe(true);
    expect(prod.secretKey.toString('hex')).toBe('cd'.repeat(32));
    expect(() => loadConfig({ NODE_ENV: 'production', WEBHOOK_SECRET_KEY: 'cd'.repeat(32), WEBHOOK_ALLOW_ADDRESSES: '127.0.0.1/32' })).toThrow(/WEBHOOK_ALLOW_ADDRESSES/);
    expect(webhookConfig(loadConfig({ WEBHOOK_ALLOW_ADDRESSES: '127.0.0.1/32, ::1' })).target.allow).toEqual(['127.0.0.1/32', '::1']);
    expect(() => loadConfig({ WEBHOOK_ALLOW_ADDRESSES: 'localhost' })).toThrow(/WEBHOOK_ALLOW_ADDRESSES/);
    expect(webhookConfig(loadConfig({ WEBHOOK_CONCURRENCY_PER_COURIER: '3', WEBHOOK_BREAKER_OPEN_S: '5' }))).toMatchObject({ concurrencyPerCourier: 3, breakerOpenMs: 5_000, breakerFailures: 5, timeoutMs: 10_000 });
  });

  it('coerces numbers and booleans from strings and trims whitespace', () => {
    const config = loadConfig({ PORT: ' 8080 ', DETOUR_FACTOR: '1.45', SOLVER_DEBUG: '1', WORKER_CONCURRENCY: '4' });
    expect(config.PORT).toBe(8080);
    expect(config.DETOUR_FACTOR).toBe(1.45);
    expect(config.SOLVER_DEBUG).toBe(true);
    expect(config.WORKER_CONCURRENCY).toBe(4);
  });

  it('treats empty variables as unset (docker-compose passes VAR=)', () => {
    expect(loadConfig({ PORT: '', OSRM_URL: '' }).PORT).toBe(3000);
  });

  it('ignores unrelated environment variables', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root' }).PORT).toBe(3000);
  });

  it('accepts every supported DATABASE_URL form', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).database).toEqual({ kind: 'sqlite', path: ':memory:', synchronous: 'FULL' });
    expect(loadConfig({ DATABASE_URL: 'sqlite:/var/lib/gongpei/x.db' }).database).toEqual({ kind: 'sqlite', path: '/var/lib/gongpei/x.db', synchronous: 'FULL' });
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/gongpei' }).database).toEqual({ kind: 'postgres', url: 'postgres://u:p@db:5432/gongpei' });
    expect(parseDatabaseUrl('postgresql://db/gongpei')?.kind).toBe('postgres');
  });

  it('returns a frozen object', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
    expect(() => {
      (config as { PORT: number }).PORT = 1;
    }).toThrow(TypeError);
  });

  it.each([
    ['DATABASE_URL', 'mysql://root@localhost/gongpei'],
    ['DATABASE_URL', 'sqlite:'],
    ['DATABASE_URL', 'data/gongpei.db'],
    ['REDIS_URL', 'localhost:6379'],
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '3000.5'],
    ['LOG_LEVEL', 'loud'],
    ['DETOUR_FACTOR', '0.5'],
    ['OSRM_URL', 'ftp://osrm.example'],
    ['CUTOFF', '6am'],
    ['CUTOFF', '24:00'],
    ['SORTING_MINUTES', '-5'],
    ['SOLVER_DEBUG', 'maybe'],
    ['NODE_ENV', 'staging'],
    ['QUEUE_PREFIX', 'has space'],
    ['PLAN_TIME_LIMIT_MS', 'fast'],
    ['PLAN_SAVINGS', 'sometimes'],
    ['WORKER_LOCK_MS', '10'],
    ['WORKER_STALLED_MS', '-1'],
    ['RATE_LIMIT_PER_SECOND', '0'],
    ['RATE_LIMIT_BURST', '1.5'],
    ['TIMEZONE', 'Mars/Olympus'],
    ['TIMEZONE', 'Europe/Berlin'],
  ])('rejects %s=%s with a one-line error naming the variable', (variable, value) => {
    const err = configError({ [variable]: value });
    expect(err.variable).toBe(variable);
    expect(err.message.startsWith(`${variable}: `)).toBe(true);
    expect(err.message).not.toContain('\n');
    expect(err.userFacing).toBe(true);
    expect(err.exitCode).toBe(78);
  });

  it('never echoes URL values, which may carry passwords', () => {
    const err = configError({ DATABASE_URL: 'mysql://root:s3cret@db/gongpei' });
    expect(err.message).not.toContain('s3cret');
  });

  it('echoes a bad non-secret value so the operator sees the typo', () => {
    expect(configError({ LOG_LEVEL: 'verbose' }).message).toContain('"verbose"');
  });
});

describe('the service day from the config', () => {
  it('turns TIMEZONE into one fixed offset, and rejects zones with daylight saving', () => {
    expect(loadConfig({}).utcOffsetMinutes).toBe(480);
    expect(loadConfig({ TIMEZONE: 'Asia/Kathmandu' }).utcOffsetMinutes).toBe(345);
    expect(loadConfig({ TIMEZONE: 'UTC' }).utcOffsetMinutes).toBe(0);
    expect(fixedUtcOffsetMinutes('America/Bogota')).toBe(-300);
    expect(fixedUtcOffsetMinutes('Europe/Berlin')).toBeUndefined();
    expect(configError({ TIMEZONE: 'Europe/Berlin' }).message).toContain('daylight saving');
  });

  it('gives the API and the workers the same cut-off, sorting time and clock', () => {
    const settings = daySettings(loadConfig({ CUTOFF: '07:30', SORTING_MINUTES: '45', TIMEZONE: 'Asia/Kathmandu' }));
    expect([settings.cutoffS, settings.sortingS, settings.utcOffsetMinutes]).toEqual([7.5 * 3600, 45 * 60, 345]);
  });
});

describe('worker settings come from the config', () => {
  it.each(['false', '0', 'no', 'off'])('PLAN_SAVINGS=%s turns the co-delivery comparison off', (value) => {
    expect(workerSettings(loadConfig({ PLAN_SAVINGS: value })).planner.savings).toBe(false);
  });

  it('passes the time limit, lock and stalled-check settings, and leaves absent ones to the defaults', () => {
    expect(workerSettings(loadConfig({ PLAN_TIME_LIMIT_MS: '900', WORKER_LOCK_MS: '5000', WORKER_STALLED_MS: '2000', WORKER_CONCURRENCY: '6', PLAN_THREADS: '1' }))).toEqual({
      planner: { timeLimitMs: 900, savings: true, threads: 1 },
      planWorker: { concurrency: 6, lockDurationMs: 5000, stalledIntervalMs: 2000 },
    });
    expect(workerSettings(loadConfig({}))).toEqual({ planner: { savings: true, threads: 2 }, planWorker: { concurrency: 4 } });
  });
});

describe('tool settings and child environments', () => {
  it('parses the tools\' variables like the service\'s, naming a bad one', () => {
    expect(loadToolSettings({}).TEST_POSTGRES_URL).toBe('postgres://postgres@127.0.0.1:5432/postgres');
    expect(loadToolSettings({ BENCH_SECONDS: '3', TEST_DIALECTS: 'sqlite' })).toMatchObject({ BENCH_SECONDS: 3, TEST_DIALECTS: 'sqlite' });
    expect(() => loadToolSettings({ TEST_DIALECTS: 'mysql' })).toThrow(/^TEST_DIALECTS: /);
  });

  it('gives a child this environment with the overrides, leaving undefined ones alone', () => {
    const env = environmentWith({ GONGPEI_TEST_OVERRIDE: 'yes', PATH: undefined });
    expect(env.GONGPEI_TEST_OVERRIDE).toBe('yes');
    expect(env.PATH).toBe(environmentWith().PATH);
    expect(environmentWith().GONGPEI_TEST_OVERRIDE).toBeUndefined();
  });
});

describe('AppError', () => {
  it('carries a type, details and a JSON body without internals', () => {
    const err = new AppError('not_found', 'station 140430999999 not found', { code: '140430999999' });
    expect(err.type).toBe('not_found');
    expect(err.toJSON()).toEqual({
      error: { type: 'not_found', message: 'station 140430999999 not found', details: { code: '140430999999' } },
    });
    expect(new AppError('conflict', 'x').toJSON()).toEqual({ error: { type: 'conflict', message: 'x' } });
  });
});
