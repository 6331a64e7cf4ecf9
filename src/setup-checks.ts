/**
 * Is this machine set up? The mistakes a newcomer makes first — PostgreSQL or Redis not running,
 * the database not created, the network not loaded, the port taken — each become one
 * `AppError('unavailable')` whose message names the cause and the command that fixes it. The CLI
 * prints it as one line with exit code 69 (src/cli/main.ts), the HTTP layer answers 503
 * (src/http/error-handler.ts). Every such wording lives here, so there is one place to keep the
 * hints true.
 */
import { sql, type Kysely } from 'kysely';
import { Redis } from 'ioredis';
import type { DatabaseTarget } from './config.ts';
import { createDb, type CreateDbOptions } from './db/database.ts';
import type { Database } from './db/schema.ts';
import { AppError } from './errors.ts';
import { networkSeeded } from './network/seed.ts';
import { redisOptionsFromUrl } from './queue/queues.ts';

/** The command that creates the schema and loads the Qin County network (both idempotent). */
export const LOAD_NETWORK_COMMAND = 'gongpei db migrate';

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** `connect ECONNREFUSED` without the address (the message names it once, from the URL). */
function reason(err: unknown): string {
  const code = codeOf(err);
  if (code !== undefined && CONNECT_CODES.has(code)) return `connect ${code}`;
  const message = err instanceof Error && err.message !== '' ? err.message : String(code ?? err);
  return message.split('\n')[0]!;
}

/** What went wrong reaching the database, as the one line a user can act on; undefined if it is not a set-up problem. */
export function databaseSetupProblem(err: unknown, target: DatabaseTarget): AppError | undefined {
  const code = codeOf(err);
  if (target.kind === 'sqlite') {
    if (code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EROFS' || code === 'ENOTDIR') {
      return new AppError('unavailable', `cannot open the SQLite database ${target.path} (${reason(err)}): fix the path in DATABASE_URL (sqlite:PATH, a writable folder)`, undefined, { cause: err });
    }
    return undefined;
  }
  const url = new URL(target.url);
  const server = `${url.hostname}:${url.port || '5432'}`;
  const database = decodeURIComponent(url.pathname.slice(1)) || decodeURIComponent(url.username) || 'postgres';
  const user = decodeURIComponent(url.username) || 'postgres';
  if (code !== undefined && CONNECT_CODES.has(code)) {
    return new AppError('unavailable', `PostgreSQL at ${server} is not reachable (${reason(err)}): start it (\`docker compose up -d postgres\` starts the project's) or fix DATABASE_URL, then check with \`gongpei db status\``, undefined, { cause: err });
  }
  if (code === '3D000') {
    return new AppError('unavailable', `database "${database}" does not exist on PostgreSQL at ${server}: create it with \`createdb -h ${url.hostname} -p ${url.port || '5432'} -U ${user} ${database}\`, then run \`${LOAD_NETWORK_COMMAND}\``, undefined, { cause: err });
  }
  if (code === '28P01' || code === '28000') {
    return new AppError('unavailable', `PostgreSQL at ${server} refused user "${user}" (${reason(err)}): fix the user or password in DATABASE_URL`, undefined, { cause: err });
  }
  if (code === '57P03') {
    return new AppError('unavailable', `PostgreSQL at ${server} is starting up or shutting down: wait for it, then run the command again`, undefined, { cause: err });
  }
  return undefined;
}

/**
 * Opens the configured database and makes one round trip, so a database that is not there stops
 * the command with one line instead of failing on its first real query.
 */
export async function connectDatabase(target: DatabaseTarget, options: CreateDbOptions = {}): Promise<Kysely<Database>> {
  let db: Kysely<Database>;
  try {
    db = createDb(target, options);
  } catch (err) {
    throw databaseSetupProblem(err, target) ?? err;
  }
  try {
    await sql`select 1`.execute(db);
    return db;
  } catch (err) {
    await db.destroy().catch(() => {});
    throw databaseSetupProblem(err, target) ?? err;
  }
}

/** Resolves when Redis answers a PING within `timeoutMs`; otherwise one line naming the fix. Leaves no connection open. */
export async function checkRedis(redisUrl: string, options: { readonly timeoutMs?: number; readonly neededFor?: string } = {}): Promise<void> {
  const r = new Redis(redisOptionsFromUrl(redisUrl, { lazyConnect: true, connectTimeout: options.timeoutMs ?? 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false }));
  // connect() rejects with a bare "Connection is closed."; the socket's own error says why.
  let socketError: unknown;
  r.on('error', (err) => (socketError = err));
  try {
    await r.connect();
    await r.ping();
  } catch (err) {
    const url = new URL(redisUrl);
    const neededFor = options.neededFor === undefined ? '' : `${options.neededFor}; `;
    throw new AppError('unavailable', `Redis at ${url.hostname}:${url.port || '6379'} is not reachable (${reason(socketError ?? err)}): ${neededFor}start it (\`docker compose up -d redis\`, or \`redis-server\`) or fix REDIS_URL`, undefined, { cause: socketError ?? err });
  } finally {
    r.disconnect();
  }
}

/** `listen()` failed: a taken or forbidden port as one line naming the way out; anything else as is. */
export function listenProblem(err: unknown, host: string, port: number): unknown {
  const code = codeOf(err);
  if (code === 'EADDRINUSE') {
    return new AppError('unavailable', `port ${port} on ${host} is already in use (another \`gongpei serve\`?): stop that process, or choose a free port with \`gongpei serve --port ${port + 1}\` (or PORT)`, undefined, { cause: err });
  }
  if (code === 'EACCES') {
    return new AppError('unavailable', `not allowed to listen on port ${port} on ${host} (ports below 1024 need privileges): choose another with \`gongpei serve --port 3000\` (or PORT)`, undefined, { cause: err });
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new AppError('unavailable', `cannot listen on ${host}: no such address on this machine: fix HOST (127.0.0.1, or 0.0.0.0 for every interface)`, undefined, { cause: err });
  }
  return err;
}

/** What `gongpei serve` logs when it starts on a database without the network. */
export const NETWORK_NOT_LOADED_AT_START = `the database has no network (no stations): every destination is rejected and plan requests are refused; run \`${LOAD_NETWORK_COMMAND}\` (it loads the Qin County network), then restart \`gongpei serve\``;

/** Refuses work that needs the network (planning) while the database has none. */
export async function requireNetworkLoaded(db: Kysely<Database>): Promise<void> {
  if (!(await networkSeeded(db))) {
    throw new AppError('unavailable', `the network is not loaded (no stations in the database): run \`${LOAD_NETWORK_COMMAND}\`, which loads the Qin County network, then ask again`);
  }
}
