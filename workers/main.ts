/**
 * Entry point of a worker process (`npx tsx workers/main.ts`, or `npx gongpei worker`): the
 * consolidation, planning and notification workers of src/workers/run-workers.ts on the
 * configuration from the environment, until SIGTERM/SIGINT.
 */
import { getConfig } from '../src/config.ts';
import { exitOnError } from '../src/cli/exit.ts';
import { runWorkers } from '../src/workers/run-workers.ts';

// A bad setting, or Redis or the database not there: one line and a non-zero exit, as `gongpei worker` does.
const stop = await runWorkers(getConfig()).catch((err: unknown) => exitOnError(err, 'gongpei worker'));
const shutdown = () => {
  void stop().then(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
