import type { BenchSuite } from '../bench-types.ts';

/** Every benchmark suite, in the order `npm run bench` runs them. */
export const SUITES: readonly BenchSuite[] = [];
