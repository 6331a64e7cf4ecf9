/** The data files shipped with the tests (test/fixtures/README.md says where each comes from). */
import { resolve } from 'node:path';

/** A few instances of each public benchmark set, laid out as the full sets are. */
export const BENCHMARK_FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'benchmarks');
