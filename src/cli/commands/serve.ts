/**
 * `gongpei serve`: the intake API (env PORT, HOST, DATABASE_URL, REDIS_URL, QUEUE_PREFIX, LOG_LEVEL).
 */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('serve')
    .description('run the courier intake API (PORT, DATABASE_URL, REDIS_URL from the environment)')
    .option('-p, --port <port>', 'listen on this port (overrides PORT)')
    .action(async (opts: { port?: string }) => {
      if (opts.port !== undefined) process.env.PORT = opts.port;
      const { startServer } = await import('../../server.ts');
      await startServer();
    });
}
