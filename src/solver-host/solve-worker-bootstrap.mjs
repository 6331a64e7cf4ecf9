// Worker-thread bootstrap: Node 20 does not apply `--import` loader hooks to a worker's own
// entry file, so a worker cannot start from a .ts file directly. This plain-JS entry registers
// tsx inside the worker (as bin/gongpei.js does for the CLI) and then loads the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./solve-worker.ts');
