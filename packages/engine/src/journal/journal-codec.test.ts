// Invariants: decode(encode(x)) equals x for every tick (every field, nulls and depth included), bar, execution
// report (with its order event, optional source and raw message), timer and operator command; a malformed line
// throws a JournalFormatError naming the line and the field.
import {
  instrumentId,
  makeBar,
  makeTick,
  paise,
  parseAccountId,
  parseClientOrderId,
  parseIntentId,
  parseStrategyId,
  parseVenueOrderId,
  parseVenueTradeId,
  type ExecutionReport,
  type InstrumentTick,
  type JsonValue,
  type OrderEvent,
} from '@kitepilot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KernelInput } from '../kernel/kernel-input.ts';
import { decodeKernelInput, encodeKernelInput } from './journal-codec.ts';
import { JournalFormatError } from './journal-format-error.ts';

const AT = Date.UTC(2026, 10, 20, 4, 0);
const ACCOUNT = parseAccountId('acc_test');
const int = fc.integer({ min: -1_000_000_000, max: 1_000_000_000 });
const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const level = fc.record({ pricePaise: int.map(paise), qty: fc.nat(), orders: fc.nat() });

const instrumentTick: fc.Arbitrary<InstrumentTick> = fc
  .record({
    symbol: fc.constantFrom('RELIANCE', 'NIFTY 50', 'M&M', 'BAJAJ-AUTO'),
    token: fc.integer({ min: 1, max: 2 ** 32 }),
    tradable: fc.boolean(),
    mode: fc.constantFrom('ltp' as const, 'quote' as const, 'full' as const),
    lastPricePaise: int.map(paise),
    lastTradedQty: nullable(fc.nat()),
    avgTradedPricePaise: nullable(int.map(paise)),
    volume: nullable(fc.nat()),
    totalBuyQty: nullable(fc.nat()),
    totalSellQty: nullable(fc.nat()),
    openPaise: nullable(int.map(paise)),
    highPaise: nullable(int.map(paise)),
    lowPaise: nullable(int.map(paise)),
    closePaise: nullable(int.map(paise)),
    changePaise: nullable(int.map(paise)),
    lastTradeTime: nullable(fc.nat()),
    oi: nullable(fc.nat()),
    oiDayHigh: nullable(fc.nat()),
    oiDayLow: nullable(fc.nat()),
    exchangeTs: nullable(fc.nat()),
    depth: nullable(
      fc.record({
        bids: fc.array(level, { maxLength: 5 }),
        asks: fc.array(level, { maxLength: 5 }),
      }),
    ),
    tsInit: fc.nat(),
  })
  .map(({ symbol, ...fields }) => ({ instrumentId: instrumentId(symbol, 'NSE'), tick: makeTick(fields) }));

const orderEvent: fc.Arbitrary<OrderEvent> = fc.oneof(
  fc.record({
    type: fc.constant('submit' as const),
    id: fc.string(),
    ts: fc.nat(),
    venueOrderId: nullable(fc.constant(parseVenueOrderId('250101000000123'))),
  }),
  fc.record({
    type: fc.constant('submit-failed' as const),
    id: fc.string(),
    ts: fc.nat(),
    reason: fc.string(),
  }),
  fc.record({ type: fc.constant('cancel-request' as const), id: fc.string(), ts: fc.nat() }),
  fc.record({
    type: fc.constant('venue-status' as const),
    id: fc.string(),
    ts: fc.nat(),
    status: fc.constantFrom('OPEN', 'TRIGGER PENDING', 'COMPLETE', 'CANCELLED'),
    venueOrderId: nullable(fc.constant(parseVenueOrderId('250101000000123'))),
    filledQty: nullable(fc.nat()),
    cancelledQty: nullable(fc.nat()),
    message: nullable(fc.string()),
    amendment: nullable(
      fc.record({
        qty: fc.nat(),
        limitPricePaise: nullable(int.map(paise)),
        triggerPricePaise: nullable(int.map(paise)),
      }),
    ),
  }),
  fc.record({
    type: fc.constant('fill' as const),
    id: fc.string(),
    ts: fc.nat(),
    venueTradeId: fc.constant(parseVenueTradeId('T-1')),
    qty: fc.integer({ min: 1, max: 10_000 }),
    pricePaise: int.map(paise),
  }),
);

const report: fc.Arbitrary<ExecutionReport> = fc.oneof(
  fc
    .record(
      {
        update: orderEvent,
        clientOrderId: nullable(fc.constant(parseClientOrderId('ord_0000000001'))),
        intentId: nullable(fc.constant(parseIntentId('int_0000000001'))),
        source: fc.constantFrom(
          'postback' as const,
          'websocket' as const,
          'orderbook' as const,
          'rest' as const,
        ),
        // JSON has no -0: a raw message is compared as JSON would carry it.
        raw: fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as JsonValue),
        tsEvent: fc.nat(),
      },
      { requiredKeys: ['update', 'clientOrderId', 'intentId', 'tsEvent'] },
    )
    .map((r) => ({
      type: 'OrderUpdateReceived' as const,
      accountId: ACCOUNT,
      venueOrderId: null,
      tsInit: r.tsEvent,
      ...r,
    })),
  fc.record({
    type: fc.constant('BrokerDisconnected' as const),
    accountId: nullable(fc.constant(ACCOUNT)),
    link: fc.constantFrom('market-data' as const, 'execution' as const, 'order-updates' as const),
    gapStartMs: fc.nat(),
    gapEndMs: nullable(fc.nat()),
    reason: fc.string(),
    tsEvent: fc.nat(),
    tsInit: fc.nat(),
  }),
  fc.constant({ type: 'SessionExpired' as const, accountId: ACCOUNT, tsEvent: AT, tsInit: AT }),
);

function roundTrip(input: KernelInput): KernelInput {
  const line = encodeKernelInput(input);
  expect(line).not.toContain('\n');
  return decodeKernelInput(line, 1);
}

describe('journal codec', () => {
  it('round-trips every tick exactly, nulls and depth included', () => {
    fc.assert(
      fc.property(instrumentTick, fc.nat(), (tick, at) => {
        const input: KernelInput = { kind: 'tick', at, tick };
        const decoded = roundTrip(input);
        expect(decoded).toEqual(input);
        // Every Tick key is present in the decoded object (one hidden class), as makeTick guarantees.
        if (decoded.kind === 'tick') expect(Object.keys(decoded.tick.tick)).toEqual(Object.keys(tick.tick));
      }),
    );
  });

  it('round-trips execution reports with their order event, source and raw message', () => {
    fc.assert(
      fc.property(report, (r) => {
        const input: KernelInput = { kind: 'execution', at: AT, report: r };
        const decoded = roundTrip(input);
        expect(decoded).toStrictEqual(JSON.parse(JSON.stringify(input)));
        expect(decoded).toEqual(input);
      }),
    );
  });

  it('round-trips bars, timers and every operator command', () => {
    const inputs: KernelInput[] = [
      {
        kind: 'bar',
        at: AT,
        bar: makeBar({
          instrumentId: instrumentId('RELIANCE', 'NSE'),
          interval: '5m',
          start: Date.UTC(2026, 10, 20, 3, 45),
          openPaise: paise(100),
          highPaise: paise(120),
          lowPaise: paise(90),
          closePaise: paise(110),
          volume: 5,
          oi: null,
          origin: 'repaired',
        }),
      },
      { kind: 'timer', at: AT, owner: 'strategy:str_a', name: 'exit' },
      { kind: 'command', at: AT, command: { type: 'KillSwitch', on: true, actor: 'owner', reason: 'r' } },
      {
        kind: 'command',
        at: AT,
        command: {
          type: 'Flatten',
          accountId: ACCOUNT,
          instrumentId: null,
          product: 'MIS',
          actor: 'scheduler',
          reason: 'cutoff',
        },
      },
      {
        kind: 'command',
        at: AT,
        command: {
          type: 'CancelAll',
          accountId: ACCOUNT,
          strategyId: parseStrategyId('str_a'),
          actor: 'a',
          reason: 'r',
        },
      },
      { kind: 'command', at: AT, command: { type: 'Halt', accountId: ACCOUNT, actor: 'a', reason: 'r' } },
      { kind: 'command', at: AT, command: { type: 'Resume', accountId: ACCOUNT, actor: 'a', reason: 'r' } },
      { kind: 'command', at: AT, command: { type: 'AcknowledgeLive', accountId: ACCOUNT, actor: 'a' } },
    ];
    for (const input of inputs) expect(roundTrip(input)).toEqual(input);
  });

  it('refuses to encode a number JSON cannot carry', () => {
    const tick = makeTick({ token: 1, tradable: true, mode: 'ltp', lastPricePaise: paise(1), tsInit: 0 });
    const bad = { ...tick, volume: Number.NaN };
    expect(() =>
      encodeKernelInput({
        kind: 'tick',
        at: AT,
        tick: { instrumentId: instrumentId('INFY', 'NSE'), tick: bad },
      }),
    ).toThrow(/volume is NaN/);
  });

  const good = encodeKernelInput({ kind: 'timer', at: AT, owner: 'trading', name: 'x' });
  const goodTick = encodeKernelInput({
    kind: 'tick',
    at: AT,
    tick: {
      instrumentId: instrumentId('INFY', 'NSE'),
      tick: makeTick({ token: 1, tradable: true, mode: 'ltp', lastPricePaise: paise(1), tsInit: 0 }),
    },
  });
  const malformed: [string, string, RegExp][] = [
    ['not JSON', '{"v":1,', /line 7: the line is not JSON/],
    ['an unknown version', good.replace('"v":1', '"v":2'), /field v is 2; this reader knows version 1/],
    [
      'an unknown kind',
      good.replace('"timer"', '"tock"'),
      /field kind is the string "tock"; expected one of/,
    ],
    ['a missing field', good.replace(',"name":"x"', ''), /field name is missing/],
    [
      'an unknown field',
      good.replace('"name":"x"', '"name":"x","extra":1'),
      /field extra is not a known field/,
    ],
    [
      'a fractional time',
      good.replace(`"at":${AT}`, `"at":${AT}.5`),
      /field at is number .*expected an integer/,
    ],
    [
      'a string price',
      goodTick.replace('"lastPricePaise":1', '"lastPricePaise":"1"'),
      /field tick\.tick\.lastPricePaise/,
    ],
    [
      'a bad instrument id',
      goodTick.replace('INFY.NSE', 'INFY.XYZ'),
      /field tick\.instrumentId is malformed/,
    ],
    ['a missing tick field', goodTick.replace('"oi":null,', ''), /field tick\.tick\.oi is missing/],
    [
      'a bad depth level',
      goodTick.replace('"depth":null', '"depth":{"bids":[{"pricePaise":1,"qty":-0.5,"orders":1}],"asks":[]}'),
      /field tick\.tick\.depth\.bids\[0\]\.qty/,
    ],
  ];
  it.each(malformed)('refuses a line with %s, naming the line and field', (_what, line, message) => {
    let error: unknown;
    try {
      decodeKernelInput(line, 7);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JournalFormatError);
    expect((error as JournalFormatError).line).toBe(7);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses an execution report with a bad id or an unknown order event type', () => {
    const line = encodeKernelInput({
      kind: 'execution',
      at: AT,
      report: {
        type: 'OrderUpdateReceived',
        accountId: ACCOUNT,
        clientOrderId: parseClientOrderId('ord_1'),
        intentId: null,
        venueOrderId: null,
        update: { type: 'cancel-request', id: 'e1', ts: AT },
        tsEvent: AT,
        tsInit: AT,
      },
    });
    expect(() => decodeKernelInput(line.replace('ord_1', 'xyz_1'), 3)).toThrow(
      /report\.clientOrderId is malformed/,
    );
    expect(() => decodeKernelInput(line.replace('cancel-request', 'explode'), 3)).toThrow(
      /report\.update\.type/,
    );
    expect(() => decodeKernelInput(line.replace('"tsInit"', '"source":"fax","tsInit"'), 3)).toThrow(
      /report\.source is the string "fax"/,
    );
  });

  it('refuses a bar that breaks the bar rules', () => {
    const line = encodeKernelInput({
      kind: 'bar',
      at: AT,
      bar: makeBar({
        instrumentId: instrumentId('RELIANCE', 'NSE'),
        interval: '1m',
        start: Date.UTC(2026, 10, 20, 3, 45),
        openPaise: paise(100),
        highPaise: paise(120),
        lowPaise: paise(90),
        closePaise: paise(110),
        volume: 5,
        oi: null,
        origin: 'live',
      }),
    });
    expect(() => decodeKernelInput(line.replace('"highPaise":120', '"highPaise":95'), 2)).toThrow(
      /line 2: field bar is not a valid bar/,
    );
  });
});
