/**
 * The `plan` queue's worker: wiring only (the processor is src/pipeline/plan.processors.ts).
 *
 * The solver runs on worker threads inside the steps, so this event loop keeps renewing the job
 * lock during a solve. A worker that dies mid-step stops renewing; after `lockDurationMs` BullMQ's
 * stalled-job check (every `stalledIntervalMs`, in any live worker) moves the job back to wait and
 * another worker runs the step again.
 */
import { FlowProducer, Worker, type ConnectionOptions } from 'bullmq';
import { QUEUE_NAMES, redisOptionsFromUrl } from '../queue/queues.ts';
import { createPlanProcessor } from '../pipeline/plan.processors.ts';
import { failPlan, type PlanDeps } from '../pipeline/plan.steps.ts';
import { PlanJobPayload } from '../pipeline/plan.jobs.ts';

export interface PlanWorkerOptions {
  readonly deps: PlanDeps;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly concurrency?: number;
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  readonly onEvent?: (event: string, details: Record<string, unknown>) => void;
}

export interface RunningWorker {
  readonly worker: Worker;
  close(): Promise<void>;
}

export function startPlanWorker(options: PlanWorkerOptions): RunningWorker {
  const connection = redisOptionsFromUrl(options.redisUrl, { maxRetriesPerRequest: null }) as ConnectionOptions;
  const flows = new FlowProducer({ connection, prefix: options.prefix });
  const processor = createPlanProcessor(options.deps, flows, QUEUE_NAMES.plan);
  const worker = new Worker(QUEUE_NAMES.plan, processor, {
    connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 2,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: 2,
  });
  worker.on('failed', (job, err) => {
    options.onEvent?.('failed', { job: job?.name, id: job?.id, error: err.message });
    if (!job) return;
    // Out of retries (or unrecoverable): the plan is failed, with the reason, for the API to show.
    const final = err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    const payload = PlanJobPayload.safeParse(job.data);
    if (final && payload.success) void failPlan(options.deps, payload.data.planId, `${job.name}: ${err.message}`).catch(() => {});
  });
  worker.on('completed', (job) => options.onEvent?.('completed', { job: job.name, id: job.id }));
  worker.on('error', (err) => options.onEvent?.('error', { error: err.message }));
  return {
    worker,
    async close() {
      await worker.close();
      await flows.close();
    },
  };
}
