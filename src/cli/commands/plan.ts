/**
 * `gongpei plan --date YYYY-MM-DD`: ask for a day's plan (as POST /v1/plans does). With
 * `--in-process`, plan it here and print the summary; otherwise the workers pick it up through
 * the outbox, and `--wait` follows its progress. `gongpei plan show ID` prints a stored plan.
 */
import type { Command } from 'commander';

function userError(message: string): Error {
  return Object.assign(new Error(message), { userFacing: true, exitCode: 64 });
}

function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw userError(`${name} must be a positive integer`);
  return n;
}

export function register(program: Command): void {
  const plan = program.command('plan').description('plan a service date, or show a plan');
  plan
    .command('run', { isDefault: true })
    .description('request (and optionally run here) the plan of a service date')
    .requiredOption('--date <YYYY-MM-DD>', 'service date')
    .option('--seed <n>', 'solver seed', '1')
    .option('--in-process', 'plan in this process instead of through the workers')
    .option('--wait', 'wait until the workers have completed the plan')
    .option('--iterations <n>', 'solver work budget per problem, in process (default PLAN_ITERATIONS)')
    .option('--time-limit <ms>', 'wall-clock cap per problem, in process (default PLAN_TIME_LIMIT_MS, else 60 s)')
    .option('--no-savings', 'skip the co-delivery comparison, in process')
    .option('--county <code>', 'the county whose day is planned (6-digit code; default 140430, Qin County)')
    .action(async (opts: { date: string; seed: string; inProcess?: boolean; wait?: boolean; iterations?: string; timeLimit?: string; savings: boolean; county?: string }) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.date) || Number.isNaN(Date.parse(opts.date))) throw userError('--date must be YYYY-MM-DD');
      const { getConfig } = await import('../../config.ts');
      const { connectDatabase } = await import('../../setup-checks.ts');
      const { migrateToLatest } = await import('../../db/migrate.ts');
      const { createPlanRequest, toPlanView } = await import('../../plans/plan.service.ts');
      const { plannerDeps } = await import('../../pipeline/plan.deps.ts');
      const config = getConfig();
      const db = await connectDatabase(config.database);
      try {
        await migrateToLatest(db);
        const deps = await plannerDeps(db, config, {
          ...(opts.iterations !== undefined ? { maxIterations: positiveInt(opts.iterations, '--iterations') } : {}),
          ...(opts.timeLimit !== undefined ? { timeLimitMs: positiveInt(opts.timeLimit, '--time-limit') } : {}),
          savings: opts.savings,
        });
        try {
          // In process: no queued job, so no worker computes the same version beside this run.
          const { plan: row, started } = await createPlanRequest({ db, settings: deps.settings, dateWindow: { pastDays: config.PLAN_DAYS_BACK, futureDays: config.PLAN_DAYS_AHEAD } }, opts.date, Number(opts.seed), { enqueue: !opts.inProcess, ...(opts.county ? { countyId: opts.county } : {}) });
          process.stdout.write(`plan ${row.id} for ${row.service_date}: ${started ? 'requested' : `already ${row.status}`}\n`);
          if (opts.inProcess && !started) {
            throw userError(`plan ${row.id} for ${row.service_date} is already ${row.status}; one run per date at a time`);
          } else if (opts.inProcess) {
            const { runDay } = await import('../../pipeline/day-runner.ts');
            const summary = await runDay(deps, row.id, {
              onProgress: (p) => process.stderr.write(`  ${p.phase} ${p.done}/${p.total}\n`),
            });
            process.stdout.write(`${JSON.stringify({ parcels: summary.parcels, pickups: summary.pickups, tiers: summary.tiers, metrics: summary.metrics, unassigned: summary.unassigned.byReason, timings: summary.timings }, null, 2)}\n`);
          } else if (opts.wait) {
            for (;;) {
              const p = await db.selectFrom('plans').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
              process.stderr.write(`  ${p.status} ${p.progress} %\n`);
              if (p.status === 'completed' || p.status === 'failed') {
                process.stdout.write(`${JSON.stringify(toPlanView(p), null, 2)}\n`);
                if (p.status === 'failed') throw userError(`the plan failed: ${p.error}`);
                break;
              }
              await new Promise((r) => setTimeout(r, 1000));
            }
          }
        } finally {
          await deps.close();
        }
      } finally {
        await db.destroy();
      }
    });
  plan
    .command('show <id>')
    .description('print a stored plan (status, counts, timings)')
    .action(async (id: string) => {
      const { getConfig } = await import('../../config.ts');
      const { connectDatabase } = await import('../../setup-checks.ts');
      const { toPlanView } = await import('../../plans/plan.service.ts');
      const db = await connectDatabase(getConfig().database);
      try {
        const p = await db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
        if (!p) throw userError(`no plan ${id}`);
        process.stdout.write(`${JSON.stringify(toPlanView(p), null, 2)}\n`);
      } finally {
        await db.destroy();
      }
    });
}
