/**
 * `gongpei serve`: the intake API (env PORT, HOST, DATABASE_URL, REDIS_URL, QUEUE_PREFIX, LOG_LEVEL;
 * API_PROCESSES > 1 runs that many processes behind PORT, src/api-cluster.ts).
 */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('serve')
    .description('run the courier intake API (PORT, DATABASE_URL, REDIS_URL from the environment)')
    .option('-p, --port <port>', 'listen on this port (overrides PORT)')
    .action(async (opts: { port?: string }) => {
      const [{ environmentWith, loadConfig }, { serveApi }] = await Promise.all([import('../../config.ts'), import('../../api-cluster.ts')]);
      // The flag is one more source of PORT, validated like the variable (one line on a bad value).
      await serveApi(loadConfig(environmentWith({ PORT: opts.port })));
    });
}
