import {
  anInstrument,
  makeTick,
  paise,
  TestClock,
  type Instrument,
  type InstrumentId,
  type InstrumentTick,
  type QuarantinedTick,
  type Tick,
} from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import type { QuarantineSink, TickSink } from './tick-sink.ts';
import { TickIngestor } from './tick-ingestor.ts';

const t0 = Date.UTC(2026, 10, 20, 4, 30); // 10:00 IST
const reliance = anInstrument(); // tick 10 paise, token 738561
const infy = anInstrument({ tradingSymbol: 'INFY', name: 'INFOSYS', token: 408065 });
const nifty = anInstrument({
  type: 'INDEX',
  tradingSymbol: 'NIFTY 50',
  name: 'NIFTY 50',
  token: 256265,
  tickSizePaise: paise(5),
});

class ArraySink implements TickSink {
  readonly offered: InstrumentTick[] = [];
  full = false;
  offer(ticks: readonly InstrumentTick[]): boolean {
    this.offered.push(...ticks);
    return !this.full;
  }
  whenWritable(): Promise<void> {
    return Promise.resolve();
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

class ArrayQuarantine implements QuarantineSink {
  readonly offered: QuarantinedTick[] = [];
  offer(entries: readonly QuarantinedTick[]): boolean {
    this.offered.push(...entries);
    return true;
  }
  whenWritable(): Promise<void> {
    return Promise.resolve();
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function aTick(fields: Partial<Tick> = {}): Tick {
  return makeTick({
    token: reliance.token,
    tradable: true,
    mode: 'quote',
    lastPricePaise: paise(157370),
    volume: 1000,
    exchangeTs: t0,
    tsInit: t0 + 5,
    ...fields,
  });
}

function setup(options: { bands?: Map<InstrumentId, { lowerPaise: number; upperPaise: number }> } = {}) {
  const clock = new TestClock(t0 + 10);
  const byToken = new Map<number, Instrument>([
    [reliance.token, reliance],
    [nifty.token, nifty],
    [infy.token, infy],
  ]);
  const sink = new ArraySink();
  const quarantine = new ArrayQuarantine();
  const bars: [InstrumentId, Tick][] = [];
  const ingestor = new TickIngestor({
    namespace: 'simulated',
    instruments: { byToken: (token) => byToken.get(token) },
    clock,
    sink,
    quarantine,
    bars: { onTick: (id, tick) => bars.push([id, tick]) },
    circuitBands: (id) => options.bands?.get(id),
  });
  return { clock, sink, quarantine, bars, ingestor };
}

describe('TickIngestor', () => {
  it('accepts a valid tick: stored, fed to the bars and kept as the last tick, in arrival order', () => {
    const { sink, bars, ingestor, quarantine } = setup();
    const a = aTick();
    const b = aTick({ lastPricePaise: paise(157380), volume: 1005, exchangeTs: t0 + 1 });
    expect(ingestor.ingest([a, b])).toEqual({ accepted: 2, quarantined: 0 });
    expect(sink.offered).toEqual([
      { instrumentId: reliance.id, tick: a },
      { instrumentId: reliance.id, tick: b },
    ]);
    expect(bars).toEqual([
      [reliance.id, a],
      [reliance.id, b],
    ]);
    expect(ingestor.lastTick(reliance.id)?.tick).toBe(b);
    expect(quarantine.offered).toEqual([]);
  });

  it.each([
    [
      'malformed',
      aTick({ lastPricePaise: Number.NaN as never }),
      /malformed: last price NaN is not a safe integer/,
    ],
    ['malformed', aTick({ volume: -5 }), /malformed: volume -5 is not a non-negative safe integer/],
    ['malformed', aTick({ oi: 1.5 }), /malformed: oi 1\.5 is not a safe integer/],
    [
      'malformed',
      aTick({ lastTradeTime: 2 ** 52 }),
      /malformed: last trade time 4503599627370496 is not an epoch-ms time in \[0, 9000000000000\]/,
    ],
    [
      'malformed',
      aTick({ depth: { bids: [{ pricePaise: paise(100), qty: Number.NaN, orders: 1 }], asks: [] } }),
      /malformed: depth qty NaN is not a safe integer/,
    ],
    ['unknown-token', aTick({ token: 99 }), /token 99 is not in the instruments master/],
    [
      'non-positive-price',
      aTick({ lastPricePaise: paise(0) }),
      /last price 0 paise of RELIANCE\.NSE is not > 0/,
    ],
    ['non-positive-price', aTick({ lastPricePaise: paise(-10) }), /last price -10 paise/],
    [
      'off-tick-grid',
      aTick({ lastPricePaise: paise(157373) }),
      /last price 157373 paise of RELIANCE\.NSE is not a multiple of the tick size 10 paise/,
    ],
    [
      'outside-circuit-band',
      aTick({ lastPricePaise: paise(173110) }),
      /last price 173110 paise of RELIANCE\.NSE is outside the circuit band \[141640, 173100\] paise/,
    ],
    [
      'future-timestamp',
      aTick({ exchangeTs: t0 + 10 + 2001 }),
      /exchange time 2026-11-20T04:30:02\.011Z of RELIANCE\.NSE is 2001 ms ahead of the clock 2026-11-20T04:30:00\.010Z \(tolerance 2000 ms\)/,
    ],
  ] as const)(
    'quarantines a %s tick with its reason code and the values, and counts it',
    (code, tick, message) => {
      const bands = new Map([[reliance.id, { lowerPaise: 141640, upperPaise: 173100 }]]);
      const { sink, bars, ingestor, quarantine } = setup({ bands });
      expect(ingestor.ingest([tick])).toEqual({ accepted: 0, quarantined: 1 });
      expect(quarantine.offered).toHaveLength(1);
      const entry = quarantine.offered[0];
      expect(entry?.reasonCode).toBe(code);
      expect(entry?.reason).toMatch(message);
      expect(entry?.raw).toBe(tick);
      expect(entry?.instrumentId).toBe(code === 'malformed' || code === 'unknown-token' ? null : reliance.id);
      expect(sink.offered).toEqual([]);
      expect(bars).toEqual([]);
      expect(ingestor.lastTick(reliance.id)).toBeUndefined();
      expect(ingestor.counters.quarantinedByReason[code]).toBe(1);
      expect(ingestor.counters.quarantined).toBe(1);
      expect(ingestor.counters.accepted).toBe(0);
    },
  );

  it('accepts the band edges and a timestamp exactly at the tolerance', () => {
    const bands = new Map([[reliance.id, { lowerPaise: 141640, upperPaise: 173100 }]]);
    const { ingestor } = setup({ bands });
    const r = ingestor.ingest([
      aTick({ lastPricePaise: paise(141640) }),
      aTick({ lastPricePaise: paise(173100) }),
      aTick({ exchangeTs: t0 + 10 + 2000 }),
    ]);
    expect(r).toEqual({ accepted: 3, quarantined: 0 });
  });

  it('applies no tick grid to an index and no band when none is known', () => {
    const { ingestor } = setup();
    const r = ingestor.ingest([
      aTick({ token: nifty.token, tradable: false, lastPricePaise: paise(2_612_347), volume: null }),
      aTick({ lastPricePaise: paise(9_999_990) }),
    ]);
    expect(r).toEqual({ accepted: 2, quarantined: 0 });
  });

  it('quarantines a cumulative volume that decreases within an IST day, keeping the accepted baseline', () => {
    const { ingestor, quarantine } = setup();
    ingestor.ingest([aTick({ volume: 5000 })]);
    expect(ingestor.ingest([aTick({ volume: 4999, exchangeTs: t0 + 1 })])).toEqual({
      accepted: 0,
      quarantined: 1,
    });
    expect(quarantine.offered[0]?.reason).toMatch(
      /cumulative volume 4999 of RELIANCE\.NSE is below 5000 accepted earlier on IST day 2026-11-20/,
    );
    // The bad tick did not lower the baseline; an equal volume is fine.
    expect(ingestor.ingest([aTick({ volume: 5000, exchangeTs: t0 + 2 })])).toEqual({
      accepted: 1,
      quarantined: 0,
    });
  });

  it('resets the volume rule at the IST day boundary (18:30 UTC), not at UTC midnight', () => {
    const beforeIstMidnight = Date.UTC(2026, 10, 20, 18, 29, 59, 999); // 23:59:59.999 IST on the 20th
    const afterIstMidnight = Date.UTC(2026, 10, 20, 18, 30, 0, 0); // 00:00 IST on the 21st
    const { ingestor, clock } = setup();
    clock.advanceTo(afterIstMidnight + 100);
    ingestor.ingest([aTick({ volume: 9_000_000, exchangeTs: beforeIstMidnight, tsInit: beforeIstMidnight })]);
    // Same IST day (the 20th) and lower: quarantined.
    expect(ingestor.ingest([aTick({ volume: 10, exchangeTs: beforeIstMidnight })]).quarantined).toBe(1);
    // A new IST day starts from zero again: accepted.
    expect(ingestor.ingest([aTick({ volume: 10, exchangeTs: afterIstMidnight })]).accepted).toBe(1);
    // A late tick of the previous day neither fails against nor replaces the new day's baseline.
    expect(ingestor.ingest([aTick({ volume: 9_000_001, exchangeTs: beforeIstMidnight })]).accepted).toBe(1);
    expect(ingestor.ingest([aTick({ volume: 11, exchangeTs: afterIstMidnight + 1 })]).accepted).toBe(1);
    expect(ingestor.ingest([aTick({ volume: 9, exchangeTs: afterIstMidnight + 2 })]).quarantined).toBe(1);
  });

  it('uses the receive time for the volume day when the packet has no exchange time', () => {
    const { ingestor } = setup();
    ingestor.ingest([aTick({ volume: 100, exchangeTs: null, tsInit: t0 })]);
    expect(ingestor.ingest([aTick({ volume: 99, exchangeTs: null, tsInit: t0 + 1 })]).quarantined).toBe(1);
  });

  it('keeps the volume rule per instrument', () => {
    const { ingestor } = setup();
    ingestor.ingest([aTick({ volume: 100 })]);
    expect(ingestor.ingest([aTick({ token: infy.token, volume: 50 })]).accepted).toBe(1);
    expect(ingestor.ingest([aTick({ volume: 50 })]).quarantined).toBe(1);
    expect(ingestor.ingest([aTick({ token: infy.token, volume: 49 })]).quarantined).toBe(1);
  });

  it('counts accepted and quarantined ticks by reason across calls, in one batch mixing both', () => {
    const { ingestor, sink, quarantine } = setup();
    const r = ingestor.ingest([
      aTick(),
      aTick({ token: 1 }),
      aTick({ token: 2 }),
      aTick({ lastPricePaise: paise(0) }),
      aTick({ exchangeTs: t0 + 1 }),
    ]);
    expect(r).toEqual({ accepted: 2, quarantined: 3 });
    ingestor.ingest([aTick({ exchangeTs: t0 + 2 })]);
    const c = ingestor.counters;
    expect(c.accepted).toBe(3);
    expect(c.quarantined).toBe(3);
    expect(c.quarantinedByReason).toEqual({
      malformed: 0,
      'unknown-token': 2,
      'non-positive-price': 1,
      'off-tick-grid': 0,
      'outside-circuit-band': 0,
      'future-timestamp': 0,
      'volume-decreased': 0,
    });
    expect(sink.offered).toHaveLength(3);
    expect(quarantine.offered.map((q) => q.token)).toEqual([1, 2, reliance.token]);
    // Sinks without stats report nothing written or pending.
    expect([c.written, c.pending]).toEqual([0, 0]);
  });

  it('keeps the enriched last tick per instrument', () => {
    const { ingestor } = setup();
    const level = (p: number, q: number) => ({ pricePaise: paise(p), qty: q, orders: 1 });
    const full = aTick({
      mode: 'full',
      totalBuyQty: 300,
      totalSellQty: 100,
      depth: { bids: [level(157360, 30), level(157350, 10)], asks: [level(157380, 10), level(157390, 30)] },
    });
    ingestor.ingest([full]);
    expect(ingestor.lastTick(reliance.id)).toEqual({
      instrumentId: reliance.id,
      tick: full,
      spreadPaise: 20,
      midPaise: 157370,
      depthImbalance: 0,
      bookImbalance: 0.5,
    });
    expect([...ingestor.lastTicks().keys()]).toEqual([reliance.id]);
  });

  it('reports the sink full until whenWritable resolves', async () => {
    const { ingestor, sink } = setup();
    sink.full = true;
    ingestor.ingest([aTick()]);
    expect(ingestor.writable).toBe(false);
    await ingestor.whenWritable();
    expect(ingestor.writable).toBe(true);
  });
});
