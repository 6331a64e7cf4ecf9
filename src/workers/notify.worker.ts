/**
 * The `notify` queue's worker: wiring only (the processor is src/webhooks/notify.processor.ts).
 * A job that failed its last attempt is copied to `notify-dead` for an operator to look at.
 */
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { QUEUE_NAMES, redisOptionsFromUrl } from '../queue/queues.ts';
import { createNotifyProcessor, deadLetter, type NotifyDeps } from '../webhooks/notify.processor.ts';

export interface NotifyWorkerOptions {
  readonly db: Kysely<Database>;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  readonly fetch?: NotifyDeps['fetch'];
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
  const processor = createNotifyProcessor({
    db: options.db,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
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
