/**
 * API keys: `<role prefix><43 chars base64url>` (256 random bits; prefixes in KEY_PREFIXES). Only the SHA-256 of a key
 * is stored; the key itself is shown once, when it is created. A fast hash is right here (unlike
 * passwords): the secret has full entropy, so there is nothing to brute-force.
 */
import { hash as oneShotHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DEFAULT_COUNTY_ID, type ApiKeyRow, type Database, type Role } from '../db/schema.ts';
import { AppError } from '../errors.ts';

export const ROLES = ['courier', 'dispatcher', 'driver', 'admin'] as const satisfies readonly Role[];

/**
 * Who is calling, as the HTTP layer sees it. `counties`: the counties the key may see and act in
 * (adcodes); absent = every county.
 */
export type Principal = (
  | { readonly keyId: string; readonly role: 'courier'; readonly courierCode: string }
  /** A driver key or phone session; a phone session is bound to one service date. */
  | { readonly keyId: string; readonly role: 'driver'; readonly driverId: string; readonly serviceDate?: string | undefined }
  | { readonly keyId: string; readonly role: 'dispatcher' | 'admin' }
) & { readonly counties?: readonly string[] };

/** The counties a principal may act in, or undefined for every county. */
export function countyScope(p: Pick<Principal, 'counties'>): readonly string[] | undefined {
  return p.counties;
}

/**
 * The county a request acts in: the one it names (which the key must cover: else 403 naming
 * `field`), else the key's only county, else Qin County for a key of every county. A key of several
 * counties must name one (400).
 */
export function countyFor(p: Pick<Principal, 'counties'>, asked: string | undefined, field = 'county'): string {
  if (asked !== undefined) {
    if (!inScope(p, asked)) throw new AppError('forbidden', `this key may not act in county ${asked}`, [{ path: field, message: `not one of this key's counties (${(p.counties ?? []).join(', ')})` }]);
    return asked;
  }
  if (p.counties === undefined) return DEFAULT_COUNTY_ID;
  if (p.counties.length === 1) return p.counties[0]!;
  throw new AppError('invalid_data', `this key covers ${p.counties.length} counties; name one`, [{ path: field, message: `required: one of ${p.counties.join(', ')}` }]);
}

/** Whether a principal may see or act in a county. */
export function inScope(p: Pick<Principal, 'counties'>, countyId: string): boolean {
  return p.counties === undefined || p.counties.includes(countyId);
}

/**
 * The counties a list or an aggregate reads: the one asked for (which the key must cover: else 403
 * naming `field`), else every county of the key (undefined: every county there is).
 */
export function countyFilter(p: Pick<Principal, 'counties'>, asked: string | undefined, field = 'county'): readonly string[] | undefined {
  return asked !== undefined ? [countyFor(p, asked, field)] : p.counties;
}

/**
 * A single row of another county is answered like a row that does not exist (404 with
 * `message`): a key of one county learns nothing of the other's rows, not even that they exist.
 */
export function requireInScope(p: Pick<Principal, 'counties'>, countyId: string | undefined, message: string): void {
  if (countyId === undefined || !inScope(p, countyId)) throw new AppError('not_found', message);
}

export function hashApiKey(key: string): string {
  // One-shot crypto.hash: no Hash object per call (the key is hashed on every request).
  return oneShotHash('sha256', key, 'hex');
}

/**
 * The start of every new key, one per role, so a key found in a log, a screenshot or a secret
 * scanner tells its power at a glance. Keys used to start with `gp_<role initial>_`, which gave
 * dispatcher and driver keys the same `gp_d_`; those still work (a key is found by its hash,
 * never by its prefix), only new driver keys differ.
 */
export const KEY_PREFIXES: Readonly<Record<Role, string>> = Object.freeze({ courier: 'gp_c_', dispatcher: 'gp_d_', driver: 'gp_drv_', admin: 'gp_a_' });

export function generateApiKey(role: Role): string {
  return `${KEY_PREFIXES[role]}${randomBytes(32).toString('base64url')}`;
}

export interface CreateApiKeyInput {
  readonly role: Role;
  readonly courierCode?: string | undefined;
  readonly driverId?: string | undefined;
  readonly label?: string | undefined;
  /** Counties the key may act in; undefined = every county (admin keys), or the one county when only one is imported. */
  readonly counties?: readonly string[] | undefined;
}

export interface CreatedApiKey {
  readonly id: string;
  /** The secret: returned once, never stored. */
  readonly key: string;
  readonly prefix: string;
}

export async function createApiKey(db: Kysely<Database>, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  if (input.role === 'courier') {
    if (!input.courierCode) throw new AppError('invalid_data', 'a courier key needs a courier (--courier CODE)');
    const courier = await db.selectFrom('couriers').select('code').where('code', '=', input.courierCode).executeTakeFirst();
    if (courier === undefined) {
      const known = await db.selectFrom('couriers').select('code').orderBy('code').execute();
      throw new AppError('not_found', `unknown courier "${input.courierCode}" (known: ${known.map((c) => c.code).join(', ') || 'none; run `gongpei db migrate`, which loads the network and its couriers'})`);
    }
  } else if (input.courierCode) {
    throw new AppError('invalid_data', `a ${input.role} key is not bound to a courier`);
  }
  if (input.role === 'driver') {
    if (!input.driverId) throw new AppError('invalid_data', 'a driver key needs a driver id (--driver ID)');
  } else if (input.driverId) {
    throw new AppError('invalid_data', `a ${input.role} key is not bound to a driver`);
  }
  const counties = await keyCounties(db, input.role, input.counties);
  const key = generateApiKey(input.role);
  const id = randomUUID();
  // The role prefix and 7 random characters: what `keys list` shows and `keys revoke` accepts.
  const prefix = key.slice(0, KEY_PREFIXES[input.role].length + 7);
  await db
    .insertInto('api_keys')
    .values({
      id,
      key_hash: hashApiKey(key),
      key_prefix: prefix,
      role: input.role,
      courier_code: input.role === 'courier' ? input.courierCode! : null,
      driver_id: input.role === 'driver' ? input.driverId! : null,
      label: input.label ?? null,
      created_at: new Date().toISOString(),
      revoked_at: null,
      county_ids: counties === null ? null : JSON.stringify(counties),
    })
    .execute();
  return { id, key, prefix };
}

/**
 * The county scope a new key gets: the counties asked for (each must be imported), else every
 * county for an admin key, else the one county when only one is imported (a one-county
 * deployment never has to name it). With several counties a non-admin key must name its own.
 */
async function keyCounties(db: Kysely<Database>, role: Role, asked: readonly string[] | undefined): Promise<string[] | null> {
  const known = (await db.selectFrom('counties').select('id').orderBy('id').execute()).map((c) => c.id);
  if (asked !== undefined && asked.length > 0) {
    const unknown = asked.filter((c) => !known.includes(c));
    if (unknown.length > 0) throw new AppError('not_found', `unknown county ${unknown.join(', ')} (imported: ${known.join(', ') || 'none'})`, [{ path: 'counties', message: `unknown: ${unknown.join(', ')}` }]);
    return [...new Set(asked)].sort();
  }
  if (role === 'admin') return null;
  if (known.length > 1) throw new AppError('invalid_data', `this deployment has ${known.length} counties (${known.join(', ')}); a ${role} key names its own (--county ID, repeatable)`, [{ path: 'counties', message: 'required' }]);
  return known.length === 1 ? known : [DEFAULT_COUNTY_ID];
}

/** Revokes by id or by key prefix; returns how many keys were revoked. */
export async function revokeApiKey(db: Kysely<Database>, idOrPrefix: string): Promise<number> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date().toISOString() })
    .where((eb) => eb.or([eb('id', '=', idOrPrefix), eb('key_prefix', '=', idOrPrefix)]))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export type ApiKeyListing = Omit<ApiKeyRow, 'key_hash'>;

export async function listApiKeys(db: Kysely<Database>): Promise<ApiKeyListing[]> {
  return db
    .selectFrom('api_keys')
    .select(['id', 'key_prefix', 'role', 'courier_code', 'driver_id', 'label', 'created_at', 'revoked_at', 'expires_at', 'service_date', 'driver_link_id', 'county_ids'])
    .orderBy('created_at')
    .execute();
}

export function principalFromRow(row: Pick<ApiKeyRow, 'id' | 'role' | 'courier_code' | 'driver_id'> & Partial<Pick<ApiKeyRow, 'service_date' | 'county_ids'>>): Principal {
  const scope = row.county_ids ? { counties: Object.freeze(JSON.parse(row.county_ids) as string[]) } : {};
  switch (row.role) {
    case 'courier':
      return { keyId: row.id, role: 'courier', courierCode: row.courier_code ?? '', ...scope };
    case 'driver':
      return row.service_date ? { keyId: row.id, role: 'driver', driverId: row.driver_id ?? '', serviceDate: row.service_date, ...scope } : { keyId: row.id, role: 'driver', driverId: row.driver_id ?? '', ...scope };
    default:
      return { keyId: row.id, role: row.role, ...scope };
  }
}

/**
 * Looks keys up by hash, with a short-lived cache so a busy courier's requests do not each cost
 * a database round trip. A revocation takes effect within `cacheMs` (default 1 s; 0 = no cache).
 */
export class ApiKeyAuthenticator {
  readonly #db: Kysely<Database>;
  readonly #cacheMs: number;
  readonly #cache = new Map<string, { principal: Principal | null; until: number }>();

  constructor(db: Kysely<Database>, cacheMs = 1_000) {
    this.#db = db;
    this.#cacheMs = cacheMs;
  }

  /**
   * The cached answer for a presented key while it is fresh (a principal, or null for an unknown
   * or revoked key); undefined when the database must be asked (`authenticate`). Synchronous, so
   * a busy key's requests cost no promise or extra tick.
   */
  cached(key: string): Principal | null | undefined {
    const hit = this.#cache.get(hashApiKey(key));
    return hit !== undefined && hit.until > Date.now() ? hit.principal : undefined;
  }

  /** The principal for a presented key, or null for an unknown or revoked key. */
  async authenticate(key: string): Promise<Principal | null> {
    const hash = hashApiKey(key);
    const now = Date.now();
    const hit = this.#cache.get(hash);
    if (hit !== undefined && hit.until > now) return hit.principal;
    const row = await this.#db
      .selectFrom('api_keys')
      .select(['id', 'role', 'courier_code', 'driver_id', 'revoked_at', 'expires_at', 'service_date', 'county_ids'])
      .where('key_hash', '=', hash)
      .executeTakeFirst();
    // A phone session (src/drivers) expires; a key made with `gongpei keys create` does not.
    const expiresMs = row?.expires_at ? Date.parse(row.expires_at) : Infinity;
    const principal = row === undefined || row.revoked_at !== null || expiresMs <= now ? null : principalFromRow(row);
    if (this.#cacheMs > 0) {
      // Bounded: random garbage keys must not grow the cache without limit.
      if (this.#cache.size > 10_000) this.#cache.clear();
      this.#cache.set(hash, { principal, until: Math.min(now + this.#cacheMs, expiresMs) });
    }
    return principal;
  }
}
