/**
 * PUT/GET/DELETE /v1/webhook (courier keys): the courier's webhook URL and signing secret in one
 * county, the key's (a key of several counties names it). A courier's outlets are often separate
 * franchisees per county, so each county's webhook is its own and receives that county's changes
 * only. The secret is write-only: it is never returned, only whether one is set.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type Request, type RequestHandler } from 'express';
import { jsonBody } from '../http/json-body.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { countyFor } from '../auth/api-keys.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import { json, registerOperation } from '../http/openapi-operation.ts';
import { parse, requireMediaType } from '../http/validate.ts';
import { countyCode, z } from '../http/zod.ts';
import { courierExists, deleteWebhook, saveWebhook, webhookOf } from './webhook.repository.ts';
import type { SecretBox } from './secret-box.ts';
import type { WebhookTargetChecker } from './webhook-target.ts';

const COUNTY_DOC = 'The county whose webhook this is (its 6-digit code); default: the key’s only county, or Qin County (140430) for a key of every county. A key of several counties must name one.';

export const WebhookQuery = z.strictObject({ county: countyCode(COUNTY_DOC).optional() }).openapi('WebhookQuery');

export const WebhookBody = z
  .strictObject({
    url: z.url({ protocol: /^https?$/, error: 'expected an http(s):// URL' }).max(2_000).openapi({ example: 'https://courier.example.com/gongpei/events' }),
    secret: z.string().min(16).max(256).openapi({ description: 'Shared secret for the HMAC-SHA256 signature (at least 16 characters)' }),
    county: countyCode(COUNTY_DOC).optional(),
  })
  .openapi('WebhookSettings');

export const WebhookView = z
  .object({ courier: z.string(), county: z.string().openapi({ description: 'The county of this webhook', example: '140430' }), url: z.string().nullable(), secretSet: z.boolean(), signature: z.string() })
  .openapi('Webhook');

const SIGNATURE_DOC = 'X-Gongpei-Signature: sha256=HMAC_SHA256(secret, "<X-Gongpei-Timestamp>.<raw body>") in hex';

export interface WebhookRoutesDeps {
  readonly db: Kysely<Database>;
  readonly guard: readonly RequestHandler[];
  /** Seals secrets before they are stored. */
  readonly secrets: SecretBox;
  /** Where a webhook may point (checked, with a DNS lookup, before it is saved). */
  readonly target: WebhookTargetChecker;
  readonly now?: () => Date;
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
  const view = async (code: string, countyId: string) => {
    if (!(await courierExists(deps.db, code))) throw new AppError('not_found', 'this key’s courier no longer exists');
    const row = await webhookOf(deps.db, code, countyId);
    return { courier: code, county: countyId, url: row?.url ?? null, secretSet: row !== undefined, signature: SIGNATURE_DOC };
  };

  r.put('/v1/webhook', ...deps.guard, courierOnly, requireMediaType('application/json'), json, async (req, res) => {
    const code = courierOf(req);
    const body = parse(WebhookBody, req.body);
    const countyId = countyFor(principalOf(req), body.county);
    await deps.target.checkOnSave(body.url);
    if (!(await courierExists(deps.db, code))) throw new AppError('not_found', 'this key’s courier no longer exists');
    await saveWebhook(deps.db, code, countyId, body.url, deps.secrets.seal(body.secret, code), (deps.now ?? (() => new Date()))());
    res.json(await view(code, countyId));
  });
  r.get('/v1/webhook', ...deps.guard, courierOnly, async (req, res) => {
    const code = courierOf(req);
    const q = parse(WebhookQuery, req.query);
    res.json(await view(code, countyFor(principalOf(req), q.county)));
  });
  r.delete('/v1/webhook', ...deps.guard, courierOnly, async (req, res) => {
    const code = courierOf(req);
    const q = parse(WebhookQuery, req.query);
    const countyId = countyFor(principalOf(req), q.county);
    await deleteWebhook(deps.db, code, countyId);
    res.json(await view(code, countyId));
  });
  return r;
}

export function documentWebhookRoutes(registry: OpenAPIRegistry): void {
  const view = { 200: json('The courier’s webhook in the county (the secret is never returned)', WebhookView) };
  const gone = { 403: 'The county named is not one of this key’s counties (the error names the field `county`)', 404: 'This key’s courier no longer exists' };
  registerOperation(registry, {
    method: 'put',
    path: '/v1/webhook',
    operationId: 'setWebhook',
    tag: 'webhooks',
    summary: 'Set this courier’s webhook in a county',
    description: `Where to send this courier’s parcel and pickup status changes in one county (the key’s; a key of several counties names \`county\`), and the secret that signs them (stored encrypted). ${SIGNATURE_DOC}. The URL must reach a public address: a host that is or resolves to a loopback, private, link-local (metadata), unique-local or other special-purpose address, in any spelling, and a URL with a user name or password are refused (400); production accepts https only.`,
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
    summary: 'This courier’s webhook in a county',
    description: 'The webhook URL in the key’s county (a key of several counties names `county`) and whether a secret is set; another county’s webhook is never shown.',
    roles: ['courier'],
    request: { query: WebhookQuery },
    responses: view,
    errors: gone,
  });
  registerOperation(registry, {
    method: 'delete',
    path: '/v1/webhook',
    operationId: 'deleteWebhook',
    tag: 'webhooks',
    summary: 'Stop this courier’s webhook in a county',
    description: 'Removes the URL and the secret in the key’s county (a key of several counties names `county`): no more of that county’s status changes are sent. Other counties’ webhooks stay.',
    roles: ['courier'],
    request: { query: WebhookQuery },
    responses: view,
    errors: gone,
  });
}
