/**
 * Webhooks per courier and county (issue 15 item 3): a courier's outlets are often separate
 * franchisees per county, so each (courier, county) has its own URL and signing secret, set with a
 * key of that county, and receives that county's parcel and pickup changes only. The one webhook a
 * courier had before becomes its Qin County (140430) webhook, the one county every earlier version
 * knew. The secret is copied sealed as it was (the courier code stays its authenticated data).
 *
 * Down keeps each courier's Qin County webhook on `couriers`; other counties' webhooks are lost
 * with the table, as there is nowhere to put them.
 */
import type { Kysely } from 'kysely';

const QIN_COUNTY = '140430';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('courier_webhooks')
    .addColumn('courier_code', 'text', (c) => c.notNull().references('couriers.code'))
    .addColumn('county_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    /** AES-256-GCM sealed (src/webhooks/secret-box.ts); plain only until the next start-up seals it. */
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('courier_webhooks_pk', ['courier_code', 'county_id'])
    .execute();
  const now = new Date().toISOString();
  const rows = await db.selectFrom('couriers').select(['code', 'webhook_url', 'webhook_secret']).where('webhook_url', 'is not', null).where('webhook_secret', 'is not', null).execute();
  if (rows.length > 0) {
    await db
      .insertInto('courier_webhooks')
      .values(rows.map((r) => ({ courier_code: r.code, county_id: QIN_COUNTY, url: r.webhook_url, secret: r.webhook_secret, created_at: now, updated_at: now })))
      .execute();
  }
  await db.schema.alterTable('couriers').dropColumn('webhook_url').execute();
  await db.schema.alterTable('couriers').dropColumn('webhook_secret').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('couriers').addColumn('webhook_url', 'text').execute();
  await db.schema.alterTable('couriers').addColumn('webhook_secret', 'text').execute();
  const rows = await db.selectFrom('courier_webhooks').select(['courier_code', 'url', 'secret']).where('county_id', '=', QIN_COUNTY).execute();
  for (const r of rows) {
    await db.updateTable('couriers').set({ webhook_url: r.url, webhook_secret: r.secret }).where('code', '=', r.courier_code).execute();
  }
  await db.schema.dropTable('courier_webhooks').execute();
}
