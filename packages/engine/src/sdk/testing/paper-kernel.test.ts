import { describe, expect, it } from 'vitest';
import { anInstrument, paise } from '@kitepilot/core';
import type { Strategy, StrategyContext } from '../strategy.ts';
import { istMs } from './builders.ts';
import { PaperKernel } from './paper-kernel.ts';

const RELIANCE = anInstrument();

/** Buys 2 at 09:30 with a stop, then 1 more without one (which risk denies). */
const buyer: Strategy = {
  onStart(ctx: StrategyContext) {
    ctx.subscribe(RELIANCE.id, { ticks: true });
    ctx.setTimer('buy', istMs('09:30'));
  },
  onTimer(ctx: StrategyContext) {
    for (const [qty, stop] of [
      [2, paise(1_400_00)],
      [1, null],
    ] as const) {
      ctx.submit({
        instrumentId: RELIANCE.id,
        side: 'BUY',
        qty,
        orderType: 'MARKET',
        stopLossPaise: stop,
        reason: 'test',
      });
    }
  },
};

describe('PaperKernel', () => {
  it('runs strategy timers, risk and paper fills at the last price', async () => {
    const paper = new PaperKernel(buyer, { instruments: [RELIANCE] });
    await paper.start();
    await paper.tick(RELIANCE.id, 1_500_00, istMs('09:29'));
    await paper.advanceTo(istMs('09:31'));
    expect(paper.decisions.map((d) => d.decision)).toEqual(['allow', 'deny']);
    expect(paper.fills.map((f) => [f.qty, f.pricePaise, f.tsEvent])).toEqual([
      [2, 1_500_00, istMs('09:30') + 200],
    ]);
    expect(paper.position(RELIANCE.id)).toMatchObject({ netQty: 2, averagePricePaise: 1_500_00 });
    expect(paper.stats().strategiesHalted).toBe(0);
  });
});
