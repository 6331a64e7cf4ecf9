/**
 * Entry point of a worker process (`npx tsx workers/main.ts`, or `npx gongpei worker`): the
 * consolidation, planning and notification workers of src/workers/run-workers.ts, until
 * SIGTERM/SIGINT.
 */
import { runWorkers } from '../src/workers/run-workers.ts';

const stop = await runWorkers();
const shutdown = () => {
  void stop().then(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
