// Golden backtests: each case of golden-cases.ts runs on the fixture through the backtest service and must
// reproduce its golden file exactly (strategies/<strategy>/golden/<case>.json), wall-clock fields aside. Changing a
// golden file is a deliberate act: `KITEPILOT_UPDATE_GOLDEN=1 npx vitest run apps/server/src/research/golden`
// rewrites the files, and the diff of the files is what a reviewer reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { istDate } from '@kitepilot/core';
import type { BacktestResult } from '@kitepilot/research';
import {
  GOLDEN_CASES,
  GOLDEN_CSV_NAME,
  GOLDEN_FIXTURE,
  goldenPath,
  specOf,
  type GoldenCase,
} from './golden-cases.ts';
import {
  diffGolden,
  goldenRecord,
  readGolden,
  UPDATE_GOLDEN_COMMAND,
  updatingGolden,
  writeGolden,
  type GoldenRecord,
} from './golden-file.ts';
import { runSpec, writeGoldenFixture, type WrittenFixture } from './golden-run.ts';

let fixture: WrittenFixture;
const results = new Map<GoldenCase, BacktestResult>();

beforeAll(async () => {
  fixture = await writeGoldenFixture();
});

afterAll(async () => {
  await fixture.remove();
});

async function run(
  c: GoldenCase,
): Promise<{ readonly result: BacktestResult; readonly record: GoldenRecord }> {
  const spec = specOf(c, fixture.csvPath);
  const result = await runSpec(spec);
  results.set(c, result);
  return { result, record: goldenRecord(c, spec, fixture.fixture, result, GOLDEN_CSV_NAME) };
}

describe('golden backtests', () => {
  for (const c of GOLDEN_CASES) {
    it(`reproduces strategies/${c.strategy}/golden/${c.name}.json`, async () => {
      const { record } = await run(c);
      const path = goldenPath(c);
      const stored = await readGolden(path);
      if (updatingGolden()) {
        if (stored === null || diffGolden(stored, record).length > 0) await writeGolden(path, record);
        return;
      }
      if (stored === null) {
        expect.fail(`there is no golden file ${path}; create it on purpose with ${UPDATE_GOLDEN_COMMAND}`);
      }
      const diffs = diffGolden(stored, record);
      if (diffs.length > 0) {
        expect.fail(
          `${c.strategy}/${c.name} differs from its golden file ${path}:\n  ${diffs.join('\n  ')}\n` +
            `If the change is intended, regenerate with ${UPDATE_GOLDEN_COMMAND} and review the file diff.`,
        );
      }
    });
  }

  it('covers every built-in strategy, sma-cross under each fill policy and as CNC', () => {
    const strategies = new Set(GOLDEN_CASES.map((c) => c.strategy));
    expect([...strategies].sort()).toEqual(['orb', 'sma-cross', 'time-window', 'vwap-reversion']);
    const sma = GOLDEN_CASES.filter((c) => c.strategy === 'sma-cross');
    expect(new Set(sma.filter((c) => c.product === 'MIS').map((c) => c.fill))).toEqual(
      new Set(['next-open', 'ohlc', 'close']),
    );
    expect(sma.some((c) => c.product === 'CNC')).toBe(true);
    const names = GOLDEN_CASES.map((c) => `${c.strategy}/${c.name}`);
    expect(new Set(names).size).toBe(names.length);
  });

  it('makes every strategy trade several times on the fixture, without a halt or an MIS position left open', async () => {
    for (const c of GOLDEN_CASES) {
      const result = results.get(c) ?? (await run(c)).result;
      const what = `${c.strategy}/${c.name}`;
      expect(result.trades.length, what).toBeGreaterThanOrEqual(5);
      expect(result.counts.rejections, what).toBe(0);
      // Every fill belongs to a round trip of one entry and one exit; a CNC position may be open at the end.
      const open = result.warnings.filter((w) => /is still open at the end of the data/.test(w));
      expect(result.warnings.length, what).toBe(open.length);
      expect(open.length, what).toBeLessThanOrEqual(c.product === 'MIS' ? 0 : 1);
      expect(result.counts.fills, what).toBe(2 * result.trades.length + open.length);
      if (c.strategy === 'sma-cross')
        expect(new Set(result.trades.map((t) => t.direction)), what).toEqual(new Set(['LONG']));
      if (c.product === 'MIS') {
        // MIS positions never outlive their day.
        for (const t of result.trades) expect(istDate(t.exitAtMs), what).toBe(istDate(t.entryAtMs));
      }
    }
  });

  it('keeps metrics, trades and equity consistent with each other in every case without an open position', async () => {
    for (const c of GOLDEN_CASES) {
      const result = results.get(c) ?? (await run(c)).result;
      if (result.warnings.length > 0) continue;
      const what = `${c.strategy}/${c.name}`;
      const m = result.metrics;
      const sum = (f: (t: BacktestResult['trades'][number]) => number): number =>
        result.trades.reduce((a, t) => a + f(t), 0);
      expect(m.trades, what).toBe(result.trades.length);
      expect(m.finalEquityPaise - m.startingCashPaise, what).toBe(sum((t) => t.netPnlPaise));
      expect(m.chargesPaise, what).toBe(sum((t) => t.chargesPaise));
      expect(m.tradedValuePaise, what).toBe(sum((t) => t.qty * (t.entryPricePaise + t.exitPricePaise)));
      expect(result.daily.at(-1)?.equityPaise, what).toBe(m.finalEquityPaise);
      expect(
        result.daily.map((d) => d.date),
        what,
      ).toEqual(GOLDEN_FIXTURE.dates);
      for (const t of result.trades) {
        const sign = t.direction === 'LONG' ? 1 : -1;
        expect(t.grossPnlPaise, what).toBe(sign * t.qty * (t.exitPricePaise - t.entryPricePaise));
        expect(t.netPnlPaise, what).toBe(t.grossPnlPaise - t.chargesPaise);
        expect(t.exitAtMs, what).toBeGreaterThan(t.entryAtMs);
      }
    }
  });

  it('gives the identical result when a case runs again', async () => {
    const c = GOLDEN_CASES[0] as GoldenCase;
    const first = await run(c);
    const second = await run(c);
    expect(diffGolden(first.record, second.record)).toEqual([]);
    expect(second.result.orderListHash).toBe(first.result.orderListHash);
  });
});
