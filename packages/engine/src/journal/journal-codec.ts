// The journal's line format: one kernel input per line as JSON (`v` = format version). Decoding is strict — every
// field is checked, unknown fields are refused, ids and prices go back through core's parsers — so a decoded day
// is exactly the day that was recorded (ticks with their nulls and depth, reports with their order events). JSON has
// no −0: a −0 inside a raw broker message comes back as 0 (domain numbers are integers and paise() normalises −0).
import {
  asInstrumentId,
  BAR_INTERVALS,
  InvariantError,
  makeBar,
  makeTick,
  parseAccountId,
  parseStrategyId,
  PRODUCTS,
  type Bar,
  type Depth,
  type DepthLevel,
  type InstrumentTick,
  type Tick,
} from '@kitepilot/core';
import type { KernelInput, OperatorCommand } from '../kernel/kernel-input.ts';
import {
  decodeExecutionReport,
  paiseAt,
  paiseOrNull,
  parsed,
  parsedOrNull,
} from './decode-execution-report.ts';
import { JournalFormatError } from './journal-format-error.ts';
import { JsonReader } from './json-reader.ts';

/** The journal line format version written by encodeKernelInput. */
export const JOURNAL_FORMAT_VERSION = 1;

const KINDS = ['tick', 'bar', 'execution', 'timer', 'command'] as const;
const TICK_FIELDS = [
  'token',
  'tradable',
  'mode',
  'lastPricePaise',
  'lastTradedQty',
  'avgTradedPricePaise',
  'volume',
  'totalBuyQty',
  'totalSellQty',
  'openPaise',
  'highPaise',
  'lowPaise',
  'closePaise',
  'changePaise',
  'lastTradeTime',
  'oi',
  'oiDayHigh',
  'oiDayLow',
  'exchangeTs',
  'depth',
  'tsInit',
];
const BAR_FIELDS = [
  'instrumentId',
  'interval',
  'start',
  'openPaise',
  'highPaise',
  'lowPaise',
  'closePaise',
  'volume',
  'oi',
  'origin',
];
const COMMAND_TYPES = ['KillSwitch', 'Flatten', 'CancelAll', 'Halt', 'Resume', 'AcknowledgeLive'] as const;

function finiteOnly(key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new InvariantError(`journal: field ${key} is ${value}, which JSON cannot carry`);
  }
  return value;
}

/** Returns one JSON line (no newline) for a handled input; throws InvariantError on a non-finite number. */
export function encodeKernelInput(input: KernelInput): string {
  return JSON.stringify({ v: JOURNAL_FORMAT_VERSION, ...input }, finiteOnly);
}

/** Decodes one journal line; throws JournalFormatError naming the line (when given) and the field. */
export function decodeKernelInput(line: string, lineNumber: number | null = null): KernelInput {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    throw new JournalFormatError(lineNumber, '', `is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const head = new JsonReader(json, '', lineNumber, [
    'v',
    'kind',
    'at',
    'tick',
    'bar',
    'report',
    'owner',
    'name',
    'command',
  ]);
  if (head.int('v') !== JOURNAL_FORMAT_VERSION) {
    head.fail('v', `is ${String(head.raw('v'))}; this reader knows version ${JOURNAL_FORMAT_VERSION}`);
  }
  const kind = head.oneOf('kind', KINDS);
  const envelope = ['v', 'kind', 'at'];
  switch (kind) {
    case 'tick': {
      const r = new JsonReader(json, '', lineNumber, [...envelope, 'tick']);
      return {
        kind,
        at: r.int('at'),
        tick: decodeInstrumentTick(r.object('tick', ['instrumentId', 'tick'])),
      };
    }
    case 'bar': {
      const r = new JsonReader(json, '', lineNumber, [...envelope, 'bar']);
      return { kind, at: r.int('at'), bar: decodeBar(r.object('bar', BAR_FIELDS)) };
    }
    case 'execution': {
      const r = new JsonReader(json, '', lineNumber, [...envelope, 'report']);
      return { kind, at: r.int('at'), report: decodeExecutionReport(r, 'report') };
    }
    case 'timer': {
      const r = new JsonReader(json, '', lineNumber, [...envelope, 'owner', 'name']);
      return { kind, at: r.int('at'), owner: r.string('owner'), name: r.string('name') };
    }
    case 'command': {
      const r = new JsonReader(json, '', lineNumber, [...envelope, 'command']);
      return { kind, at: r.int('at'), command: decodeCommand(r, 'command') };
    }
  }
}

function decodeInstrumentTick(r: JsonReader): InstrumentTick {
  return {
    instrumentId: parsed(r, 'instrumentId', asInstrumentId),
    tick: decodeTick(r.object('tick', TICK_FIELDS)),
  };
}

function decodeTick(r: JsonReader): Tick {
  return makeTick({
    token: r.int('token'),
    tradable: r.boolean('tradable'),
    mode: r.oneOf('mode', ['ltp', 'quote', 'full']),
    lastPricePaise: paiseAt(r, 'lastPricePaise'),
    lastTradedQty: r.intOrNull('lastTradedQty'),
    avgTradedPricePaise: paiseOrNull(r, 'avgTradedPricePaise'),
    volume: r.intOrNull('volume'),
    totalBuyQty: r.intOrNull('totalBuyQty'),
    totalSellQty: r.intOrNull('totalSellQty'),
    openPaise: paiseOrNull(r, 'openPaise'),
    highPaise: paiseOrNull(r, 'highPaise'),
    lowPaise: paiseOrNull(r, 'lowPaise'),
    closePaise: paiseOrNull(r, 'closePaise'),
    changePaise: paiseOrNull(r, 'changePaise'),
    lastTradeTime: r.intOrNull('lastTradeTime'),
    oi: r.intOrNull('oi'),
    oiDayHigh: r.intOrNull('oiDayHigh'),
    oiDayLow: r.intOrNull('oiDayLow'),
    exchangeTs: r.intOrNull('exchangeTs'),
    depth: decodeDepth(r),
    tsInit: r.int('tsInit'),
  });
}

function decodeDepth(r: JsonReader): Depth | null {
  if (r.raw('depth') === null) return null;
  const d = r.object('depth', ['bids', 'asks']);
  const levels = (side: 'bids' | 'asks'): DepthLevel[] =>
    d.array(side).map((level, i) => {
      const l = new JsonReader(level, `${d.path(side)}[${i}]`, r.line, ['pricePaise', 'qty', 'orders']);
      return { pricePaise: paiseAt(l, 'pricePaise'), qty: l.int('qty'), orders: l.int('orders') };
    });
  return { bids: levels('bids'), asks: levels('asks') };
}

function decodeBar(r: JsonReader): Bar {
  const fields: Bar = {
    instrumentId: parsed(r, 'instrumentId', asInstrumentId),
    interval: r.oneOf('interval', BAR_INTERVALS),
    start: r.int('start'),
    openPaise: paiseAt(r, 'openPaise'),
    highPaise: paiseAt(r, 'highPaise'),
    lowPaise: paiseAt(r, 'lowPaise'),
    closePaise: paiseAt(r, 'closePaise'),
    volume: r.int('volume'),
    oi: r.intOrNull('oi'),
    origin: r.oneOf('origin', ['live', 'historical', 'repaired']),
  };
  try {
    return makeBar(fields);
  } catch (error) {
    return r.fail('', `is not a valid bar: ${(error as Error).message}`, error);
  }
}

function decodeCommand(parent: JsonReader, key: string): OperatorCommand {
  const type = parent
    .object(key, ['type', 'on', 'accountId', 'instrumentId', 'product', 'strategyId', 'actor', 'reason'])
    .oneOf('type', COMMAND_TYPES);
  switch (type) {
    case 'KillSwitch': {
      const r = parent.object(key, ['type', 'on', 'actor', 'reason']);
      return { type, on: r.boolean('on'), actor: r.string('actor'), reason: r.string('reason') };
    }
    case 'Flatten': {
      const r = parent.object(key, ['type', 'accountId', 'instrumentId', 'product', 'actor', 'reason']);
      return {
        type,
        accountId: parsed(r, 'accountId', parseAccountId),
        instrumentId: parsedOrNull(r, 'instrumentId', asInstrumentId),
        product: r.raw('product') === null ? null : r.oneOf('product', PRODUCTS),
        actor: r.string('actor'),
        reason: r.string('reason'),
      };
    }
    case 'CancelAll': {
      const r = parent.object(key, ['type', 'accountId', 'strategyId', 'actor', 'reason']);
      return {
        type,
        accountId: parsed(r, 'accountId', parseAccountId),
        strategyId: parsedOrNull(r, 'strategyId', parseStrategyId),
        actor: r.string('actor'),
        reason: r.string('reason'),
      };
    }
    case 'Halt':
    case 'Resume': {
      const r = parent.object(key, ['type', 'accountId', 'actor', 'reason']);
      return {
        type,
        accountId: parsed(r, 'accountId', parseAccountId),
        actor: r.string('actor'),
        reason: r.string('reason'),
      };
    }
    case 'AcknowledgeLive': {
      const r = parent.object(key, ['type', 'accountId', 'actor']);
      return { type, accountId: parsed(r, 'accountId', parseAccountId), actor: r.string('actor') };
    }
  }
}
