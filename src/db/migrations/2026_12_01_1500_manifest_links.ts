/**
 * Manifest links: a printable manifest as a real URL a dispatcher can copy and send, and a
 * driver's phone can open, without a key in the browser. A random 256-bit token (only its SHA-256
 * stored) names one route, is short-lived, and reads the manifest as the key that made it: a
 * dispatcher's link reads any route, a driver's only their own route of their session's date.
 * Revoking that key (or the driver's sign-in) ends its links.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('manifest_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('route_id', 'text', (c) => c.notNull())
    .addColumn('api_key_id', 'text', (c) => c.notNull().references('api_keys.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('manifest_links').execute();
}
