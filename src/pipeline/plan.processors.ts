/**
 * The `plan` queue's processor: parses the payload, skips jobs of an outdated run, and calls the
 * steps through the one day runner (src/pipeline/day-runner.ts). The solver itself runs on a worker thread inside the
 * steps, so this event loop stays free to renew the job's lock during a long solve; a worker
 * killed mid-solve stops renewing, BullMQ's stalled-job check puts the job back, and another
 * worker runs the step again (every step's writes replace, never append).
 */
import { UnrecoverableError, type FlowJob, type Job } from 'bullmq';
import { getPlan } from '../plans/plan.repository.ts';
import { finalizeDay, runDayStep, stepsAfterLineHaul } from './day-runner.ts';
import { PLAN_JOBS, PlanJobPayload, dayStepOf, firstFlow, runOf, secondFlow } from './plan.jobs.ts';
import type { PlanDeps } from './plan.steps.ts';

export interface FlowAdder {
  add(flow: FlowJob): Promise<unknown>;
}

export function createPlanProcessor(deps: PlanDeps, flows: FlowAdder, queueName: string): (job: Job) => Promise<unknown> {
  return async (job: Job) => {
    const parsed = PlanJobPayload.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid ${job.name} payload: ${parsed.error.issues[0]?.message ?? 'bad data'}`);
    const p = parsed.data;
    const plan = await getPlan(deps.db, p.planId);
    if (!plan) throw new UnrecoverableError(`plan ${p.planId} does not exist`);
    if (runOf(plan.created_at) !== p.run) return { skipped: 'a newer run of this plan exists' };

    if (job.name === PLAN_JOBS.start) {
      if (plan.status === 'completed') return { skipped: 'already completed' };
      await flows.add(firstFlow(queueName, p.planId, p.run));
      return { started: true };
    }
    if (job.name === PLAN_JOBS.finalize) {
      const summary = await finalizeDay(deps, p.planId, Object.values(await job.getChildrenValues()));
      return { parcels: summary.parcels, routes: summary.metrics.routes };
    }
    const step = dayStepOf(job.name, p);
    if (!step) throw new UnrecoverableError(job.name === PLAN_JOBS.village || job.name === PLAN_JOBS.savings ? `${job.name} job without ${job.name === PLAN_JOBS.village ? 'hubId' : 'courier'}` : `unknown plan job ${job.name}`);
    switch (step.name) {
      case 'prepare': {
        const state = await runDayStep(deps, p.planId, step);
        return { hubs: state.hubs.length };
      }
      case 'line-haul': {
        const state = await runDayStep(deps, p.planId, step);
        await flows.add(secondFlow(queueName, p.planId, p.run, stepsAfterLineHaul(state)));
        return { hubs: state.hubs.length, couriers: state.couriers.length };
      }
      default:
        return runDayStep(deps, p.planId, step);
    }
  };
}
