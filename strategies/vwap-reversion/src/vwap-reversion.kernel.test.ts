// vwap-reversion on the real trading path (PaperKernel): a stretch below the VWAP enters through risk and the
// return to the VWAP exits.
import { describe, expect, it } from 'vitest';
import { anInstrument } from '@kitepilot/core';
import { aBar, PaperKernel } from '@kitepilot/engine';
import { definition } from './definition.ts';

const RELIANCE = anInstrument();

describe('vwap-reversion in the kernel', () => {
  it('buys the stretch below the VWAP and sells when the close is back at it', async () => {
    const paper = new PaperKernel(definition.create({ symbol: 'NSE:RELIANCE', qty: 2 }), {
      instruments: [RELIANCE],
    });
    await paper.start();
    await paper.bar(aBar({ time: '09:15', close: 1_000_00, volume: 1_000_000 }));
    await paper.bar(aBar({ time: '09:29', close: 994_00 }));
    expect(paper.intents.map((i) => [i.side, i.qty, i.stopLossPaise])).toEqual([['BUY', 2, 989_00]]);
    await paper.bar(aBar({ time: '09:30', close: 1_000_00 }));
    await paper.advanceTo(paper.clock.now() + 1_000);
    expect(paper.stats().strategiesHalted).toBe(0);
    expect(paper.intents.map((i) => i.side)).toEqual(['BUY', 'SELL']);
    expect(paper.decisions.map((d) => d.decision)).toEqual(['allow', 'allow']);
    expect(paper.position(RELIANCE.id).netQty).toBe(0);
  });
});
