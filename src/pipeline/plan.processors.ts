/**
 * The `plan` queue's processor: parses the payload, skips jobs of an outdated run, and calls the
 * step functions (src/pipeline/plan.steps.ts). The solver itself runs on a worker thread inside the
 * steps, so this event loop stays free to renew the job's lock during a long solve; a worker
 * killed mid-solve stops renewing, BullMQ's stalled-job check puts the job back, and another
 * worker runs the step again (every step's writes replace, never append).
 */
import { UnrecoverableError, type FlowJob, type Job } from 'bullmq';
import { getPlan } from '../plans/plan.repository.ts';
import { PLAN_JOBS, PlanJobPayload, firstFlow, runOf, secondFlow } from './plan.jobs.ts';
import { finalizeStep, lineHaulStep, prepareStep, savingsStep, villageStep, type PlanDeps, type SavingsStepResult, type VillageStepResult } from './plan.steps.ts';

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

    switch (job.name) {
      case PLAN_JOBS.start:
        if (plan.status === 'completed') return { skipped: 'already completed' };
        await flows.add(firstFlow(queueName, p.planId, p.run));
        return { started: true };
      case PLAN_JOBS.prepare: {
        const state = await prepareStep(deps, p.planId);
        return { hubs: state.hubs.length };
      }
      case PLAN_JOBS.lineHaul: {
        const state = await lineHaulStep(deps, p.planId);
        await flows.add(secondFlow(queueName, p.planId, p.run, state.hubs, state.couriers));
        return { hubs: state.hubs.length, couriers: state.couriers.length };
      }
      case PLAN_JOBS.village:
        if (!p.hubId) throw new UnrecoverableError('village job without hubId');
        return villageStep(deps, p.planId, p.hubId);
      case PLAN_JOBS.savings:
        if (!p.courier) throw new UnrecoverableError('savings job without courier');
        return savingsStep(deps, p.planId, p.courier);
      case PLAN_JOBS.finalize: {
        const values = Object.values(await job.getChildrenValues()) as (VillageStepResult | SavingsStepResult)[];
        const summary = await finalizeStep(
          deps,
          p.planId,
          values.filter((v): v is VillageStepResult => v !== null && typeof v === 'object' && 'hubId' in v),
          values.filter((v): v is SavingsStepResult => v !== null && typeof v === 'object' && 'courier' in v),
        );
        return { parcels: summary.parcels, routes: summary.metrics.routes };
      }
      default:
        throw new UnrecoverableError(`unknown plan job ${job.name}`);
    }
  };
}
