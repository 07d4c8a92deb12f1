// orb on the real trading path (PaperKernel): a breakout entry passes risk with its stop at the range low, and the
// target exit closes the trade.
import { describe, expect, it } from 'vitest';
import { anInstrument } from '@kitepilot/core';
import { aBar, PaperKernel } from '@kitepilot/engine';
import { definition } from './definition.ts';

const RELIANCE = anInstrument();

describe('orb in the kernel', () => {
  it('goes long on the breakout and exits at the target', async () => {
    const paper = new PaperKernel(definition.create({ symbol: 'NSE:RELIANCE', rangeMinutes: 2, qty: 3 }), {
      instruments: [RELIANCE],
    });
    await paper.start();
    await paper.bar(aBar({ time: '09:15', open: 1_500_00, high: 1_505_00, low: 1_498_00, close: 1_502_00 }));
    await paper.bar(aBar({ time: '09:16', open: 1_502_00, high: 1_504_00, low: 1_499_00, close: 1_503_00 }));
    await paper.bar(aBar({ time: '09:17', open: 1_503_00, high: 1_507_00, low: 1_503_00, close: 1_506_00 }));
    expect(paper.intents.map((i) => [i.side, i.qty, i.stopLossPaise])).toEqual([['BUY', 3, 1_498_00]]);
    // target 1506 + 2 × 7 = ₹1520
    await paper.bar(aBar({ time: '09:18', open: 1_506_00, high: 1_520_00, low: 1_505_00, close: 1_519_00 }));
    await paper.advanceTo(paper.clock.now() + 1_000);
    expect(paper.stats().strategiesHalted).toBe(0);
    expect(paper.intents.map((i) => i.side)).toEqual(['BUY', 'SELL']);
    expect(paper.decisions.map((d) => d.decision)).toEqual(['allow', 'allow']);
    expect(paper.position(RELIANCE.id).netQty).toBe(0);
  });
});
