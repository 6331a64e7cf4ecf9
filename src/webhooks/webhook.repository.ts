/** The courier_webhooks table: one webhook per courier and county (migration 2026_12_01_1930). */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface StoredWebhook {
  readonly url: string;
  /** Sealed (secret-box.ts). */
  readonly secret: string;
}

/** The courier's webhook in this county, if it set one there. */
export async function webhookOf(db: Kysely<Database>, courier: string, countyId: string): Promise<StoredWebhook | undefined> {
  return db.selectFrom('courier_webhooks').select(['url', 'secret']).where('courier_code', '=', courier).where('county_id', '=', countyId).executeTakeFirst();
}

/** Sets (or replaces) the courier's webhook in this county; `sealedSecret` is already sealed. */
export async function saveWebhook(db: Kysely<Database>, courier: string, countyId: string, url: string, sealedSecret: string, at: Date): Promise<void> {
  const now = at.toISOString();
  await db
    .insertInto('courier_webhooks')
    .values({ courier_code: courier, county_id: countyId, url, secret: sealedSecret, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['courier_code', 'county_id']).doUpdateSet({ url, secret: sealedSecret, updated_at: now }))
    .execute();
}

/** Removes the courier's webhook in this county; its other counties' webhooks stay. */
export async function deleteWebhook(db: Kysely<Database>, courier: string, countyId: string): Promise<void> {
  await db.deleteFrom('courier_webhooks').where('courier_code', '=', courier).where('county_id', '=', countyId).execute();
}

export async function courierExists(db: Kysely<Database>, courier: string): Promise<boolean> {
  return (await db.selectFrom('couriers').select('code').where('code', '=', courier).executeTakeFirst()) !== undefined;
}
