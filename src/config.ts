/**
 * Configuration: one zod schema over the environment, parsed once at start-up, then frozen.
 *
 * Modules do not import the config; entry points (CLI commands, server, workers) call
 * `getConfig()` and pass the slices each module needs. A bad value throws a `ConfigError` that
 * names the variable, so start-up stops with one readable line.
 *
 * This is the only module that reads the process environment (test/unit/config/env-readers.test.ts
 * fails otherwise). Besides the service settings it parses the tool settings of tests, benchmarks
 * and scripts (`loadToolSettings`), and it hands a child process its environment
 * (`environmentWith`). Tests set variables only through `environmentWith` (for a child process or
 * for `loadConfig`) and vitest.config.ts's `env` block; they never assign to the environment.
 *
 * Adding a key: add it to `ConfigSchema` with a default that runs on one machine, document it in
 * the README configuration table, and add a case to test/unit/config/config.test.ts.
 */
import { z } from 'zod';
import { ConfigError } from './errors.ts';
import { parseSecretKey } from './webhooks/secret-box.ts';
import { parseAllowList, type WebhookTargetPolicy } from './webhooks/webhook-target.ts';

export type DatabaseTarget =
  // path ':memory:' = in-memory database; synchronous: see SQLITE_SYNCHRONOUS (default FULL)
  | { readonly kind: 'sqlite'; readonly path: string; readonly synchronous?: SqliteSynchronous }
  | { readonly kind: 'postgres'; readonly url: string };

/**
 * `sqlite:PATH` (relative to the working directory), `sqlite::memory:`, or `postgres://…` /
 * `postgresql://…`. Returns undefined for anything else.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget | undefined {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, ''); // allow sqlite:///abs/path
    if (path === '') return undefined;
    return { kind: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\/[^/]/.test(url)) {
    try {
      new URL(url);
    } catch {
      return undefined;
    }
    return { kind: 'postgres', url };
  }
  return undefined;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const SQLITE_SYNCHRONOUS = ['FULL', 'NORMAL'] as const;
export type SqliteSynchronous = (typeof SQLITE_SYNCHRONOUS)[number];

/** `HH:MM`, 24-hour clock, local (county) time. */
const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a 24-hour time HH:MM, e.g. 06:00');

/**
 * Minutes east of UTC of an IANA time zone, when the zone keeps one offset all year (the service
 * day is laid out on a fixed clock); undefined for an unknown zone or one with daylight saving.
 */
export function fixedUtcOffsetMinutes(timeZone: string): number | undefined {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  } catch {
    return undefined;
  }
  const offsetAt = (iso: string): number => {
    const name = format.formatToParts(new Date(iso)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
    if (!m) return Number.NaN;
    return m[1] === undefined ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  };
  const winter = offsetAt('2026-01-15T00:00:00Z');
  const summer = offsetAt('2026-07-15T00:00:00Z');
  return Number.isFinite(winter) && winter === summer ? winter : undefined;
}

/**
 * `VEHICLE_DUTY`: a driver's day per vehicle type, `type=HOURSh@HH:MM` entries separated by
 * commas, e.g. `van=9.5h@18:00,e_tricycle=8h@17:30` (longest time on the road, latest return to
 * the hub); `*` names every other type. Entries override the defaults (src/planning/types.ts).
 */
const DUTY_ENTRY = /^([a-z_*][a-z0-9_]*)=(\d{1,2}(?:\.\d{1,2})?)h@([01]\d|2[0-3]):([0-5]\d)$/;
const vehicleDuty = z
  .string()
  .transform((v, ctx) => {
    const out: Record<string, { maxDurationS: number; returnByS: number }> = {};
    for (const raw of v.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
      const m = DUTY_ENTRY.exec(raw);
      const hours = m ? Number(m[2]) : NaN;
      if (!m || !(hours > 0 && hours <= 24)) {
        ctx.addIssue({ code: 'custom', message: `expected type=HOURSh@HH:MM (e.g. van=9.5h@18:00), got "${raw}"` });
        return z.NEVER;
      }
      out[m[1]!] = { maxDurationS: Math.round(hours * 3600), returnByS: Number(m[3]) * 3600 + Number(m[4]) * 60 };
    }
    return out;
  });

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s):// URL' });

export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z
    .string()
    .default('sqlite:data/gongpei.db')
    .refine((v) => parseDatabaseUrl(v) !== undefined, {
      error: 'expected sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB',
    }),
  REDIS_URL: z
    .string()
    .default('redis://127.0.0.1:6379')
    .refine((v) => /^rediss?:\/\/[^/]/.test(v) && URL.canParse(v), {
      error: 'expected redis://HOST:PORT[/DB] or rediss://…',
    }),
  /** Prefix for every BullMQ key, so several deployments can share one Redis. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_{}-]+$/, 'expected letters, digits, _ - { } only')
    .default('gongpei'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * `gongpei serve` runs this many API processes behind PORT (node:cluster; the processes share
   * the listening socket). Each has its own intake group writer, outbox relay and solver threads.
   */
  API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Road distance ≈ straight-line distance × this factor when no OSRM is configured (FACTS §4). */
  DETOUR_FACTOR: z.coerce.number().min(1).max(3).default(1.3),
  /** OSRM-compatible server for road matrices (`/table/v1/driving/…`); absent = haversine × detour. */
  OSRM_URL: httpUrl.optional(),
  /**
   * Where road distances come from: haversine (straight line × DETOUR_FACTOR), osrm (OSRM_URL),
   * file (MATRIX_FILE, docs/matrix-file.md) or amap (高德 driving distances, AMAP_KEY). Unset:
   * osrm when OSRM_URL is set, haversine otherwise.
   */
  MATRIX_PROVIDER: z.enum(['haversine', 'osrm', 'file', 'amap']).optional(),
  /** The user's own matrix, CSV or JSON (docs/matrix-file.md), for MATRIX_PROVIDER=file. */
  MATRIX_FILE: z.string().min(1).optional(),
  /** Amap Web 服务 key for MATRIX_PROVIDER=amap. */
  AMAP_KEY: z.string().min(1).optional(),
  /** Amap's Web service root (tests point it at a local stand-in). */
  AMAP_URL: httpUrl.default('https://restapi.amap.com'),
  /** Amap requests per second this process may send (the key's QPS share, console 配额管理). */
  AMAP_QPS: z.coerce.number().positive().max(1000).default(3),
  /** Map tiles for the dashboard, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png; absent = no base map. */
  TILE_URL: z.string().min(1).optional(),
  /** Parcels received after this local time go into the next service day. */
  CUTOFF: clockTime.default('06:00'),
  /** Sorting time at the county warehouse and at each township centre before vehicles leave. */
  SORTING_MINUTES: z.coerce.number().int().min(0).max(600).default(60),
  /** A driver's day per vehicle type, over the rural-December defaults: `van=9.5h@18:00,e_tricycle=8h@17:30`. */
  VEHICLE_DUTY: vehicleDuty.default({}),
  /** IANA time zone of the network; the county is in China Standard Time. */
  TIMEZONE: z
    .string()
    .min(1)
    .default('Asia/Shanghai')
    .refine((v) => fixedUtcOffsetMinutes(v) !== undefined, {
      error: 'expected an IANA time zone without daylight saving time, e.g. Asia/Shanghai',
    }),
  /** Concurrent jobs per worker process. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /**
   * Work budget per planning problem: solver iterations. With the seed it fixes the plan, so the
   * same day gives the same plan on a quiet or a loaded machine (issue 11 item 7).
   */
  PLAN_ITERATIONS: z.coerce.number().int().min(1).max(10_000_000).default(1000),
  /**
   * Wall-clock cap per planning problem (ms), only a guard against a runaway solve: a problem
   * that hits it is no longer reproducible. Absent = the planner's default (60 s).
   */
  PLAN_TIME_LIMIT_MS: z.coerce.number().int().min(1).max(3_600_000).optional(),
  /** POST /v1/solve (VROOM format): work budget per request, solver iterations (seed 1: same problem, same answer). */
  SOLVE_ITERATIONS: z.coerce.number().int().min(1).max(10_000_000).default(1000),
  /** POST /v1/solve: wall-clock cap per request (ms), a guard against a runaway solve. */
  SOLVE_TIME_LIMIT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /**
   * POST /v1/solve: solver threads of the API process (requests beyond them wait their turn), and
   * the most parallel searches (`threads`) one request may ask for.
   */
  SOLVE_THREADS: z.coerce.number().int().min(1).max(64).default(1),
  /**
   * Solver threads per worker process. One per core the process may use: several worker processes
   * on one machine (bench:province) take 1 each, a lone worker on a 2-core machine 2.
   */
  PLAN_THREADS: z.coerce.number().int().min(1).max(64).default(2),
  /** Also plan each courier alone, to report what co-delivery saves (costs extra solves). */
  PLAN_SAVINGS: z.stringbool().default(true),
  /** Plan dates a request may name: today − PLAN_DAYS_BACK … today + PLAN_DAYS_AHEAD (local); else 400. */
  PLAN_DAYS_BACK: z.coerce.number().int().min(0).max(3650).default(7),
  PLAN_DAYS_AHEAD: z.coerce.number().int().min(0).max(3650).default(14),
  /** A parcel becomes a return (退回) after this many failed delivery attempts … */
  RETURN_AFTER_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(3),
  /** … or this many days after it was received, whichever comes first. */
  RETURN_AFTER_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  /** BullMQ lock duration for worker jobs (ms); absent = the worker's default. */
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).max(3_600_000).optional(),
  /** How often workers look for stalled jobs (ms); absent = the worker's default. */
  WORKER_STALLED_MS: z.coerce.number().int().min(1000).max(3_600_000).optional(),
  /** Per-API-key request budget, shared by the API processes through Redis: sustained requests/s and burst (absent = 200/s, burst 400). */
  RATE_LIMIT_PER_SECOND: z.coerce.number().positive().max(1_000_000).optional(),
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(1_000_000).optional(),
  /** Failed authentications (unknown, revoked or malformed keys) per client address and window before 429s. */
  AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(20),
  AUTH_FAILURE_WINDOW_S: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Extra internal consistency checks in the solver (slow; on in tests). */
  SOLVER_DEBUG: z.stringbool().default(false),
  /** Folder holding the public benchmark sets (X, solomon, …) for `npm run bench:routing`; the sets are not in the repository. */
  GONGPEI_BENCHMARKS: z.string().min(1).optional(),
  /**
   * SQLite's synchronous pragma. FULL (default): every COMMIT waits for the WAL to reach the disk,
   * so a 201 survives an operating-system crash or power loss. NORMAL: the WAL is synced only at
   * checkpoints — a 201 survives the process being killed, but a power loss can roll back the
   * transactions committed since the last checkpoint; faster on slow disks.
   */
  SQLITE_SYNCHRONOUS: z.enum(SQLITE_SYNCHRONOUS).default('FULL'),
  /** Largest CSV import body, bytes (default 8 MiB); refused with 413 as soon as it is exceeded. */
  CSV_MAX_BYTES: z.coerce.number().int().min(1_024).max(1_073_741_824).default(8 * 1024 * 1024),
  /** Most data rows (blank lines included) per CSV import; refused with 413 at the first row over. */
  CSV_MAX_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /**
   * AES-256 key for webhook secrets at rest (64 hex digits or 43 base64url characters). Required
   * in production; elsewhere the well-known development key below is used.
   */
  WEBHOOK_SECRET_KEY: z
    .string()
    .refine((v) => parseSecretKey(v) !== undefined, { error: 'expected 32 bytes: 64 hex digits or 43 base64url characters (openssl rand -hex 32)' })
    .optional(),
  /** CIDR blocks webhooks may reach although not public (tests: 127.0.0.1/32). Refused in production. */
  WEBHOOK_ALLOW_ADDRESSES: z
    .string()
    .refine(
      (v) => {
        try {
          parseAllowList(splitList(v));
          return true;
        } catch {
          return false;
        }
      },
      { error: 'expected a comma-separated list of IP addresses or CIDR blocks, e.g. 127.0.0.1/32' },
    )
    .optional(),
  /** Per-attempt timeout of a webhook delivery (ms). */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Deliveries in flight per courier per worker process; more wait, without holding a worker slot. */
  WEBHOOK_CONCURRENCY_PER_COURIER: z.coerce.number().int().min(1).max(64).default(2),
  /** Consecutive failed deliveries that open a courier's circuit, and how long it stays open (s). */
  WEBHOOK_BREAKER_FAILURES: z.coerce.number().int().min(1).max(1_000).default(5),
  WEBHOOK_BREAKER_OPEN_S: z.coerce.number().int().min(1).max(3_600).default(60),
});

/**
 * Development-only AES key for webhook secrets (public: it is in this file). Production refuses
 * to start without WEBHOOK_SECRET_KEY.
 */
const DEVELOPMENT_WEBHOOK_SECRET_KEY = '676f6e677065692d6465762d6f6e6c792d7765626b6f6f6b2d6b65792d303031';

function splitList(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface WebhookConfig {
  readonly secretKey: Buffer;
  readonly target: WebhookTargetPolicy;
  readonly timeoutMs: number;
  readonly concurrencyPerCourier: number;
  readonly breakerFailures: number;
  readonly breakerOpenMs: number;
}

/** The webhook settings as the API and the notify worker take them. */
export function webhookConfig(config: Config): WebhookConfig {
  return {
    secretKey: parseSecretKey(config.WEBHOOK_SECRET_KEY ?? DEVELOPMENT_WEBHOOK_SECRET_KEY)!,
    target: { requireHttps: config.NODE_ENV === 'production', allow: splitList(config.WEBHOOK_ALLOW_ADDRESSES ?? '') },
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    concurrencyPerCourier: config.WEBHOOK_CONCURRENCY_PER_COURIER,
    breakerFailures: config.WEBHOOK_BREAKER_FAILURES,
    breakerOpenMs: config.WEBHOOK_BREAKER_OPEN_S * 1000,
  };
}

export type Config = Readonly<z.infer<typeof ConfigSchema>> & {
  readonly database: DatabaseTarget;
  /** TIMEZONE as minutes east of UTC (Asia/Shanghai: 480): the clock of every service day. */
  readonly utcOffsetMinutes: number;
};

/** Variables whose values may hold secrets (passwords in URLs): never echo them in errors. */
const SECRET_VARIABLES = new Set(['DATABASE_URL', 'REDIS_URL', 'OSRM_URL', 'TILE_URL', 'AMAP_KEY', 'TEST_POSTGRES_URL', 'TEST_REDIS_URL', 'WEBHOOK_SECRET_KEY']);

/**
 * Parses an environment (default `process.env`). Pure: use it in tests with a plain object.
 * Empty strings count as unset, as docker-compose and shells often pass `VAR=`.
 */
export function loadConfig(env: Environment = process.env): Config {
  const data = parseEnvironment(ConfigSchema, env);
  if (data.NODE_ENV === 'production') {
    if (data.WEBHOOK_SECRET_KEY === undefined) throw new ConfigError('WEBHOOK_SECRET_KEY', 'required in production (openssl rand -hex 32)');
    if (data.WEBHOOK_ALLOW_ADDRESSES !== undefined) throw new ConfigError('WEBHOOK_ALLOW_ADDRESSES', 'is for tests: not allowed in production');
  }
  if (data.MATRIX_PROVIDER === 'amap' && data.AMAP_KEY === undefined) throw new ConfigError('AMAP_KEY', 'required when MATRIX_PROVIDER=amap (a Web 服务 key from https://console.amap.com)');
  if (data.MATRIX_PROVIDER === 'file' && data.MATRIX_FILE === undefined) throw new ConfigError('MATRIX_FILE', 'required when MATRIX_PROVIDER=file (a CSV or JSON matrix, docs/matrix-file.md)');
  if (data.MATRIX_PROVIDER === 'osrm' && data.OSRM_URL === undefined) throw new ConfigError('OSRM_URL', 'required when MATRIX_PROVIDER=osrm');
  const parsed = parseDatabaseUrl(data.DATABASE_URL)!;
  if (data.API_PROCESSES > 1 && parsed.kind === 'sqlite' && parsed.path === ':memory:') {
    throw new ConfigError('API_PROCESSES', 'must be 1 with DATABASE_URL=sqlite::memory: (every process would have a database of its own); use a SQLite file or PostgreSQL');
  }
  const database: DatabaseTarget = parsed.kind === 'sqlite' ? { ...parsed, synchronous: data.SQLITE_SYNCHRONOUS } : parsed;
  return Object.freeze({ ...data, database: Object.freeze(database), utcOffsetMinutes: fixedUtcOffsetMinutes(data.TIMEZONE)! });
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** One schema over the environment: empty values are unset; the first error names its variable. */
function parseEnvironment<S extends z.ZodObject>(schema: S, env: Environment): z.infer<S> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') input[key] = value.trim();
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const got = SECRET_VARIABLES.has(variable) || input[variable] === undefined ? '' : ` (got "${input[variable]}")`;
    throw new ConfigError(variable, `${issue.message}${got}`);
  }
  return result.data;
}

let cached: Config | undefined;

/** The process-wide configuration, parsed from `process.env` on first use. */
export function getConfig(): Config {
  cached ??= loadConfig(process.env);
  return cached;
}

/**
 * Settings of the tools around the service (tests, benchmarks, the dataset build), parsed like
 * the service's own so they too are read in this module only. None of them affects the service.
 */
export const ToolSettingsSchema = z.object({
  /** Compiled county facts for `npm run data:build` (default ../shared/qinxian). */
  QINXIAN_FACTS_DIR: z.string().min(1).optional(),
  /** PostgreSQL server on which tests create and drop throw-away databases. */
  TEST_POSTGRES_URL: z
    .string()
    .default('postgres://postgres@127.0.0.1:5432/postgres')
    .refine((v) => parseDatabaseUrl(v)?.kind === 'postgres', { error: 'expected postgres://USER@HOST:PORT/DB' }),
  /** Redis for tests and the reliability harness (default: REDIS_URL's default). */
  TEST_REDIS_URL: z
    .string()
    .default('redis://127.0.0.1:6379')
    .refine((v) => /^rediss?:\/\/[^/]/.test(v) && URL.canParse(v), { error: 'expected redis://HOST:PORT[/DB]' }),
  /** Comma list narrowing the dialects database tests run on (default: sqlite,postgres). */
  TEST_DIALECTS: z
    .string()
    .regex(/^\s*(sqlite|postgres)\s*(,\s*(sqlite|postgres)\s*)*$/, 'expected sqlite, postgres or sqlite,postgres')
    .optional(),
  /** bench/intake.ts: seconds per measurement, which scenario only, CPU profile of the API. */
  BENCH_SECONDS: z.coerce.number().positive().max(3600).default(10),
  BENCH_ONLY: z.enum(['single', 'batch', 'rate']).optional(),
  BENCH_PROFILE: z.stringbool().default(false),
  /** bench/intake.ts: the API's database, a throw-away SQLite file or PostgreSQL database on TEST_POSTGRES_URL's server. */
  BENCH_DB: z.enum(['sqlite', 'postgres']).default('sqlite'),
});

export type ToolSettings = Readonly<z.infer<typeof ToolSettingsSchema>>;

export function loadToolSettings(env: Environment = process.env): ToolSettings {
  return Object.freeze(parseEnvironment(ToolSettingsSchema, env));
}

let cachedTools: ToolSettings | undefined;

/** The tool settings of this process, parsed on first use. */
export function getToolSettings(): ToolSettings {
  cachedTools ??= loadToolSettings(process.env);
  return cachedTools;
}

/**
 * This process's environment with some variables set (undefined = leave as is): the environment
 * of a child process, or the input of `loadConfig` for a config that differs in a few settings
 * (the CLI's flags, the demo's own database). The process's own environment is never written.
 */
export function environmentWith(overrides: Environment = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) env[key] = value;
  return env;
}
