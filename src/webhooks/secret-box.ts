/**
 * Webhook signing secrets at rest: AES-256-GCM with a key from config (WEBHOOK_SECRET_KEY), so a
 * copy of the database (a backup, a replica, a leaked dump) does not let anyone sign webhooks as
 * us. Stored as `v1.<iv>.<tag>.<ciphertext>` (base64url; a fresh 96-bit IV per value); the
 * courier code is the additional authenticated data, so a value copied to another courier's row
 * does not decrypt. Secrets stored in plain text before this existed are encrypted by
 * `encryptStoredWebhookSecrets`, which every `db migrate` and API start-up runs.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

const PREFIX = 'v1.';
/** 12-byte IV, 16-byte tag, ciphertext: a plain secret of exactly this shape is not a concern. */
const SEALED = /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/;

/** The 32-byte key from its config form: 64 hex digits or 43–44 base64/base64url characters. */
export function parseSecretKey(text: string): Buffer | undefined {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(t) ? Buffer.from(t.replace(/=$/, ''), 'base64url') : undefined;
  return key?.length === 32 ? key : undefined;
}

export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('AES-256-GCM needs a 32-byte key');
    this.#key = key;
  }

  static isSealed(value: string): boolean {
    return SEALED.test(value);
  }

  seal(plain: string, courier: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(courier, 'utf8'));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`;
  }

  /** The secret; throws when the value was not sealed with this key for this courier. */
  open(sealed: string, courier: string): string {
    const parts = sealed.slice(PREFIX.length).split('.');
    if (!SecretBox.isSealed(sealed) || parts.length !== 3) throw new Error('not a sealed webhook secret');
    const [iv, tag, ct] = parts.map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer];
    const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
    decipher.setAAD(Buffer.from(courier, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
  }
}

/** Seals every webhook secret (of every courier and county) still stored in plain text; returns how many. Idempotent. */
export async function encryptStoredWebhookSecrets(db: Kysely<Database>, box: SecretBox): Promise<number> {
  const rows = await db.selectFrom('courier_webhooks').select(['courier_code', 'county_id', 'secret']).execute();
  let sealed = 0;
  for (const row of rows) {
    if (SecretBox.isSealed(row.secret)) continue;
    // Only if still the same plain value: the courier may have set a new secret meanwhile.
    const r = await db
      .updateTable('courier_webhooks')
      .set({ secret: box.seal(row.secret, row.courier_code) })
      .where('courier_code', '=', row.courier_code)
      .where('county_id', '=', row.county_id)
      .where('secret', '=', row.secret)
      .executeTakeFirst();
    sealed += Number(r.numUpdatedRows);
  }
  return sealed;
}
