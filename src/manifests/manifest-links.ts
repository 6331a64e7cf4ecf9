/**
 * Manifest links: the printable manifest at a real URL (`/manifest?token=…`) that a dispatcher can
 * copy into a message and a driver's phone can open, where a page cannot send a Bearer key.
 *
 * The token is 256 random bits (only its SHA-256 stored), names one route, and is short-lived
 * (4 h by default, 24 h at most; a driver's never outlives their phone session). It reads the
 * manifest as the key that made it, checked again on every open: a dispatcher's link reads the
 * route; a driver's reads it only while it is still theirs and their session lives; revoking the
 * key or the driver's sign-in ends its links. The token rides in the query, which the request log
 * leaves out, and the page is sent with no-store and no referrer.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashApiKey, type Principal } from '../auth/api-keys.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Reader } from './manifest.service.ts';

export const DEFAULT_MANIFEST_LINK_MINUTES = 4 * 60;
export const MAX_MANIFEST_LINK_MINUTES = 24 * 60;
/** Where the printable manifest of a link is served. */
export const MANIFEST_PAGE_PATH = '/manifest';

export interface ManifestLink {
  readonly routeId: string;
  readonly path: string;
  readonly expiresAt: string;
}

/** The reader a key is, for manifests (only the roles that read manifests get here). */
export function readerOfPrincipal(p: Principal): Reader {
  if (p.role === 'driver') return { role: 'driver', driverId: p.driverId, serviceDate: p.serviceDate, counties: p.counties };
  if (p.role === 'dispatcher' || p.role === 'admin') return { role: p.role, counties: p.counties };
  throw new AppError('forbidden', `a ${p.role} key does not read manifests`);
}

/**
 * A new link to `routeId`'s printable manifest, read as `principal`. The caller has checked that
 * the principal may read the route (by building its manifest). A driver's link ends with their
 * phone session at the latest.
 */
export async function createManifestLink(db: Kysely<Database>, principal: Principal, routeId: string, options: { readonly ttlMinutes?: number | undefined; readonly now?: Date | undefined } = {}): Promise<ManifestLink> {
  const now = options.now ?? new Date();
  const key = await db.selectFrom('api_keys').select(['expires_at']).where('id', '=', principal.keyId).executeTakeFirst();
  let expires = now.getTime() + (options.ttlMinutes ?? DEFAULT_MANIFEST_LINK_MINUTES) * 60_000;
  if (key?.expires_at) expires = Math.min(expires, Date.parse(key.expires_at));
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(expires).toISOString();
  await db
    .insertInto('manifest_links')
    .values({ id: randomUUID(), token_hash: hashApiKey(token), route_id: routeId, api_key_id: principal.keyId, created_at: now.toISOString(), expires_at: expiresAt })
    .execute();
  return { routeId, path: `${MANIFEST_PAGE_PATH}?token=${token}`, expiresAt };
}

/**
 * The route and reader of a link's token. 401 for an unknown or expired token, or one whose key
 * has been revoked or has expired since.
 */
export async function openManifestLink(db: Kysely<Database>, token: string, now: Date = new Date()): Promise<{ readonly routeId: string; readonly reader: Reader }> {
  const row = await db
    .selectFrom('manifest_links')
    .innerJoin('api_keys', 'api_keys.id', 'manifest_links.api_key_id')
    .select(['manifest_links.route_id', 'manifest_links.expires_at', 'api_keys.role', 'api_keys.driver_id', 'api_keys.service_date', 'api_keys.revoked_at', 'api_keys.expires_at as key_expires_at', 'api_keys.county_ids'])
    .where('manifest_links.token_hash', '=', hashApiKey(token))
    .executeTakeFirst();
  if (!row) throw new AppError('unauthorized', 'unknown manifest link: ask the dispatcher for a new one');
  const t = now.getTime();
  if (Date.parse(row.expires_at) <= t) throw new AppError('unauthorized', 'this manifest link has expired: ask the dispatcher for a new one');
  if (row.revoked_at !== null || (row.key_expires_at !== null && Date.parse(row.key_expires_at) <= t)) throw new AppError('unauthorized', 'the sign-in this manifest link was made with has ended');
  // The link reads as its key did, counties included.
  const counties = row.county_ids === null ? undefined : (JSON.parse(row.county_ids) as string[]);
  if (row.role === 'driver') return { routeId: row.route_id, reader: { role: 'driver', driverId: row.driver_id ?? '', serviceDate: row.service_date ?? undefined, counties } };
  if (row.role === 'dispatcher' || row.role === 'admin') return { routeId: row.route_id, reader: { role: row.role, counties } };
  throw new AppError('unauthorized', 'this key does not read manifests');
}
