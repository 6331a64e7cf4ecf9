/**
 * The `notify` queue's worker: wiring only (the processor is src/webhooks/notify.processor.ts).
 * A job that failed its last attempt is copied to `notify-dead` for an operator to look at.
 */
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { QUEUE_NAMES, redisOptionsFromUrl } from '../queue/queues.ts';
import type { WebhookConfig } from '../config.ts';
import { createNotifyProcessor, deadLetter } from '../webhooks/notify.processor.ts';
import { SecretBox } from '../webhooks/secret-box.ts';

export interface NotifyWorkerOptions {
  readonly db: Kysely<Database>;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly concurrency?: number;
  /** Key, target policy, timeout and per-courier limits (config.ts `webhookConfig`). */
  readonly webhook: WebhookConfig;
  readonly onEvent?: (event: string, details: Record<string, unknown>) => void;
}

export interface RunningNotifyWorker {
  readonly worker: Worker;
  readonly dead: Queue;
  close(): Promise<void>;
}

export function startNotifyWorker(options: NotifyWorkerOptions): RunningNotifyWorker {
  const connection = redisOptionsFromUrl(options.redisUrl, { maxRetriesPerRequest: null }) as ConnectionOptions;
  const dead = new Queue(QUEUE_NAMES.notifyDead, { connection, prefix: options.prefix });
  dead.on('error', () => {});
  const w = options.webhook;
  const processor = createNotifyProcessor({
    db: options.db,
    secrets: new SecretBox(w.secretKey),
    target: w.target,
    timeoutMs: w.timeoutMs,
    limits: { concurrencyPerCourier: w.concurrencyPerCourier, breakerFailures: w.breakerFailures, breakerOpenMs: w.breakerOpenMs },
  });
  // Webhook calls wait on the network, not the CPU: many at once is cheap.
  const worker = new Worker(QUEUE_NAMES.notify, processor, { connection, prefix: options.prefix, concurrency: options.concurrency ?? 16 });
  worker.on('error', () => {}); // reconnects on its own; a down Redis is reported by /readyz
  worker.on('failed', (job, err) => {
    options.onEvent?.('notify-failed', { jobId: job?.id, attempt: job?.attemptsMade, error: err.message });
    deadLetter(job, err, dead).then(
      (moved) => moved && options.onEvent?.('notify-dead', { jobId: job?.id }),
      (e: unknown) => options.onEvent?.('notify-dead-letter-failed', { jobId: job?.id, error: e instanceof Error ? e.message : String(e) }),
    );
  });
  return {
    worker,
    dead,
    close: async () => {
      await worker.close();
      await dead.close();
    },
  };
}
