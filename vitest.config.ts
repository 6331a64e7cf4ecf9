import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration suites share one Redis and one PostgreSQL; each test isolates itself by unique
    // names, but two CPU-heavy solver suites at once only slow each other down on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { SOLVER_DEBUG: '1' },
    // expect.poll waits for a page or a queue to reach a state; its 1 s default is shorter than
    // a headless page needs to draw 200 routes on a busy machine (seen failing at load 24).
    expect: { poll: { timeout: 15_000, interval: 50 } },
  },
});
