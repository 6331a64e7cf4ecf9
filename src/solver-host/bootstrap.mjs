// Solver thread bootstrap: Node 20 does not apply `--import` loader hooks to a worker's own
// entry file, so a thread cannot start from a .ts file directly. This plain-JS entry registers
// tsx inside the thread (as bin/gongpei.js does for the CLI) and then loads the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./solver-thread.ts');
