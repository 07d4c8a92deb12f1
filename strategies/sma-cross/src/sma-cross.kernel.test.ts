// sma-cross on the real trading path (PaperKernel: kernel, OrderManager, DefaultRiskEngine, paper fills at the last
// price): its intents pass risk, and a V-shaped day gives exactly one round trip.
import { describe, expect, it } from 'vitest';
import { anInstrument } from '@kitepilot/core';
import { aBarSeries, PaperKernel } from '@kitepilot/engine';
import { definition } from './definition.ts';

const RELIANCE = anInstrument();

describe('sma-cross in the kernel', () => {
  it('makes one allowed round trip on a V-shaped day and ends flat', async () => {
    const closes: number[] = [];
    let p = 1_500_00;
    for (let i = 0; i < 40; i++) closes.push((p -= 10));
    for (let i = 0; i < 40; i++) closes.push((p += 20));
    for (let i = 0; i < 40; i++) closes.push((p -= 30));
    const paper = new PaperKernel(
      definition.create({ symbol: 'NSE:RELIANCE', fast: 10, slow: 30, qty: 10 }),
      {
        instruments: [RELIANCE],
      },
    );
    await paper.start();
    await paper.bars(aBarSeries(closes));
    await paper.advanceTo(paper.clock.now() + 1_000);
    expect(paper.stats().strategiesHalted).toBe(0);
    expect(paper.intents.map((i) => [i.side, i.qty, i.orderType])).toEqual([
      ['BUY', 10, 'MARKET'],
      ['SELL', 10, 'MARKET'],
    ]);
    const stop = paper.intents[0]!.stopLossPaise;
    expect(stop !== null && stop % RELIANCE.tickSizePaise === 0).toBe(true);
    expect(paper.decisions.map((d) => d.decision)).toEqual(['allow', 'allow']);
    expect(paper.signals.map((s) => s.direction)).toEqual(['LONG', 'FLAT']);
    expect(paper.fills).toHaveLength(2);
    expect(paper.position(RELIANCE.id).netQty).toBe(0);
  });
});
