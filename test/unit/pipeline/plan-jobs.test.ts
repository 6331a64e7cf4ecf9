import { describe, expect, it } from 'vitest';
import { stepsAfterLineHaul } from '../../../src/pipeline/day-runner.ts';
import { dayStepOf, firstFlow, planJobId, PLAN_JOBS, PlanJobPayload, runOf, secondFlow } from '../../../src/pipeline/plan.jobs.ts';
import { planIdFor } from '../../../src/plans/plan.repository.ts';

describe('plan jobs', () => {
  const p = { planId: planIdFor('2026-11-29'), run: runOf('2026-11-28T14:00:00.000Z') };

  it('derives one plan id per service date, shaped like a UUID', () => {
    expect(planIdFor('2026-11-29')).toBe(p.planId);
    expect(planIdFor('2026-11-30')).not.toBe(p.planId);
    expect(p.planId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('makes deterministic job ids without BullMQ-reserved colons', () => {
    expect(planJobId(PLAN_JOBS.village, p, 'centre-1')).toBe(planJobId(PLAN_JOBS.village, p, 'centre-1'));
    expect(planJobId(PLAN_JOBS.village, p, 'a:b')).not.toContain(':');
    expect(planJobId(PLAN_JOBS.village, p, 'centre-1')).not.toBe(planJobId(PLAN_JOBS.village, { ...p, run: 'x' }, 'centre-1'));
  });

  it('builds flow 1 as prepare (child) → line-haul (parent)', () => {
    const f = firstFlow('plan', p.planId, p.run);
    expect(f.name).toBe('line-haul');
    expect(f.children!.map((c) => c.name)).toEqual(['prepare']);
    expect(f.children![0]!.opts!.failParentOnFailure).toBe(true);
    expect(f.opts!.attempts).toBe(3);
    expect(f.opts!.backoff).toEqual({ type: 'exponential', delay: 1000 });
  });

  it('builds flow 2 as one village job per hub and one savings job per courier under finalize', () => {
    const f = secondFlow('plan', p.planId, p.run, stepsAfterLineHaul({ hubs: ['county-warehouse', 'centre-1'], couriers: ['ZTO', '(shared pickups)'] }));
    expect(f.name).toBe('finalize');
    expect(f.children!.map((c) => [c.name, c.data.hubId ?? c.data.courier])).toEqual([
      ['village', 'county-warehouse'],
      ['village', 'centre-1'],
      ['savings', 'ZTO'],
      ['savings', '(shared pickups)'],
    ]);
    const ids = f.children!.map((c) => c.opts!.jobId);
    expect(new Set(ids).size).toBe(4);
    for (const c of f.children!) expect(PlanJobPayload.safeParse(c.data).success).toBe(true);
  });

  it('maps each step job back to the day step the in-process runner would run', () => {
    const f = secondFlow('plan', p.planId, p.run, stepsAfterLineHaul({ hubs: ['centre-1'], couriers: ['ZTO'] }));
    expect(f.children!.map((c) => dayStepOf(c.name, c.data as PlanJobPayload))).toEqual(stepsAfterLineHaul({ hubs: ['centre-1'], couriers: ['ZTO'] }));
    expect(dayStepOf(PLAN_JOBS.prepare, p)).toEqual({ name: 'prepare' });
    expect(dayStepOf(PLAN_JOBS.lineHaul, p)).toEqual({ name: 'line-haul' });
    expect(dayStepOf(PLAN_JOBS.village, p)).toBeUndefined(); // no hubId
    expect(dayStepOf(PLAN_JOBS.finalize, p)).toBeUndefined();
    expect(dayStepOf(PLAN_JOBS.start, p)).toBeUndefined();
  });
});
