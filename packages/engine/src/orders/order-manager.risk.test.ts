// The order manager with the real DefaultRiskEngine: the snapshot it gathers drives the engine's checks.
import { describe, expect, it } from 'vitest';
import { paise } from '@kitepilot/core';
import { DefaultRiskEngine } from '../risk/risk-engine.ts';
import { makeRiskLimits } from '../risk/risk-limits.ts';
import { ACC, NIFTY, RELIANCE, harness, intent, kite, report, tickOf } from './order-manager-test-kit.ts';

function withEngine(capPaise: number) {
  const engine = new DefaultRiskEngine(makeRiskLimits({ dailyLossCapPaise: paise(capPaise) }));
  return harness({ overrides: { risk: engine } });
}

describe('OrderManager with DefaultRiskEngine', () => {
  it('enters within the cap, hits the loss cap on ticks, flattens with a system order and denies new entries', async () => {
    const h = withEngine(10_000);
    expect(h.om.onTick(tickOf(RELIANCE, 157_370))).toBeUndefined();
    // 10 × (1 573.70 − 1 565.00) = ₹87 at risk: within the ₹100 cap.
    await h.om.submit(intent({ qty: 10, stopLossPaise: paise(156_500) }), 'strategy');
    const order = h.execution.submitted[0]!;
    const k = kite('9001');
    for (const e of [k.submit(), k.status('OPEN'), k.fill('T1', 10, 157_370)]) {
      await h.om.onExecutionReport(report(order, e));
    }
    expect(h.om.position(ACC, RELIANCE.id, 'MIS').netQty).toBe(10);
    // A second entry would put the worst case past the cap: denied with the engine's reason.
    await h.om.submit(intent({ qty: 10, stopLossPaise: paise(156_500) }), 'strategy');
    expect(h.om.stats().denied).toEqual({ 'daily-loss-cap': 1 });
    expect(await h.om.onTick(tickOf(RELIANCE, 156_500))).toBeUndefined();
    await h.om.onTick(tickOf(RELIANCE, 156_370));
    expect(h.bus.alertCodes()).toContain('loss-cap-hit');
    const exit = h.execution.submitted.at(-1)!;
    expect(exit).toMatchObject({ side: 'SELL', qty: 10, orderType: 'LIMIT', limitPricePaise: 156_350 });
    // While the system's exit works, no strategy order on the position goes out (the two could both fill).
    await h.om.submit(intent({ qty: 1, stopLossPaise: paise(150_000) }), 'strategy');
    expect(h.om.stats().denied).toMatchObject({ 'position-closing': 1 });
    const x = kite('9002');
    for (const e of [x.submit(), x.status('OPEN'), x.fill('T2', 10, 156_350), x.status('COMPLETE')]) {
      await h.om.onExecutionReport(report(exit, e));
    }
    expect(h.om.position(ACC, RELIANCE.id, 'MIS').netQty).toBe(0);
    // Flat and halted for the day: entries are denied by the halt.
    await h.om.submit(intent({ qty: 1, stopLossPaise: paise(150_000) }), 'strategy');
    expect(h.om.stats().denied).toMatchObject({ 'trading-halted': 1, 'position-closing': 1 });
  });

  it('slices an order above the freeze quantity into lot-multiple children', async () => {
    const h = withEngine(100_000_000);
    expect(h.om.onTick(tickOf(NIFTY, 2_600_000))).toBeUndefined();
    await h.om.submit(
      intent({
        instrumentId: NIFTY.id,
        product: 'NRML',
        qty: 3900,
        limitPricePaise: paise(2_600_000),
        stopLossPaise: paise(2_599_000),
      }),
      'strategy',
    );
    const qtys = h.execution.submitted.map((o) => o.qty);
    expect(qtys.reduce((a, b) => a + b, 0)).toBe(3900);
    expect(qtys.every((q) => q <= 1800 && q % 65 === 0)).toBe(true);
    expect(qtys.length).toBeGreaterThan(1);
  });
});
