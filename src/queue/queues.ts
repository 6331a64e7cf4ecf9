/**
 * Queue names, job names and payload schemas: the contract between producers (the intake API's
 * outbox relay) and consumers (workers). Payloads carry ids only; a consumer reads the current
 * row from the database, so a job relayed twice or late never acts on stale data.
 */
import { z } from 'zod';
import type { RedisOptions } from 'ioredis';

export const QUEUE_NAMES = {
  /** Resolve/sort accepted parcels and pickups into their township bins. */
  consolidate: 'consolidate',
  /** Build and solve a day's plan (a flow, see the planning workers). */
  plan: 'plan',
  /** Deliver a parcel or pickup status change to its courier's webhook (src/webhooks). */
  notify: 'notify',
  /** Notifications that failed every attempt, kept for an operator to inspect or replay. */
  notifyDead: 'notify-dead',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

export const CONSOLIDATE_JOBS = {
  /** One parcel (what intake enqueued before grouped jobs; still accepted from older outbox rows). */
  parcel: 'parcel',
  /** The parcels one intake transaction committed, in one job. */
  parcels: 'parcels',
  pickup: 'pickup',
} as const;

/** Parcel ids per `parcels` job: intake splits a larger commit into several jobs. */
export const MAX_PARCELS_PER_CONSOLIDATE_JOB = 1_000;

export const ConsolidateParcelPayload = z.strictObject({
  kind: z.literal('parcel'),
  parcelId: z.string().min(1),
});
/**
 * The parcels committed together by one intake transaction (several requests when they arrived
 * at once). One outbox row and one job per group instead of per parcel: relaying and sorting a
 * batch of 100 costs one Redis job and one consolidation transaction, not 100.
 */
export const ConsolidateParcelsPayload = z.strictObject({
  kind: z.literal('parcels'),
  parcelIds: z.array(z.string().min(1)).min(1).max(MAX_PARCELS_PER_CONSOLIDATE_JOB),
});
export const ConsolidatePickupPayload = z.strictObject({
  kind: z.literal('pickup'),
  pickupId: z.string().min(1),
});
export const ConsolidatePayload = z.discriminatedUnion('kind', [ConsolidateParcelPayload, ConsolidateParcelsPayload, ConsolidatePickupPayload]);
export type ConsolidatePayload = z.infer<typeof ConsolidatePayload>;

export const NOTIFY_JOBS = {
  parcel: 'parcel-event',
  pickup: 'pickup-event',
} as const;

/** A parcel status change: the `parcel_events` row says what happened. */
export const NotifyParcelPayload = z.strictObject({
  kind: z.literal('parcel'),
  eventId: z.string().min(1),
});
/** A pickup status change: the pickup row and the driver's `stop_events` row. */
export const NotifyPickupPayload = z.strictObject({
  kind: z.literal('pickup'),
  pickupId: z.string().min(1),
  stopEventId: z.string().min(1),
  status: z.enum(['picked_up', 'failed']),
});
export const NotifyPayload = z.discriminatedUnion('kind', [NotifyParcelPayload, NotifyPickupPayload]);
export type NotifyPayload = z.infer<typeof NotifyPayload>;

export function notifyJobId(payload: NotifyPayload): string {
  return payload.kind === 'parcel' ? `parcel-event-${payload.eventId}` : `pickup-event-${payload.stopEventId}-${payload.pickupId}`;
}

/**
 * Deterministic BullMQ job ids: the relay may add the same outbox row twice (crash between the
 * add and the mark), and BullMQ ignores an add whose id already exists. No ':' (BullMQ reserves it).
 * A group is named by its first parcel: every parcel is committed in exactly one group, so no two
 * groups share a first parcel.
 */
export function consolidateJobId(payload: ConsolidatePayload): string {
  switch (payload.kind) {
    case 'parcel':
      return `parcel-${payload.parcelId}`;
    case 'parcels':
      return `parcels-${payload.parcelIds[0]!}`;
    case 'pickup':
      return `pickup-${payload.pickupId}`;
  }
}

/** The parcel ids a consolidate payload covers (none for a pickup). */
export function consolidateParcelIds(payload: ConsolidatePayload): readonly string[] {
  return payload.kind === 'parcel' ? [payload.parcelId] : payload.kind === 'parcels' ? payload.parcelIds : [];
}

/**
 * ioredis options from a `redis://[user:pass@]host:port[/db]` URL. Producers fail fast
 * (`enableOfflineQueue: false`): a command issued while Redis is down rejects at once instead of
 * queueing in memory, and the caller (the outbox relay) retries from the database.
 */
export function redisOptionsFromUrl(url: string, overrides: RedisOptions = {}): RedisOptions {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number.parseInt(u.pathname.slice(1), 10) : 0;
  return {
    host: u.hostname,
    port: u.port === '' ? 6379 : Number.parseInt(u.port, 10),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(Number.isFinite(db) && db > 0 ? { db } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    ...overrides,
  };
}

/** Options for a producer connection: fail fast while Redis is down, reconnect in the background. */
export function producerRedisOptions(url: string): RedisOptions {
  return redisOptionsFromUrl(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    // Reconnect quickly at first, then every 2 s, forever: an outage must end on its own.
    retryStrategy: (times: number) => Math.min(100 * times, 2_000),
  });
}
