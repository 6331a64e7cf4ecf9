/** The `consolidate` queue's worker: wiring only (the processor is src/consolidation/consolidate.processor.ts). */
import { Worker, type ConnectionOptions } from 'bullmq';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { createConsolidateProcessor } from '../consolidation/consolidate.processor.ts';
import { QUEUE_NAMES, redisOptionsFromUrl } from '../queue/queues.ts';
import type { RunningWorker } from './plan.worker.ts';

export function startConsolidateWorker(options: { db: Kysely<Database>; redisUrl: string; prefix: string; concurrency?: number }): RunningWorker {
  const connection = redisOptionsFromUrl(options.redisUrl, { maxRetriesPerRequest: null }) as ConnectionOptions;
  const worker = new Worker(QUEUE_NAMES.consolidate, createConsolidateProcessor({ db: options.db }), {
    connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 4,
  });
  worker.on('error', () => {}); // reconnects on its own; a down Redis is reported by /readyz
  return {
    worker,
    close: () => worker.close(),
  };
}
