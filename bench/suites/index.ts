import type { BenchSuite } from '../bench-types.ts';
import { apiSuite } from '../api/api.bench.ts';
import { backtestSuite } from './backtest.bench.ts';
import { barsSuite } from './bars.bench.ts';
import { chargesSuite } from './charges.bench.ts';
import { coreSuite } from './core.bench.ts';
import { ingestSuite } from './ingest.bench.ts';
import { kiteDecodeSuite } from './kite-decode.bench.ts';
import { latencySuite } from './latency.bench.ts';

/** Every benchmark suite, in the order `npm run bench` runs them. */
export const SUITES: readonly BenchSuite[] = [
  coreSuite,
  kiteDecodeSuite,
  barsSuite,
  ingestSuite,
  chargesSuite,
  latencySuite,
  backtestSuite,
  apiSuite,
];
