// time-window on the real trading path (PaperKernel): the 09:30 timer enters through risk, a tick at the stop
// exits, and nothing else is sent that day.
import { describe, expect, it } from 'vitest';
import { anInstrument } from '@kitepilot/core';
import { istMs, PaperKernel } from '@kitepilot/engine';
import { definition } from './definition.ts';

const RELIANCE = anInstrument();

describe('time-window in the kernel', () => {
  it('enters at buyTime, exits at the stop and ends flat', async () => {
    const paper = new PaperKernel(definition.create({ symbol: 'NSE:RELIANCE', qty: 5 }), {
      instruments: [RELIANCE],
    });
    await paper.start();
    await paper.tick(RELIANCE.id, 1_500_00, istMs('09:29'));
    await paper.advanceTo(istMs('09:31'));
    expect(paper.intents.map((i) => [i.side, i.qty, i.stopLossPaise])).toEqual([['BUY', 5, 1_485_00]]);
    expect(paper.position(RELIANCE.id).netQty).toBe(5);
    await paper.tick(RELIANCE.id, 1_485_00, istMs('10:00'));
    await paper.advanceTo(istMs('15:01'));
    expect(paper.stats().strategiesHalted).toBe(0);
    expect(paper.intents.map((i) => i.side)).toEqual(['BUY', 'SELL']);
    expect(paper.decisions.map((d) => d.decision)).toEqual(['allow', 'allow']);
    expect(paper.position(RELIANCE.id).netQty).toBe(0);
  });
});
