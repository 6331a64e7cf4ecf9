/**
 * Everything after planning, mounted by createApp with one call: the dispatcher dashboard and its
 * read endpoints, driver manifests, delivery events, courier webhooks and the admin queue board.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Queue } from 'bullmq';
import { Router, type RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import type { ApiKeyAuthenticator } from '../auth/api-keys.ts';
import type { Database } from '../db/schema.ts';
import type { AuthFailureLimiter } from '../http/auth.ts';
import { deliveryEventRoutes, documentDeliveryEventRoutes } from '../events/delivery-events.routes.ts';
import { documentManifestRoutes, manifestRoutes } from '../manifests/manifest.routes.ts';
import { documentStationRoutes, stationRoutes } from '../stations/station.routes.ts';
import { queueBoardRoutes } from '../webhooks/queue-board.routes.ts';
import type { SecretBox } from '../webhooks/secret-box.ts';
import type { WebhookTargetChecker } from '../webhooks/webhook-target.ts';
import { documentWebhookRoutes, webhookRoutes } from '../webhooks/webhook.routes.ts';
import { dashboardRoutes, documentDashboardRoutes } from './dashboard.routes.ts';

export interface DispatchRoutesDeps {
  readonly db: Kysely<Database>;
  readonly guard: readonly RequestHandler[];
  readonly authenticator: ApiKeyAuthenticator;
  readonly authFailures: AuthFailureLimiter;
  readonly onOutboxWritten?: (() => void) | undefined;
  /** Producer queues for the admin board; without them /admin/queues is not mounted. */
  readonly queue?: ((name: string) => Queue) | undefined;
  readonly tileUrl?: string | undefined;
  /** The network's clock (from TIMEZONE). */
  readonly utcOffsetMinutes: number;
  readonly webhook: { readonly secrets: SecretBox; readonly target: WebhookTargetChecker };
  /** Failed attempts after which a parcel becomes a return (RETURN_AFTER_ATTEMPTS). */
  readonly returnAfterAttempts?: number | undefined;
  /** The clock of delivery events (an event without `at` happened now); tests pass a fixed one. */
  readonly clock?: (() => Date) | undefined;
  /** A dispatcher moved a station away from this position (the road matrices forget it). */
  readonly onStationMoved?: ((from: { readonly lat: number; readonly lon: number }) => void) | undefined;
}

export function dispatchRoutes(deps: DispatchRoutesDeps): Router {
  const r = Router();
  const dashboard = dashboardRoutes({ db: deps.db, guard: deps.guard, tileUrl: deps.tileUrl, utcOffsetMinutes: deps.utcOffsetMinutes });
  r.use(dashboard);
  r.use(manifestRoutes({ db: deps.db, guard: deps.guard, utcOffsetMinutes: deps.utcOffsetMinutes }));
  const onStationMoved = (from: { readonly lat: number; readonly lon: number }) => {
    deps.onStationMoved?.(from);
    dashboard.stationMoved();
  };
  r.use(stationRoutes({ db: deps.db, guard: deps.guard, onStationMoved, now: deps.clock }));
  r.use(deliveryEventRoutes({ db: deps.db, guard: deps.guard, utcOffsetMinutes: deps.utcOffsetMinutes, ...(deps.returnAfterAttempts !== undefined ? { returnPolicy: { afterAttempts: deps.returnAfterAttempts } } : {}), ...(deps.onOutboxWritten ? { onOutboxWritten: deps.onOutboxWritten } : {}), ...(deps.clock ? { now: deps.clock } : {}) }));
  r.use(webhookRoutes({ db: deps.db, guard: deps.guard, ...deps.webhook }));
  if (deps.queue) r.use(queueBoardRoutes({ authenticator: deps.authenticator, authFailures: deps.authFailures, queue: deps.queue }));
  return r;
}

export function documentDispatchRoutes(registry: OpenAPIRegistry): void {
  documentDashboardRoutes(registry);
  documentManifestRoutes(registry);
  documentStationRoutes(registry);
  documentDeliveryEventRoutes(registry);
  documentWebhookRoutes(registry);
}
