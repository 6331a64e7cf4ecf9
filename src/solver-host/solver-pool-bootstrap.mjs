// Worker-thread entry: Node 20 applies no loader hooks to a worker's entry file, so register tsx
// here, then load the TypeScript thread module (same approach as src/solver-host/solve-worker-bootstrap.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./solver-pool-thread.ts');
