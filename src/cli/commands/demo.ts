/**
 * `gongpei demo`: a realistic Qin County day end to end (see src/demo/run-demo.ts).
 */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('demo')
    .description('generate a realistic day, submit it through the API, plan it and print the summary')
    .option('--parcels <n>', 'parcels in the day', '12000')
    .option('--seed <n>', 'seed of the generated day and of the solver', '1')
    .option('--iterations <n>', 'solver work budget per problem (default PLAN_ITERATIONS); with the seed, the same plan on any machine')
    .option('--time-limit <ms>', 'wall-clock cap per problem (ms; default PLAN_TIME_LIMIT_MS, else 60 s)')
    .option('--no-savings', 'skip the co-delivery comparison (each courier alone)')
    .option('--no-redis', 'run the workers\u2019 processors in this process even if Redis answers')
    .option('--db <file>', 'SQLite file for the demo (recreated)', 'data/demo.db')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { parcels: string; seed: string; iterations?: string; timeLimit?: string; savings: boolean; redis: boolean; db: string; json?: boolean }) => {
      const int = (v: string, name: string, min: number) => {
        const x = Number(v);
        if (!Number.isInteger(x) || x < min) throw Object.assign(new Error(`--${name} must be an integer ≥ ${min}`), { userFacing: true });
        return x;
      };
      const { runDemo } = await import('../../demo/run-demo.ts');
      await runDemo({
        parcels: int(opts.parcels, 'parcels', 1),
        seed: int(opts.seed, 'seed', 0),
        ...(opts.iterations !== undefined ? { maxIterations: int(opts.iterations, 'iterations', 1) } : {}),
        ...(opts.timeLimit !== undefined ? { timeLimitMs: int(opts.timeLimit, 'time-limit', 50) } : {}),
        savings: opts.savings,
        noRedis: !opts.redis,
        dbFile: opts.db,
        ...(opts.json ? { json: true, quiet: true } : {}),
      });
      process.exit(0);
    });
}
