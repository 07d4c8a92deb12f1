// Runs golden cases through the backtest service exactly as the CLI does (bars from a CSV file, the built-in
// strategy registry, the NSE calendar, no store).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { istDate, NseCalendar, parseAccountId, type Bar } from '@kitepilot/core';
import type { BacktestResult } from '@kitepilot/research';
import { builtinStrategies } from '../../trading/builtin-strategies.ts';
import { runBacktestSpec, type BacktestServices, type LoadedBars } from '../backtest-service.ts';
import type { BacktestSpec } from '../backtest-spec.ts';
import { barsToCsv, goldenBars, sha256Hex } from './golden-bars.ts';
import { GOLDEN_CSV_NAME, GOLDEN_FIXTURE } from './golden-cases.ts';
import type { GoldenFixture } from './golden-file.ts';

/** The services of a golden run: built-in strategies, the NSE calendar, no store, a fixed run id. */
export function goldenServices(): BacktestServices {
  return {
    registry: builtinStrategies(),
    calendar: new NseCalendar(),
    store: null,
    accountId: parseAccountId('acc_golden'),
    newRunId: () => 'run_golden',
  };
}

/** The fixture written to a temporary directory. */
export interface WrittenFixture {
  readonly csvPath: string;
  readonly fixture: GoldenFixture;
  readonly bars: readonly Bar[];
  /** Deletes the temporary directory. */
  readonly remove: () => Promise<void>;
}

/** Generates the golden fixture and writes it as a bar CSV in a new temporary directory. */
export async function writeGoldenFixture(): Promise<WrittenFixture> {
  const bars = goldenBars(GOLDEN_FIXTURE);
  const csv = barsToCsv(bars);
  const dir = await mkdtemp(join(tmpdir(), 'kitepilot-golden-'));
  const csvPath = join(dir, GOLDEN_CSV_NAME);
  await writeFile(csvPath, csv, 'utf8');
  return {
    csvPath,
    bars,
    fixture: {
      seed: GOLDEN_FIXTURE.seed,
      from: istDate((bars[0] as Bar).start),
      to: istDate((bars[bars.length - 1] as Bar).start),
      bars: bars.length,
      csvSha256: sha256Hex(csv),
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Runs a spec through the backtest service; `loaded` skips reading the spec's data file. */
export async function runSpec(spec: BacktestSpec, loaded?: LoadedBars): Promise<BacktestResult> {
  const { result } = await runBacktestSpec(spec, goldenServices(), loaded);
  return result;
}
