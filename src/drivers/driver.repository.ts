/**
 * Queries for drivers, their vehicle per service date, sign-in links, phone sessions and route
 * opens. Business rules (validation, token handling, expiry) live in driver.service.ts.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, DriverAssignmentRow, DriverLinkRow, DriverRow } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertDriver(db: Db, row: DriverRow): Promise<void> {
  await db.insertInto('drivers').values(row).execute();
}

export async function findDriver(db: Db, id: string): Promise<DriverRow | undefined> {
  return db.selectFrom('drivers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findDriverByPhone(db: Db, phone: string): Promise<DriverRow | undefined> {
  return db.selectFrom('drivers').selectAll().where('phone', '=', phone).executeTakeFirst();
}

export async function allDrivers(db: Db): Promise<DriverRow[]> {
  return db.selectFrom('drivers').selectAll().orderBy('name').orderBy('id').execute();
}

export async function setDriverActive(db: Db, id: string, active: boolean): Promise<number> {
  const r = await db.updateTable('drivers').set({ active: active ? 1 : 0 }).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The date's assignments; `counties`: only those of these counties' vehicles (undefined: every county). */
export async function assignmentsOn(db: Db, serviceDate: string, counties?: readonly string[]): Promise<DriverAssignmentRow[]> {
  let q = db.selectFrom('driver_assignments').selectAll().where('service_date', '=', serviceDate);
  if (counties !== undefined) q = q.where('vehicle_id', 'in', db.selectFrom('vehicles').select('id').where('county_id', 'in', [...counties]));
  return q.orderBy('vehicle_id').execute();
}

export async function assignmentOfDriver(db: Db, driverId: string, serviceDate: string): Promise<DriverAssignmentRow | undefined> {
  return db.selectFrom('driver_assignments').selectAll().where('driver_id', '=', driverId).where('service_date', '=', serviceDate).executeTakeFirst();
}

/** Puts `driverId` on the vehicle for the date, replacing the vehicle's previous driver. */
export async function upsertAssignment(db: Db, row: DriverAssignmentRow): Promise<void> {
  await db
    .insertInto('driver_assignments')
    .values(row)
    .onConflict((oc) => oc.columns(['service_date', 'vehicle_id']).doUpdateSet({ driver_id: row.driver_id, assigned_at: row.assigned_at }))
    .execute();
}

export async function deleteAssignment(db: Db, serviceDate: string, vehicleId: string): Promise<number> {
  const r = await db.deleteFrom('driver_assignments').where('service_date', '=', serviceDate).where('vehicle_id', '=', vehicleId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Every route of that vehicle on that date's plans now names the driver (manifests and events check it). */
export async function setRouteDriver(db: Db, serviceDate: string, vehicleId: string, driverId: string | null): Promise<void> {
  await db
    .updateTable('routes')
    .set({ driver_id: driverId })
    .where('vehicle_id', '=', vehicleId)
    .where('plan_id', 'in', db.selectFrom('plans').select('id').where('service_date', '=', serviceDate))
    .execute();
}

/** Driver per vehicle for a date: the assignment, else the vehicle's standing driver. */
export async function driversForVehicles(db: Db, serviceDate: string, vehicleIds: readonly string[]): Promise<Map<string, string | null>> {
  if (vehicleIds.length === 0) return new Map();
  const [standing, assigned] = await Promise.all([
    db.selectFrom('vehicles').select(['id', 'driver_id']).where('id', 'in', vehicleIds).execute(),
    db.selectFrom('driver_assignments').select(['vehicle_id', 'driver_id']).where('service_date', '=', serviceDate).where('vehicle_id', 'in', vehicleIds).execute(),
  ]);
  const out = new Map<string, string | null>(standing.map((v) => [v.id, v.driver_id]));
  for (const a of assigned) out.set(a.vehicle_id, a.driver_id);
  return out;
}

export async function vehicleExists(db: Db, vehicleId: string): Promise<{ id: string; name: string; active: number; county_id: string } | undefined> {
  return db.selectFrom('vehicles').select(['id', 'name', 'active', 'county_id']).where('id', '=', vehicleId).executeTakeFirst();
}

export async function insertLink(db: Db, row: DriverLinkRow): Promise<void> {
  await db.insertInto('driver_links').values(row).execute();
}

export async function findLink(db: Db, id: string): Promise<DriverLinkRow | undefined> {
  return db.selectFrom('driver_links').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findLinkByHash(db: Db, tokenHash: string): Promise<DriverLinkRow | undefined> {
  return db.selectFrom('driver_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Marks a link used, only if nobody used it first (the exchange is single-use under races). */
export async function claimLink(db: Db, id: string, usedAt: string): Promise<boolean> {
  const r = await db.updateTable('driver_links').set({ used_at: usedAt }).where('id', '=', id).where('used_at', 'is', null).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function linksOf(db: Db, driverId: string, serviceDate?: string): Promise<DriverLinkRow[]> {
  let q = db.selectFrom('driver_links').selectAll().where('driver_id', '=', driverId);
  if (serviceDate !== undefined) q = q.where('service_date', '=', serviceDate);
  return q.orderBy('created_at').execute();
}

/** Revokes links (by id, or all of a driver's) and every phone session made from them. */
export async function revokeLinks(db: Db, where: { readonly linkId: string } | { readonly driverId: string }, now: string): Promise<number> {
  const ids =
    'linkId' in where
      ? [where.linkId]
      : (await db.selectFrom('driver_links').select('id').where('driver_id', '=', where.driverId).execute()).map((r) => r.id);
  if (ids.length === 0) return 0;
  const links = await db.updateTable('driver_links').set({ revoked_at: now }).where('id', 'in', ids).where('revoked_at', 'is', null).executeTakeFirst();
  const sessions = await db.updateTable('api_keys').set({ revoked_at: now }).where('driver_link_id', 'in', ids).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(links.numUpdatedRows) + Number(sessions.numUpdatedRows);
}

export async function recordRouteOpen(db: Db, routeId: string, driverId: string, at: string): Promise<void> {
  await db
    .insertInto('route_opens')
    .values({ route_id: routeId, driver_id: driverId, first_opened_at: at })
    .onConflict((oc) => oc.columns(['route_id', 'driver_id']).doNothing())
    .execute();
}

/** Routes of a date's current plans (not replaced by a re-plan) with their driver and first open by that driver. */
export async function routesOfDate(db: Db, serviceDate: string) {
  return db
    .selectFrom('routes')
    .innerJoin('plans', 'plans.id', 'routes.plan_id')
    .leftJoin('route_opens', (j) => j.onRef('route_opens.route_id', '=', 'routes.id').onRef('route_opens.driver_id', '=', 'routes.driver_id'))
    .select(['routes.id', 'routes.plan_id', 'routes.tier', 'routes.hub_id', 'routes.vehicle_id', 'routes.driver_id', 'routes.start_at', 'route_opens.first_opened_at'])
    .where('plans.service_date', '=', serviceDate)
    .where('plans.replaced_by_plan_id', 'is', null)
    .orderBy('routes.start_at')
    .orderBy('routes.id')
    .execute();
}
