/**
 * Drivers: who they are, which vehicle each drives on a service date, and how their phone signs in.
 *
 * Sign-in: the dispatcher makes a link (or prints its QR code) for a driver and a date. The link
 * carries a random 256-bit token (only its SHA-256 is stored) that is short-lived (12 h by
 * default, never past the end of the service day), single-use and revocable. The phone page
 * exchanges it (POST /v1/driver-sessions) for a session credential: a bearer key of role driver
 * bound to that driver and date, which expires a few hours after the service day ends. It reads
 * only that driver's routes and manifests of that date and posts events for their stops; it is
 * never shown to anyone, so there is no key to paste or to leak by messaging it. The token sits
 * in the link's fragment (`/driver#token=…`), which browsers do not send to servers or in
 * Referer headers, so it does not land in access logs either. Revoking a link (or all of a
 * driver's) ends the sessions made from it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import QRCode from 'qrcode';
import { generateApiKey, hashApiKey } from '../auth/api-keys.ts';
import { DEFAULT_COUNTY_ID, type Database, type DriverRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import * as repo from './driver.repository.ts';

/** A sign-in link lives this long unless asked otherwise (and never past the end of its service day). */
export const DEFAULT_LINK_TTL_MINUTES = 12 * 60;
export const MAX_LINK_TTL_MINUTES = 48 * 60;
/** A phone session outlives its service day by this much (late returns, the last events syncing). */
export const SESSION_GRACE_HOURS = 6;
/** Where the phone page lives; the token goes in the fragment. */
export const DRIVER_PAGE_PATH = '/driver';

export interface DriverOptions {
  /** The network's clock (config TIMEZONE): a service day ends at local midnight. */
  readonly utcOffsetMinutes: number;
  readonly now?: () => Date;
}

const nowOf = (o: Pick<DriverOptions, 'now'>) => (o.now ?? (() => new Date()))();

/** The instant a service date ends (local midnight after it), as epoch ms. */
export function endOfServiceDay(serviceDate: string, utcOffsetMinutes: number): number {
  return Date.parse(`${serviceDate}T00:00:00.000Z`) + 24 * 3_600_000 - utcOffsetMinutes * 60_000;
}

/** 138 1234 5678 / 138-1234-5678 → 13812345678; a leading + stays. */
export function normalizePhone(phone: string): string {
  const p = phone.trim().replace(/[\s-]/g, '');
  if (!/^\+?\d{6,20}$/.test(p)) throw new AppError('invalid_data', 'phone must be 6–20 digits (spaces and dashes allowed)', [{ path: 'phone', message: 'not a phone number' }]);
  return p;
}

export interface Driver {
  readonly id: string;
  readonly name: string;
  readonly phone: string;
  readonly active: boolean;
  readonly createdAt: string;
  /** The county the driver drives in. */
  readonly county: string;
}

const toDriver = (r: DriverRow): Driver => ({ id: r.id, name: r.name, phone: r.phone, active: r.active !== 0, createdAt: r.created_at, county: r.county_id });

/** The counties a key covers (undefined: every county): another county's drivers, vehicles and links are 404 to it, like unknown ones. */
export type CountyScope = readonly string[] | undefined;

const inCounties = (counties: CountyScope, countyId: string) => counties === undefined || counties.includes(countyId);

/** The driver, if the scope covers their county. */
async function driverInScope(db: Kysely<Database>, driverId: string, counties: CountyScope): Promise<DriverRow | undefined> {
  const driver = await repo.findDriver(db, driverId);
  return driver !== undefined && inCounties(counties, driver.county_id) ? driver : undefined;
}

export async function addDriver(db: Kysely<Database>, input: { readonly name: string; readonly phone: string; readonly active?: boolean; readonly countyId?: string }, options: Pick<DriverOptions, 'now'> = {}): Promise<Driver> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 64) throw new AppError('invalid_data', 'name must be 1–64 characters', [{ path: 'name', message: 'empty or too long' }]);
  const phone = normalizePhone(input.phone);
  const existing = await repo.findDriverByPhone(db, phone);
  if (existing) throw new AppError('conflict', `driver ${existing.id} (${existing.name}) already has phone ${phone}`, [{ path: 'phone', message: 'taken' }]);
  const row: DriverRow = { id: randomUUID(), name, phone, active: input.active === false ? 0 : 1, created_at: nowOf(options).toISOString(), county_id: input.countyId ?? DEFAULT_COUNTY_ID };
  await repo.insertDriver(db, row);
  return toDriver(row);
}

export async function setActive(db: Kysely<Database>, driverId: string, active: boolean, options: Pick<DriverOptions, 'now'> = {}, counties?: CountyScope): Promise<Driver> {
  if ((await driverInScope(db, driverId, counties)) === undefined) throw new AppError('not_found', `no driver ${driverId}`);
  const n = await repo.setDriverActive(db, driverId, active);
  if (n === 0) throw new AppError('not_found', `no driver ${driverId}`);
  // An inactive driver's phone stops working at once.
  if (!active) await repo.revokeLinks(db, { driverId }, nowOf(options).toISOString());
  return toDriver((await repo.findDriver(db, driverId))!);
}

export interface DriverListing extends Driver {
  /** The vehicle the driver drives on `date` (when a date was asked for). */
  readonly vehicleId: string | null;
  /** When the driver's phone last signed in for `date` (a link was exchanged). */
  readonly signedInAt: string | null;
  /** The driver's routes on `date` (current plan versions) and when each was first opened. */
  readonly routes: { readonly routeId: string; readonly tier: string; readonly vehicleId: string; readonly startAt: string; readonly firstOpenedAt: string | null }[];
}

export async function listDrivers(db: Kysely<Database>, date?: string, counties?: CountyScope): Promise<DriverListing[]> {
  const drivers = (await repo.allDrivers(db)).filter((d) => inCounties(counties, d.county_id));
  if (date === undefined) return drivers.map((d) => ({ ...toDriver(d), vehicleId: null, signedInAt: null, routes: [] }));
  const [assignments, routes, links] = await Promise.all([
    repo.assignmentsOn(db, date),
    repo.routesOfDate(db, date),
    db.selectFrom('driver_links').select(['driver_id', 'used_at']).where('service_date', '=', date).where('used_at', 'is not', null).execute(),
  ]);
  const vehicleOf = new Map(assignments.map((a) => [a.driver_id, a.vehicle_id]));
  const signedIn = new Map<string, string>();
  for (const l of links) if (l.used_at && (signedIn.get(l.driver_id) ?? '') < l.used_at) signedIn.set(l.driver_id, l.used_at);
  return drivers.map((d) => ({
    ...toDriver(d),
    vehicleId: vehicleOf.get(d.id) ?? null,
    signedInAt: signedIn.get(d.id) ?? null,
    routes: routes
      .filter((r) => r.driver_id === d.id)
      .map((r) => ({ routeId: r.id, tier: r.tier, vehicleId: r.vehicle_id, startAt: r.start_at, firstOpenedAt: r.first_opened_at ?? null })),
  }));
}

export interface Assignment {
  readonly date: string;
  readonly vehicleId: string;
  readonly driverId: string | null;
}

/**
 * Puts a driver on a vehicle for a date (driverId null: takes the vehicle's driver off). The
 * vehicle's previous driver that day is replaced; a driver already on another vehicle that day
 * is refused (409) rather than silently moved. Routes of that vehicle already planned for the
 * date name the new driver at once.
 */
export async function assignDriver(db: Kysely<Database>, input: Assignment, options: Pick<DriverOptions, 'now'> = {}, counties?: CountyScope): Promise<Assignment> {
  const now = nowOf(options).toISOString();
  return db.transaction().execute(async (trx) => {
    const vehicle = await repo.vehicleExists(trx, input.vehicleId);
    if (!vehicle || !inCounties(counties, vehicle.county_id)) throw new AppError('not_found', `no vehicle ${input.vehicleId}`, [{ path: 'vehicleId', message: 'unknown' }]);
    if (input.driverId === null) {
      await repo.deleteAssignment(trx, input.date, input.vehicleId);
      await repo.setRouteDriver(trx, input.date, input.vehicleId, null);
      return { date: input.date, vehicleId: input.vehicleId, driverId: null };
    }
    if (vehicle.active === 0) throw new AppError('conflict', `vehicle ${input.vehicleId} is not active`, [{ path: 'vehicleId', message: 'inactive' }]);
    const driver = await repo.findDriver(trx, input.driverId);
    if (!driver || !inCounties(counties, driver.county_id)) throw new AppError('not_found', `no driver ${input.driverId}`, [{ path: 'driverId', message: 'unknown' }]);
    // A driver drives in their own county: a key of both counties still cannot lend one across.
    if (driver.county_id !== vehicle.county_id) throw new AppError('conflict', `${driver.name} drives in county ${driver.county_id}; vehicle ${input.vehicleId} is county ${vehicle.county_id}'s`, [{ path: 'driverId', message: 'another county' }]);
    if (driver.active === 0) throw new AppError('conflict', `driver ${driver.name} is not active`, [{ path: 'driverId', message: 'inactive' }]);
    const other = await repo.assignmentOfDriver(trx, input.driverId, input.date);
    if (other && other.vehicle_id !== input.vehicleId) {
      throw new AppError('conflict', `${driver.name} already drives ${other.vehicle_id} on ${input.date}; take them off it first`, [{ path: 'driverId', message: 'already assigned that day' }]);
    }
    await repo.upsertAssignment(trx, { service_date: input.date, vehicle_id: input.vehicleId, driver_id: input.driverId, assigned_at: now });
    await repo.setRouteDriver(trx, input.date, input.vehicleId, input.driverId);
    return { date: input.date, vehicleId: input.vehicleId, driverId: input.driverId };
  });
}

export interface SignInLink {
  readonly linkId: string;
  readonly driverId: string;
  readonly date: string;
  readonly expiresAt: string;
  /** Path + fragment to append to the server's base URL; the token is only ever shown here. */
  readonly path: string;
  readonly token: string;
}

export async function createSignInLink(
  db: Kysely<Database>,
  input: { readonly driverId: string; readonly date: string; readonly ttlMinutes?: number },
  options: DriverOptions,
  counties?: CountyScope,
): Promise<SignInLink> {
  const ttl = input.ttlMinutes ?? DEFAULT_LINK_TTL_MINUTES;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_LINK_TTL_MINUTES) {
    throw new AppError('invalid_data', `ttlMinutes must be 1–${MAX_LINK_TTL_MINUTES}`, [{ path: 'ttlMinutes', message: 'out of range' }]);
  }
  const now = nowOf(options);
  const driver = await driverInScope(db, input.driverId, counties);
  if (!driver) throw new AppError('not_found', `no driver ${input.driverId}`, [{ path: 'driverId', message: 'unknown' }]);
  if (driver.active === 0) throw new AppError('conflict', `driver ${driver.name} is not active`);
  const dayEnd = endOfServiceDay(input.date, options.utcOffsetMinutes);
  if (dayEnd <= now.getTime()) throw new AppError('invalid_data', `${input.date} is over; a sign-in link is for today or a later day`, [{ path: 'date', message: 'in the past' }]);
  const expires = new Date(Math.min(now.getTime() + ttl * 60_000, dayEnd));
  const token = randomBytes(32).toString('base64url');
  const linkId = randomUUID();
  await repo.insertLink(db, {
    id: linkId,
    token_hash: hashApiKey(token),
    driver_id: driver.id,
    service_date: input.date,
    created_at: now.toISOString(),
    expires_at: expires.toISOString(),
    used_at: null,
    revoked_at: null,
  });
  return { linkId, driverId: driver.id, date: input.date, expiresAt: expires.toISOString(), path: `${DRIVER_PAGE_PATH}#token=${token}`, token };
}

/** The QR code of a full sign-in URL, as inline SVG. */
export function signInQrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
}

export interface DriverSession {
  /** The session credential (a bearer key); shown once, to the phone. */
  readonly token: string;
  readonly driverId: string;
  readonly driverName: string;
  readonly date: string;
  readonly vehicleId: string | null;
  readonly expiresAt: string;
}

/** Exchanges a sign-in link's token for a phone session. 401 for anything but a fresh, unused link. */
export async function exchangeSignInLink(db: Kysely<Database>, token: string, options: DriverOptions): Promise<DriverSession> {
  const now = nowOf(options);
  return db.transaction().execute(async (trx) => {
    const link = await repo.findLinkByHash(trx, hashApiKey(token));
    const refuse = (why: string) => new AppError('unauthorized', `${why}; ask the dispatcher for a new sign-in link`);
    if (!link) throw refuse('unknown sign-in link');
    if (link.revoked_at !== null) throw refuse('this sign-in link was revoked');
    if (link.used_at !== null) throw refuse('this sign-in link was already used');
    if (Date.parse(link.expires_at) <= now.getTime()) throw refuse('this sign-in link has expired');
    const driver = await repo.findDriver(trx, link.driver_id);
    if (!driver || driver.active === 0) throw refuse('this driver is not active');
    if (!(await repo.claimLink(trx, link.id, now.toISOString()))) throw refuse('this sign-in link was already used');
    const key = generateApiKey('driver');
    const expiresAt = new Date(endOfServiceDay(link.service_date, options.utcOffsetMinutes) + SESSION_GRACE_HOURS * 3_600_000).toISOString();
    await trx
      .insertInto('api_keys')
      .values({
        id: randomUUID(),
        key_hash: hashApiKey(key),
        key_prefix: key.slice(0, 12),
        role: 'driver',
        courier_code: null,
        driver_id: driver.id,
        label: `phone session ${link.service_date}`,
        created_at: now.toISOString(),
        revoked_at: null,
        expires_at: expiresAt,
        service_date: link.service_date,
        driver_link_id: link.id,
        // The phone sees the driver's county only.
        county_ids: JSON.stringify([driver.county_id]),
      })
      .execute();
    const assignment = await repo.assignmentOfDriver(trx, driver.id, link.service_date);
    return { token: key, driverId: driver.id, driverName: driver.name, date: link.service_date, vehicleId: assignment?.vehicle_id ?? null, expiresAt };
  });
}

export async function revokeSignIn(db: Kysely<Database>, where: { readonly linkId: string } | { readonly driverId: string }, options: Pick<DriverOptions, 'now'> = {}, counties?: CountyScope): Promise<number> {
  if (counties !== undefined) {
    const driverId = 'driverId' in where ? where.driverId : (await repo.findLink(db, where.linkId))?.driver_id;
    if (driverId === undefined || (await driverInScope(db, driverId, counties)) === undefined) throw new AppError('not_found', 'linkId' in where ? `no sign-in link ${where.linkId}` : `no driver ${where.driverId}`);
  }
  return repo.revokeLinks(db, where, nowOf(options).toISOString());
}

/** Remembers the first time a driver opened a route (the dispatcher sees who has looked). */
export async function markRouteOpened(db: Kysely<Database>, routeId: string, driverId: string, options: Pick<DriverOptions, 'now'> = {}): Promise<void> {
  await repo.recordRouteOpen(db, routeId, driverId, nowOf(options).toISOString());
}
