// Property tests of DefaultRiskEngine (DESIGN.md invariant 4). Invariants:
// 1. For random snapshots (positions with marks and stops, working orders, realised P&L, caps) and random entry
//    intents, whenever `check` allows the intent, the worst-case P&L including it is bounded and ≥ −cap.
// 2. `check` is deterministic: the same intent and snapshot give deep-equal decisions, from any engine instance.
// 3. `monitor` says none exactly when realised + unrealised > −cap (positions with a mark), else flatten-and-halt
//    with that P&L.
// 4. No event sequence lets the day's P&L pass the cap through allowed orders: starting flat, entries are checked
//    against the current state (allowed ones become working orders), working orders fill at their limit, prices
//    move tick by tick and a position stops out at its stop price (no gaps). After every event realised +
//    unrealised ≥ worst case ≥ −cap.
import { anInstrument, anIntent, paise, type Instrument, type OrderIntent, type Side } from '@kitepilot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyIntent } from './intent-classification.ts';
import { DefaultRiskEngine } from './risk-engine.ts';
import { makeRiskLimits } from './risk-limits.ts';
import { INFY, RELIANCE, aSnapshot } from './risk-test-support.ts';
import type { RiskOpenOrder, RiskPosition, RiskSnapshot } from './risk-types.ts';
import { worstCaseDailyPnlPaise } from './worst-case.ts';

const TICK = 10;
const INSTRUMENTS: Record<string, Instrument> = {
  [RELIANCE]: anInstrument(),
  [INFY]: anInstrument({ tradingSymbol: 'INFY', name: 'INFOSYS', token: 408065, exchangeToken: 1594 }),
};
const IDS = [RELIANCE, INFY] as const;

const priceArb = fc.integer({ min: 1_000, max: 20_000 }).map((t) => t * TICK);
const sideArb = fc.constantFrom<Side>('BUY', 'SELL');

const positionArb: fc.Arbitrary<RiskPosition> = fc
  .record({
    id: fc.constantFrom(...IDS),
    netQty: fc.integer({ min: -50, max: 50 }),
    avg: priceArb,
    mark: fc.option(priceArb),
    stop: fc.option(priceArb),
  })
  .map(({ id, netQty, avg, mark, stop }) => ({
    instrumentId: id,
    product: 'MIS',
    netQty,
    costBasisPaise: paise(netQty * avg),
    markPaise: mark === null ? null : paise(mark),
    stopPaise: stop === null ? null : paise(stop),
  }));

const openOrderArb: fc.Arbitrary<RiskOpenOrder> = fc
  .record({
    id: fc.constantFrom(...IDS),
    side: sideArb,
    qty: fc.integer({ min: 1, max: 30 }),
    price: fc.option(priceArb),
    stop: fc.option(priceArb),
  })
  .map(({ id, side, qty, price, stop }) => ({
    instrumentId: id,
    product: 'MIS',
    side,
    leavesQty: qty,
    pricePaise: price === null ? null : paise(price),
    stopLossPaise: stop === null ? null : paise(stop),
  }));

function entryIntent(
  id: (typeof IDS)[number],
  side: Side,
  qty: number,
  limit: number,
  stop: number | null,
): OrderIntent {
  return anIntent({
    instrumentId: id,
    side,
    qty,
    limitPricePaise: paise(limit),
    stopLossPaise: stop === null ? null : paise(stop),
  });
}

const intentArb = fc
  .record({
    id: fc.constantFrom(...IDS),
    side: sideArb,
    qty: fc.integer({ min: 1, max: 40 }),
    limit: priceArb,
    stopTicks: fc.option(fc.integer({ min: -50, max: 50 })),
  })
  .map(({ id, side, qty, limit, stopTicks }) =>
    entryIntent(
      id,
      side,
      qty,
      limit,
      stopTicks === null || limit + stopTicks * TICK <= 0 ? null : limit + stopTicks * TICK,
    ),
  );

const scenarioArb = fc.record({
  positions: fc.uniqueArray(positionArb, { selector: (p) => p.instrumentId, maxLength: 2 }),
  openOrders: fc.array(openOrderArb, { maxLength: 4 }),
  realised: fc.integer({ min: -3_000_000, max: 1_000_000 }),
  cap: fc.integer({ min: 0, max: 5_000_000 }),
  requireStopLoss: fc.boolean(),
  intent: intentArb,
});

function snapshotFor(intent: OrderIntent, s: Omit<RiskSnapshot, 'instrument'>): RiskSnapshot {
  return { ...s, instrument: INSTRUMENTS[intent.instrumentId] ?? null };
}

describe('RiskEngine properties', () => {
  it('allows an entry only when the worst case including it is bounded and within the cap; decides deterministically', () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const limits = makeRiskLimits({
          dailyLossCapPaise: paise(sc.cap),
          requireStopLoss: sc.requireStopLoss,
        });
        const snapshot = snapshotFor(
          sc.intent,
          aSnapshot({
            positions: sc.positions,
            openOrders: sc.openOrders,
            realisedPnlTodayPaise: paise(sc.realised),
            lastPricePaise: sc.intent.limitPricePaise,
          }),
        );
        const decision = new DefaultRiskEngine(limits).check(sc.intent, snapshot);
        expect(new DefaultRiskEngine(limits).check(sc.intent, snapshot)).toEqual(decision);
        // Exits reduce risk and may be allowed whatever the worst case; the invariant is about entries.
        if (decision.decision === 'allow' && classifyIntent(sc.intent, snapshot).kind === 'entry') {
          const worst = worstCaseDailyPnlPaise(snapshot, sc.intent);
          expect(worst).not.toBeNull();
          expect(worst ?? 0n).toBeGreaterThanOrEqual(-BigInt(sc.cap));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('monitor says none exactly when realised + unrealised is above −cap', () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const engine = new DefaultRiskEngine(makeRiskLimits({ dailyLossCapPaise: paise(sc.cap) }));
        const snapshot = aSnapshot({ positions: sc.positions, realisedPnlTodayPaise: paise(sc.realised) });
        let pnl = sc.realised;
        for (const p of sc.positions)
          if (p.markPaise !== null) pnl += p.netQty * p.markPaise - p.costBasisPaise;
        const action = engine.monitor(snapshot);
        if (action.action === 'none') expect(pnl).toBeGreaterThan(-sc.cap);
        else {
          expect(action).toMatchObject({ pnlPaise: pnl });
          expect(pnl).toBeLessThanOrEqual(-sc.cap);
        }
      }),
      { numRuns: 500 },
    );
  });
});

/** One lot of a simulated position: a filled entry with its own stop (so each risk keeps its stop). */
interface Tranche {
  readonly id: (typeof IDS)[number];
  readonly netQty: number;
  readonly costPaise: number;
  readonly stopPaise: number | null;
}
interface Working {
  readonly id: (typeof IDS)[number];
  readonly side: Side;
  readonly qty: number;
  readonly limit: number;
  readonly stop: number | null;
}

type SimEvent =
  | {
      readonly type: 'intent';
      readonly instrument: 0 | 1;
      readonly qty: number;
      readonly offsetTicks: number;
      readonly stopTicks: number | null;
    }
  | { readonly type: 'fill'; readonly pick: number }
  | { readonly type: 'move'; readonly instrument: 0 | 1; readonly ticks: number };

const eventArb: fc.Arbitrary<SimEvent> = fc.oneof(
  fc.record({
    type: fc.constant('intent' as const),
    instrument: fc.constantFrom(0 as const, 1 as const),
    qty: fc.integer({ min: 1, max: 40 }),
    offsetTicks: fc.integer({ min: -20, max: 20 }),
    stopTicks: fc.option(fc.integer({ min: 1, max: 300 })),
  }),
  fc.record({ type: fc.constant('fill' as const), pick: fc.nat() }),
  fc.record({
    type: fc.constant('move' as const),
    instrument: fc.constantFrom(0 as const, 1 as const),
    ticks: fc.integer({ min: -400, max: 400 }),
  }),
);

describe('RiskEngine loss cap over event sequences', () => {
  it('never lets realised + unrealised or the worst case pass −cap through allowed orders', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.boolean(),
        fc.array(eventArb, { maxLength: 60 }),
        (cap, requireStop, events) => {
          const engine = new DefaultRiskEngine(
            makeRiskLimits({ dailyLossCapPaise: paise(cap), requireStopLoss: requireStop }),
          );
          // RELIANCE is traded long only and INFY short only, so every intent is an entry.
          const sides: Record<string, Side> = { [RELIANCE]: 'BUY', [INFY]: 'SELL' };
          const marks: Record<string, number> = { [RELIANCE]: 150_000, [INFY]: 150_000 };
          let realised = 0;
          let tranches: Tranche[] = [];
          const working: Working[] = [];
          const snapshot = (id: (typeof IDS)[number]): RiskSnapshot =>
            aSnapshot({
              instrument: INSTRUMENTS[id] ?? null,
              lastPricePaise: paise(marks[id] ?? 0),
              realisedPnlTodayPaise: paise(realised),
              positions: tranches.map((t) => ({
                instrumentId: t.id,
                product: 'MIS',
                netQty: t.netQty,
                costBasisPaise: paise(t.costPaise),
                markPaise: paise(marks[t.id] ?? 0),
                stopPaise: t.stopPaise === null ? null : paise(t.stopPaise),
              })),
              openOrders: working.map((w) => ({
                instrumentId: w.id,
                product: 'MIS',
                side: w.side,
                leavesQty: w.qty,
                pricePaise: paise(w.limit),
                stopLossPaise: w.stop === null ? null : paise(w.stop),
              })),
            });
          // Moves the mark one tick at a time; a tranche whose stop is reached exits at the stop price.
          const moveTo = (id: (typeof IDS)[number], target: number): void => {
            while ((marks[id] ?? 0) !== target) {
              const mark = (marks[id] ?? 0) + Math.sign(target - (marks[id] ?? 0)) * TICK;
              marks[id] = mark;
              tranches = tranches.filter((t) => {
                const hit =
                  t.id === id &&
                  t.stopPaise !== null &&
                  (t.netQty > 0 ? mark <= t.stopPaise : mark >= t.stopPaise);
                if (hit) realised += t.netQty * (t.stopPaise ?? 0) - t.costPaise;
                return !hit;
              });
            }
          };
          for (const e of events) {
            if (e.type === 'intent') {
              const id = IDS[e.instrument];
              const side = sides[id] ?? 'BUY';
              const limit = Math.max(TICK, (marks[id] ?? 0) + e.offsetTicks * TICK);
              const stop =
                e.stopTicks === null ? null : limit - (side === 'BUY' ? 1 : -1) * e.stopTicks * TICK;
              if (stop !== null && stop <= 0) continue;
              const intent = entryIntent(id, side, e.qty, limit, stop);
              if (engine.check(intent, snapshot(id)).decision === 'allow')
                working.push({ id, side, qty: e.qty, limit, stop });
            } else if (e.type === 'fill') {
              if (working.length === 0) continue;
              const [w] = working.splice(e.pick % working.length, 1);
              if (w === undefined) continue;
              moveTo(w.id, w.limit);
              const signed = w.side === 'BUY' ? w.qty : -w.qty;
              tranches.push({ id: w.id, netQty: signed, costPaise: signed * w.limit, stopPaise: w.stop });
            } else {
              const id = IDS[e.instrument];
              moveTo(id, Math.max(TICK, (marks[id] ?? 0) + e.ticks * TICK));
            }
            let pnl = realised;
            for (const t of tranches) pnl += t.netQty * (marks[t.id] ?? 0) - t.costPaise;
            const worst = worstCaseDailyPnlPaise(snapshot(RELIANCE));
            expect(worst).not.toBeNull();
            expect(BigInt(pnl)).toBeGreaterThanOrEqual(worst ?? 0n);
            expect(worst ?? 0n).toBeGreaterThanOrEqual(-BigInt(cap));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
