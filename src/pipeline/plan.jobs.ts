/**
 * The plan queue's jobs: names, payloads (ids only), deterministic job ids and the two flows.
 *
 * A plan request writes a `start` job to the outbox (durable with the plan row); the relay moves
 * it to the `plan` queue. `start` adds flow 1 (prepare → line-haul, parent after child); the
 * line-haul job, once the centres' arrival times are known, adds flow 2: one `village` job per
 * hub and one `savings` job per courier as parallel children of `finalize`. Every job id is
 * derived from the plan id, the run (the request time) and the hub or courier, so a job added
 * twice — a retried line-haul, a relayed-twice start — exists once.
 */
import type { FlowJob, JobsOptions } from 'bullmq';
import { z } from 'zod';
import type { DayStep, ParallelStep } from './day-runner.ts';

export const PLAN_JOBS = {
  start: 'start',
  prepare: 'prepare',
  lineHaul: 'line-haul',
  village: 'village',
  savings: 'savings',
  finalize: 'finalize',
} as const;

export const PlanJobPayload = z.strictObject({
  planId: z.string().min(1),
  /** Which request of the plan this job belongs to; jobs of an older run do nothing. */
  run: z.string().min(1),
  hubId: z.string().min(1).optional(),
  courier: z.string().min(1).optional(),
});
export type PlanJobPayload = z.infer<typeof PlanJobPayload>;

/** A plan run is named after its request time (`plans.created_at`), in base 36. */
export function runOf(createdAt: string): string {
  return Date.parse(createdAt).toString(36);
}

/** BullMQ job ids may not contain ':'. Hub ids and courier codes are hashed into safe tokens. */
export function planJobId(name: string, p: PlanJobPayload, part?: string): string {
  return [name, p.planId, p.run, ...(part === undefined ? [] : [part])].join('-').replace(/[^A-Za-z0-9_.-]/g, '_');
}

export const STEP_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

const CHILD_OPTIONS: JobsOptions = { ...STEP_OPTIONS, failParentOnFailure: true };

/** Flow 1: prepare (child) → line-haul (parent). */
export function firstFlow(queueName: string, planId: string, run: string): FlowJob {
  const data: PlanJobPayload = { planId, run };
  return {
    name: PLAN_JOBS.lineHaul,
    queueName,
    data,
    opts: { ...STEP_OPTIONS, jobId: planJobId(PLAN_JOBS.lineHaul, data) },
    children: [{ name: PLAN_JOBS.prepare, queueName, data, opts: { ...CHILD_OPTIONS, jobId: planJobId(PLAN_JOBS.prepare, data) } }],
  };
}

/** Flow 2: the steps the line-haul released (stepsAfterLineHaul: villages, then savings) as children → finalize. */
export function secondFlow(queueName: string, planId: string, run: string, steps: readonly ParallelStep[]): FlowJob {
  const data: PlanJobPayload = { planId, run };
  let savings = 0;
  return {
    name: PLAN_JOBS.finalize,
    queueName,
    data,
    opts: { ...STEP_OPTIONS, jobId: planJobId(PLAN_JOBS.finalize, data) },
    children: steps.map((step) =>
      step.name === 'village'
        ? { name: PLAN_JOBS.village, queueName, data: { ...data, hubId: step.hubId }, opts: { ...CHILD_OPTIONS, jobId: planJobId(PLAN_JOBS.village, data, step.hubId) } }
        : { name: PLAN_JOBS.savings, queueName, data: { ...data, courier: step.courier }, opts: { ...CHILD_OPTIONS, jobId: planJobId(PLAN_JOBS.savings, data, String(savings++)) } },
    ),
  };
}

/** The day step a job of the plan queue runs (undefined: `start` and `finalize`, which are not steps). */
export function dayStepOf(name: string, p: PlanJobPayload): DayStep | undefined {
  switch (name) {
    case PLAN_JOBS.prepare:
      return { name: 'prepare' };
    case PLAN_JOBS.lineHaul:
      return { name: 'line-haul' };
    case PLAN_JOBS.village:
      return p.hubId === undefined ? undefined : { name: 'village', hubId: p.hubId };
    case PLAN_JOBS.savings:
      return p.courier === undefined ? undefined : { name: 'savings', courier: p.courier };
    default:
      return undefined;
  }
}
