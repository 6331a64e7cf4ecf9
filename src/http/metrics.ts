/**
 * Prometheus metrics on a registry per app (tests build many apps in one process): request
 * count and latency by route, plus queue depth and outbox backlog read at scrape time.
 */
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface QueueGauges {
  /** Pending outbox rows (accepted, not yet in Redis). */
  readonly outboxBacklog: () => Promise<number>;
  /** Job counts by state for each queue; throws when Redis is unreachable. */
  readonly queueCounts: () => Promise<Record<string, Record<string, number>>>;
}

export interface HttpMetrics {
  readonly registry: Registry;
  readonly middleware: RequestHandler;
}

export function createHttpMetrics(options: { defaultMetrics?: boolean; queues?: QueueGauges }): HttpMetrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'gongpei_' });
  const requests = new Counter({
    name: 'gongpei_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'gongpei_http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const queues = options.queues;
  if (queues !== undefined) {
    new Gauge({
      name: 'gongpei_outbox_backlog',
      help: 'Outbox rows not yet relayed to Redis (a consolidate row lists the parcels of one intake transaction, or one pickup)',
      registers: [registry],
      async collect() {
        this.set(await queues.outboxBacklog());
      },
    });
    new Gauge({
      name: 'gongpei_queue_jobs',
      help: 'BullMQ jobs by queue and state (absent while Redis is unreachable)',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        try {
          const counts = await queues.queueCounts();
          for (const [queue, states] of Object.entries(counts)) {
            for (const [state, n] of Object.entries(states)) this.set({ queue, state }, n);
          }
        } catch {
          // Redis down: report nothing rather than fail the whole scrape.
        }
      },
    });
  }
  const middleware: RequestHandler = (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      // The matched route pattern, never the raw path (waybills would explode label cardinality).
      const route = req.route?.path === undefined ? 'unmatched' : `${req.baseUrl}${String(req.route.path)}`;
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      latency.observe({ method: req.method, route }, seconds);
    });
    next();
  };
  return { registry, middleware };
}
