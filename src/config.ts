/**
 * Configuration: one zod schema over the environment, parsed once at start-up, then frozen.
 *
 * Modules do not import the config; entry points (CLI commands, server, workers) call
 * `getConfig()` and pass the slices each module needs. A bad value throws a `ConfigError` that
 * names the variable, so start-up stops with one readable line.
 *
 * Adding a key: add it to `ConfigSchema` with a default that runs on one machine, document it in
 * the README configuration table, and add a case to test/unit/config/config.test.ts.
 */
import { z } from 'zod';
import { ConfigError } from './errors.ts';

export type DatabaseTarget =
  | { readonly kind: 'sqlite'; readonly path: string } // path ':memory:' = in-memory database
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

/** `HH:MM`, 24-hour clock, local (county) time. */
const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a 24-hour time HH:MM, e.g. 06:00');

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
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Road distance ≈ straight-line distance × this factor when no OSRM is configured (FACTS §4). */
  DETOUR_FACTOR: z.coerce.number().min(1).max(3).default(1.3),
  /** OSRM-compatible server for road matrices (`/table/v1/driving/…`); absent = haversine × detour. */
  OSRM_URL: httpUrl.optional(),
  /** Map tiles for the dashboard, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png; absent = no base map. */
  TILE_URL: z.string().min(1).optional(),
  /** Parcels received after this local time go into the next service day. */
  CUTOFF: clockTime.default('06:00'),
  /** Sorting time at the county warehouse and at each township centre before vehicles leave. */
  SORTING_MINUTES: z.coerce.number().int().min(0).max(600).default(60),
  /** IANA time zone of the network; the county is in China Standard Time. */
  TIMEZONE: z.string().min(1).default('Asia/Shanghai'),
  /** Concurrent jobs per worker process. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /** Solver budget per planning problem (ms); absent = the planner's own default. */
  PLAN_TIME_LIMIT_MS: z.coerce.number().int().min(1).max(3_600_000).optional(),
  /** Also plan each courier alone, to report what co-delivery saves (costs extra solves). */
  PLAN_SAVINGS: z.stringbool().default(true),
  /** BullMQ lock duration for worker jobs (ms); absent = the worker's default. */
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).max(3_600_000).optional(),
  /** How often workers look for stalled jobs (ms); absent = the worker's default. */
  WORKER_STALLED_MS: z.coerce.number().int().min(1000).max(3_600_000).optional(),
  /** Per-API-key token bucket: sustained requests/s and burst (absent = the app's 200/s, burst 400). */
  RATE_LIMIT_PER_SECOND: z.coerce.number().positive().max(1_000_000).optional(),
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(1_000_000).optional(),
  /** Failed authentications (unknown, revoked or malformed keys) per client address and window before 429s. */
  AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(20),
  AUTH_FAILURE_WINDOW_S: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Extra internal consistency checks in the solver (slow; on in tests). */
  SOLVER_DEBUG: z.stringbool().default(false),
  /** Folder holding the public benchmark sets (X, solomon, …) for `npm run bench:routing`; the sets are not in the repository. */
  GONGPEI_BENCHMARKS: z.string().min(1).optional(),
});

export type Config = Readonly<z.infer<typeof ConfigSchema>> & { readonly database: DatabaseTarget };

/** Variables whose values may hold secrets (passwords in URLs): never echo them in errors. */
const SECRET_VARIABLES = new Set(['DATABASE_URL', 'REDIS_URL', 'OSRM_URL', 'TILE_URL']);

/**
 * Parses an environment (default `process.env`). Pure: use it in tests with a plain object.
 * Empty strings count as unset, as docker-compose and shells often pass `VAR=`.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(ConfigSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') input[key] = value.trim();
  }
  const result = ConfigSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const got = SECRET_VARIABLES.has(variable) || input[variable] === undefined ? '' : ` (got "${input[variable]}")`;
    throw new ConfigError(variable, `${issue.message}${got}`);
  }
  const database = parseDatabaseUrl(result.data.DATABASE_URL)!;
  return Object.freeze({ ...result.data, database: Object.freeze(database) });
}

let cached: Config | undefined;

/** The process-wide configuration, parsed from `process.env` on first use. */
export function getConfig(): Config {
  cached ??= loadConfig(process.env);
  return cached;
}
