/**
 * `gongpei worker`: consolidation and planning workers on the configured Redis, until SIGTERM or
 * SIGINT (then in-flight jobs finish and the process exits). Run as many as you like, anywhere.
 */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('worker')
    .description('run the consolidate and plan queue workers (DATABASE_URL, REDIS_URL, QUEUE_PREFIX from the environment)')
    .option('--time-limit <ms>', 'wall-clock cap per solver problem (default PLAN_TIME_LIMIT_MS, else 60 s); the work budget is PLAN_ITERATIONS')
    .option('--no-savings', 'skip the co-delivery comparison jobs')
    .option('--quiet', 'no job log lines')
    .action(async (opts: { timeLimit?: string; savings: boolean; quiet?: boolean }) => {
      if (opts.timeLimit !== undefined && !/^\d+$/.test(opts.timeLimit)) {
        throw Object.assign(new Error('--time-limit must be a whole number of milliseconds'), { userFacing: true, exitCode: 64 });
      }
      const [{ environmentWith, loadConfig }, { runWorkers }] = await Promise.all([import('../../config.ts'), import('../../workers/run-workers.ts')]);
      // The flags are one more source of two settings, validated like the variables.
      const config = loadConfig(environmentWith({ PLAN_TIME_LIMIT_MS: opts.timeLimit, PLAN_SAVINGS: opts.savings ? undefined : 'false' }));
      const stop = await runWorkers(config, { quiet: opts.quiet ?? false });
      await new Promise<void>((resolve) => {
        const onSignal = () => resolve();
        process.once('SIGTERM', onSignal);
        process.once('SIGINT', onSignal);
      });
      await stop();
      process.exit(0);
    });
}
