// Golden files: what a golden backtest pins (spec, every metric, counts, order-list hash, daily equity, trades with
// IST times) and how a new run is compared with it. Wall-clock fields of a result (startedAtMs, finishedAtMs,
// barsPerSecond) and the run id are left out; everything else is compared exactly, and a difference is reported
// path by path ("metrics.sharpe: 0.41 → 0.43", "trades[12].exitPricePaise: …") so a reviewer sees what changed.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { formatIst, type JsonValue } from '@kitepilot/core';
import type { BacktestResult } from '@kitepilot/research';
import * as prettier from 'prettier';
import type { BacktestSpec } from '../backtest-spec.ts';
import { sha256Hex } from './golden-bars.ts';
import type { GoldenCase } from './golden-cases.ts';

/** The environment variable that makes the golden test rewrite the files instead of comparing. */
export const UPDATE_GOLDEN_ENV = 'KITEPILOT_UPDATE_GOLDEN';

/** The command that regenerates every golden file. */
export const UPDATE_GOLDEN_COMMAND = `${UPDATE_GOLDEN_ENV}=1 npx vitest run apps/server/src/research/golden`;

/** One trade as a golden file keeps it: times in IST, money in paise. */
export interface GoldenTrade {
  readonly direction: 'LONG' | 'SHORT';
  readonly qty: number;
  readonly entry: string;
  readonly entryPricePaise: number;
  readonly exit: string;
  readonly exitPricePaise: number;
  readonly grossPnlPaise: number;
  readonly chargesPaise: number;
  readonly netPnlPaise: number;
  readonly bars: number;
}

/** Where a golden run's bars came from. */
export interface GoldenFixture {
  readonly seed: number;
  readonly from: string;
  readonly to: string;
  readonly bars: number;
  /** SHA-256 of the fixture CSV: when it differs, every other difference follows from the data. */
  readonly csvSha256: string;
}

/** The content of a golden file. */
export interface GoldenRecord {
  readonly strategy: string;
  readonly case: string;
  readonly about: string;
  readonly fixture: GoldenFixture;
  /** The spec as asked for (the data file by name, not by its temporary path). */
  readonly spec: Readonly<Record<string, JsonValue>>;
  readonly params: Readonly<Record<string, JsonValue>>;
  readonly configHash: string;
  readonly config: Readonly<Record<string, JsonValue>>;
  readonly counts: BacktestResult['counts'];
  readonly orderListHash: string;
  readonly finalEquityPaise: number;
  readonly metrics: BacktestResult['metrics'];
  readonly warnings: readonly string[];
  readonly daily: BacktestResult['daily'];
  /** SHA-256 of the thinned equity curve (atMs and equity of every point), which is too long to keep. */
  readonly equityCurveSha256: string;
  readonly trades: readonly GoldenTrade[];
}

/** Returns the golden record of a finished run. */
export function goldenRecord(
  c: GoldenCase,
  spec: BacktestSpec,
  fixture: GoldenFixture,
  result: BacktestResult,
  csvName: string,
): GoldenRecord {
  const { data: _data, ...rest } = spec;
  return {
    strategy: c.strategy,
    case: c.name,
    about: c.about,
    fixture,
    spec: JSON.parse(JSON.stringify({ data: { kind: spec.data.kind, file: csvName }, ...rest })) as Record<
      string,
      JsonValue
    >,
    params: result.params,
    configHash: result.configHash,
    config: result.config,
    counts: result.counts,
    orderListHash: result.orderListHash,
    finalEquityPaise: result.finalEquityPaise,
    metrics: result.metrics,
    warnings: result.warnings,
    daily: result.daily,
    equityCurveSha256: sha256Hex(result.equity.map((p) => `${p.atMs} ${p.equityPaise}`).join('\n')),
    trades: result.trades.map((t) => ({
      direction: t.direction,
      qty: t.qty,
      entry: formatIst(t.entryAtMs),
      entryPricePaise: t.entryPricePaise,
      exit: formatIst(t.exitAtMs),
      exitPricePaise: t.exitPricePaise,
      grossPnlPaise: t.grossPnlPaise,
      chargesPaise: t.chargesPaise,
      netPnlPaise: t.netPnlPaise,
      bars: t.bars,
    })),
  };
}

const MAX_LINES = 40;

function show(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function walk(path: string, expected: unknown, actual: unknown, out: string[]): void {
  if (Object.is(expected, actual)) return;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) {
      out.push(`${path}: ${expected.length} in the golden file, ${actual.length} now`);
    }
    const n = Math.min(expected.length, actual.length);
    for (let i = 0; i < n; i++) walk(`${path}[${i}]`, expected[i], actual[i], out);
    return;
  }
  if (isObject(expected) && isObject(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])];
    for (const k of keys) walk(path === '' ? k : `${path}.${k}`, expected[k], actual[k], out);
    return;
  }
  out.push(`${path}: ${show(expected)} → ${show(actual)}`);
}

/**
 * Returns the differences between a golden record and a new one, one line per changed leaf (`path: golden → now`),
 * at most 40 lines plus a count of the rest; an empty list when they are equal. A changed fixture is named first.
 */
export function diffGolden(expected: unknown, actual: unknown): string[] {
  const out: string[] = [];
  walk('', expected, actual, out);
  const lines =
    out.length > MAX_LINES ? [...out.slice(0, MAX_LINES), `… and ${out.length - MAX_LINES} more`] : out;
  const fixtureChanged = out.some((l) => l.startsWith('fixture.'));
  return fixtureChanged && lines.length > 0
    ? [
        'the fixture bars differ from those the golden file was made from; the rest follows from that',
        ...lines,
      ]
    : lines;
}

/** Returns the golden record stored at `path`, or null when there is no file. */
export async function readGolden(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read the golden file ${path}`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`the golden file ${path} is not JSON; regenerate it with ${UPDATE_GOLDEN_COMMAND}`, {
      cause: error,
    });
  }
}

/** Writes a golden record to `path` as JSON formatted by the repository's prettier settings. */
export async function writeGolden(path: string, record: GoldenRecord): Promise<void> {
  const options = (await prettier.resolveConfig(path)) ?? {};
  const text = await prettier.format(JSON.stringify(record), { ...options, parser: 'json' });
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, 'utf8');
}

/** Returns true when the golden files are to be rewritten (`KITEPILOT_UPDATE_GOLDEN=1`). */
export function updatingGolden(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[UPDATE_GOLDEN_ENV] === '1';
}
