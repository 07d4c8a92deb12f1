import { paise, type Depth } from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { matchAggressive, type AggressiveOrder } from './match-aggressive.ts';

const GRID = { tickSizePaise: paise(10), lotSize: 1 };
const OPTS = { beyondDepthTicks: 1, slippageTicks: 0 };

function depth(asks: [number, number][], bids: [number, number][] = []): Depth {
  const l = ([p, q]: [number, number]) => ({ pricePaise: paise(p), qty: q, orders: 1 });
  return { asks: asks.map(l), bids: bids.map(l) };
}

function buy(qty: number, extra: Partial<AggressiveOrder> = {}): AggressiveOrder {
  return { side: 'BUY', qty, limitPricePaise: null, protectionPct: null, ...extra };
}

describe('matchAggressive', () => {
  it('fills level by level at each level price', () => {
    const m = matchAggressive(
      buy(4),
      {
        lastPricePaise: paise(1000),
        depth: depth([
          [1010, 1],
          [1020, 5],
        ]),
        usedQty: [],
      },
      GRID,
      OPTS,
    );
    expect(m.fills).toEqual([
      { qty: 1, pricePaise: 1010, level: 0 },
      { qty: 3, pricePaise: 1020, level: 1 },
    ]);
    expect([m.leavesQty, m.stoppedBy]).toEqual([0, null]);
  });

  it('skips what earlier orders used and empty levels', () => {
    const m = matchAggressive(
      buy(4),
      {
        lastPricePaise: paise(1000),
        depth: depth([
          [1010, 2],
          [0, 0],
          [1030, 5],
        ]),
        usedQty: [2],
      },
      GRID,
      OPTS,
    );
    expect(m.fills).toEqual([{ qty: 4, pricePaise: 1030, level: 2 }]);
  });

  it('fills beyond the visible depth at the last level worsened by beyondDepthTicks', () => {
    const m = matchAggressive(
      { side: 'SELL', qty: 10, limitPricePaise: null, protectionPct: null },
      { lastPricePaise: paise(1000), depth: depth([], [[990, 4]]), usedQty: [] },
      GRID,
      { beyondDepthTicks: 3, slippageTicks: 0 },
    );
    expect(m.fills).toEqual([
      { qty: 4, pricePaise: 990, level: 0 },
      { qty: 6, pricePaise: 960, level: null },
    ]);
  });

  it('uses the last price plus slippage without depth', () => {
    const m = matchAggressive(buy(3), { lastPricePaise: paise(1000), depth: null, usedQty: [] }, GRID, {
      beyondDepthTicks: 1,
      slippageTicks: 2,
    });
    expect(m.fills).toEqual([{ qty: 3, pricePaise: 1020, level: null }]);
  });

  it('stops at the limit and leaves the rest', () => {
    const m = matchAggressive(
      buy(10, { limitPricePaise: paise(1010) }),
      {
        lastPricePaise: paise(1000),
        depth: depth([
          [1010, 4],
          [1020, 5],
        ]),
        usedQty: [],
      },
      GRID,
      OPTS,
    );
    expect(m.fills).toEqual([{ qty: 4, pricePaise: 1010, level: 0 }]);
    expect([m.leavesQty, m.stoppedBy]).toEqual([6, 'limit']);
  });

  it('stops a market order at the protection price', () => {
    const m = matchAggressive(
      buy(10, { protectionPct: 2 }),
      { lastPricePaise: paise(1000), depth: depth([[1010, 4]]), usedQty: [] },
      GRID,
      { beyondDepthTicks: 2, slippageTicks: 0 },
    );
    expect(m.fills).toEqual([{ qty: 4, pricePaise: 1010, level: 0 }]);
    expect([m.leavesQty, m.stoppedBy, m.protectionLimitPaise]).toEqual([6, 'protection', 1020]);
  });

  it('takes whole lots from each level', () => {
    const m = matchAggressive(
      buy(195),
      {
        lastPricePaise: paise(1000),
        depth: depth([
          [1010, 100],
          [1020, 300],
        ]),
        usedQty: [],
      },
      { tickSizePaise: paise(10), lotSize: 65 },
      OPTS,
    );
    expect(m.fills.map((f) => f.qty)).toEqual([65, 130]);
  });

  it('adds the slippage model to a market-like fill at the last price, with the tick or bar it gets', () => {
    const seen: unknown[] = [];
    const model = {
      slippagePaise: (input: { tick: unknown; bar: unknown; qty: number; pricePaise: number }) => {
        seen.push([input.tick, input.bar, input.qty, input.pricePaise]);
        return 15;
      },
    };
    const opts = { ...OPTS, slippage: model };
    const market = { lastPricePaise: paise(1000), depth: null, usedQty: [] };
    expect(matchAggressive(buy(3), market, GRID, opts).fills).toEqual([
      { qty: 3, pricePaise: 1020, level: null },
    ]);
    expect(matchAggressive({ ...buy(3), side: 'SELL' }, market, GRID, opts).fills[0]?.pricePaise).toBe(980);
    expect(seen).toEqual([
      [null, null, 3, 1000],
      [null, null, 3, 1000],
    ]);
  });

  it('never adds the slippage model to a limit order or to a depth walk', () => {
    const model = { slippagePaise: () => 50 };
    const opts = { ...OPTS, slippage: model };
    const last = { lastPricePaise: paise(1000), depth: null, usedQty: [] };
    expect(matchAggressive(buy(3, { limitPricePaise: paise(1010) }), last, GRID, opts).fills).toEqual([
      { qty: 3, pricePaise: 1000, level: null },
    ]);
    const book = { lastPricePaise: paise(1000), depth: depth([[1010, 5]]), usedQty: [] };
    expect(matchAggressive(buy(3), book, GRID, opts).fills).toEqual([{ qty: 3, pricePaise: 1010, level: 0 }]);
  });

  it('stops a slipped market order at its protection price', () => {
    const m = matchAggressive(
      buy(3, { protectionPct: 2 }),
      { lastPricePaise: paise(1000), depth: null, usedQty: [] },
      GRID,
      { ...OPTS, slippage: { slippagePaise: () => 30 } },
    );
    expect([m.fills, m.leavesQty, m.stoppedBy, m.protectionLimitPaise]).toEqual([[], 3, 'protection', 1020]);
  });
});
