// Writer thread bootstrap: Node 20 does not apply `--import` loader hooks to a worker's own
// entry file, so a thread cannot start from a .ts file directly (as src/solver-host/bootstrap.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./writer-thread.ts');
