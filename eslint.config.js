// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'test/artifacts/', 'bench/results/', 'src/dashboard/vendor/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // workers/*.ts are process entry points; the code they start lives in src/workers, and src/
  // never imports an entry point. One block per folder depth, because the pattern is relative.
  ...['src/*.ts', 'src/*/*.ts', 'src/*/*/*.ts', 'src/*/*/*/*.ts'].map((files, depth) => ({
    files: [files],
    ignores: ['src/solver/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: [`${'../'.repeat(depth + 1)}workers/*`], message: 'src/ does not import the entry points in workers/; use src/workers.' }] }],
    },
  })),
  {
    // The routing core is pure: plain data in, solution out. No I/O, no clock, no service libraries.
    files: ['src/solver/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:fs', 'node:fs/*', 'fs', 'node:net', 'node:http', 'node:child_process', 'node:worker_threads'], message: 'The routing core does no I/O.' },
          { group: ['express', 'kysely', 'bullmq', 'ioredis', '@turf/*', 'pino', 'better-sqlite3', 'pg'], message: 'The routing core depends on nothing but itself.' },
          { group: ['../*/**', '../../*'], message: 'The routing core imports only from src/solver.' },
        ],
      }],
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'Use the seeded Rng in src/solver/rng.ts.' },
        { object: 'Date', property: 'now', message: 'Pass a deadline function in; the core has no clock.' },
      ],
      'no-restricted-globals': ['error', { name: 'performance', message: 'Pass a deadline function in; the core has no clock.' }],
      // Indexing typed arrays in the hot loops yields numbers; a `!` there would check nothing.
      '@typescript-eslint/no-non-null-assertion': 'error',
    },
  },
);
