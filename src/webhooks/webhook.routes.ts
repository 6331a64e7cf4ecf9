/**
 * PUT/GET/DELETE /v1/webhook (courier keys): the courier company's own webhook URL and signing
 * secret. The secret is write-only: it is never returned, only whether one is set.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type Request, type RequestHandler } from 'express';
import { jsonBody } from '../http/json-body.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import { json, registerOperation } from '../http/openapi-operation.ts';
import { parse, requireMediaType } from '../http/validate.ts';
import { z } from '../http/zod.ts';
import type { SecretBox } from './secret-box.ts';
import type { WebhookTargetChecker } from './webhook-target.ts';

export const WebhookBody = z
  .strictObject({
    url: z.url({ protocol: /^https?$/, error: 'expected an http(s):// URL' }).max(2_000).openapi({ example: 'https://courier.example.com/gongpei/events' }),
    secret: z.string().min(16).max(256).openapi({ description: 'Shared secret for the HMAC-SHA256 signature (at least 16 characters)' }),
  })
  .openapi('WebhookSettings');

export const WebhookView = z
  .object({ courier: z.string(), url: z.string().nullable(), secretSet: z.boolean(), signature: z.string() })
  .openapi('Webhook');

const SIGNATURE_DOC = 'X-Gongpei-Signature: sha256=HMAC_SHA256(secret, "<X-Gongpei-Timestamp>.<raw body>") in hex';

export interface WebhookRoutesDeps {
  readonly db: Kysely<Database>;
  readonly guard: readonly RequestHandler[];
  /** Seals secrets before they are stored. */
  readonly secrets: SecretBox;
  /** Where a webhook may point (checked, with a DNS lookup, before it is saved). */
  readonly target: WebhookTargetChecker;
}

function courierOf(req: Request): string {
  const p = principalOf(req);
  if (p.role !== 'courier') throw new AppError('forbidden', 'webhooks are set with a courier key');
  return p.courierCode;
}

export function webhookRoutes(deps: WebhookRoutesDeps): Router {
  const r = Router();
  const json = jsonBody('8kb');
  const courierOnly = requireRole('courier');
  const view = async (code: string) => {
    const row = await deps.db.selectFrom('couriers').select(['code', 'webhook_url', 'webhook_secret']).where('code', '=', code).executeTakeFirst();
    if (row === undefined) throw new AppError('not_found', 'this key’s courier no longer exists');
    return { courier: row.code, url: row.webhook_url, secretSet: row.webhook_secret !== null, signature: SIGNATURE_DOC };
  };

  r.put('/v1/webhook', ...deps.guard, courierOnly, requireMediaType('application/json'), json, async (req, res) => {
    const code = courierOf(req);
    const body = parse(WebhookBody, req.body);
    await deps.target.checkOnSave(body.url);
    await deps.db.updateTable('couriers').set({ webhook_url: body.url, webhook_secret: deps.secrets.seal(body.secret, code) }).where('code', '=', code).execute();
    res.json(await view(code));
  });
  r.get('/v1/webhook', ...deps.guard, courierOnly, async (req, res) => {
    res.json(await view(courierOf(req)));
  });
  r.delete('/v1/webhook', ...deps.guard, courierOnly, async (req, res) => {
    const code = courierOf(req);
    await deps.db.updateTable('couriers').set({ webhook_url: null, webhook_secret: null }).where('code', '=', code).execute();
    res.json(await view(code));
  });
  return r;
}

export function documentWebhookRoutes(registry: OpenAPIRegistry): void {
  const view = { 200: json('The courier’s webhook (the secret is never returned)', WebhookView) };
  const gone = { 404: 'This key’s courier no longer exists' };
  registerOperation(registry, {
    method: 'put',
    path: '/v1/webhook',
    operationId: 'setWebhook',
    tag: 'webhooks',
    summary: 'Set this courier’s webhook',
    description: `Where to send this courier’s parcel and pickup status changes, and the secret that signs them (stored encrypted). ${SIGNATURE_DOC}. The URL must reach a public address: a host that is or resolves to a loopback, private, link-local (metadata), unique-local or other special-purpose address, in any spelling, and a URL with a user name or password are refused (400); production accepts https only.`,
    roles: ['courier'],
    request: { body: { schema: WebhookBody } },
    responses: view,
    errors: gone,
  });
  registerOperation(registry, {
    method: 'get',
    path: '/v1/webhook',
    operationId: 'getWebhook',
    tag: 'webhooks',
    summary: 'This courier’s webhook',
    description: 'The webhook URL and whether a secret is set.',
    roles: ['courier'],
    responses: view,
    errors: gone,
  });
  registerOperation(registry, {
    method: 'delete',
    path: '/v1/webhook',
    operationId: 'deleteWebhook',
    tag: 'webhooks',
    summary: 'Stop this courier’s webhook',
    description: 'Removes the URL and the secret: no more status changes are sent.',
    roles: ['courier'],
    responses: view,
    errors: gone,
  });
}
