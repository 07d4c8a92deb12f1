// Writes the golden backtests' fixture (apps/server/src/research/golden) as a bar CSV, to run a golden case by hand:
//   npx tsx tools/golden-data.ts /tmp/golden-bars.csv
//   kitepilot backtest --data /tmp/golden-bars.csv --symbol NSE:INFY --strategy sma-cross --param fast=20 …
// Synthetic test data: never use it as market data.
import { writeFileSync } from 'node:fs';
import { barsToCsv, goldenBars, sha256Hex } from '../apps/server/src/research/golden/golden-bars.ts';
import { GOLDEN_FIXTURE } from '../apps/server/src/research/golden/golden-cases.ts';

const out = process.argv[2];
if (out === undefined || out.startsWith('-')) {
  process.stderr.write('usage: npx tsx tools/golden-data.ts <out.csv>\n');
  process.exit(2);
}
const csv = barsToCsv(goldenBars(GOLDEN_FIXTURE));
writeFileSync(out, csv, 'utf8');
process.stdout.write(`wrote ${out}: ${csv.split('\n').length - 2} bars, sha256 ${sha256Hex(csv)}\n`);
