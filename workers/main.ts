/**
 * Entry point of a worker process (`npx tsx workers/main.ts`, or `npx gongpei worker`): the
 * consolidation, planning and notification workers of src/workers/run-workers.ts on the
 * configuration from the environment, until SIGTERM/SIGINT.
 */
import { getConfig } from '../src/config.ts';
import { runWorkers } from '../src/workers/run-workers.ts';

const stop = await runWorkers(getConfig());
const shutdown = () => {
  void stop().then(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
