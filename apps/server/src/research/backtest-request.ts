// Checks of a backtest request (the API's POST body): the body → a BacktestSpec, every refusal naming its field.
import { access, constants } from 'node:fs/promises';
import { basename, extname, isAbsolute } from 'node:path';
import {
  BACKTEST_DATA_FIELDS,
  BACKTEST_REQUEST_FIELDS,
  type BacktestRequestBody,
} from '@kitepilot/api-contract';
import { parseStrategyId } from '@kitepilot/core';
import { StrategyConfigError, type StrategyRegistry } from '@kitepilot/engine';
import { symbolOf } from './backtest-service.ts';
import {
  BacktestSpecError,
  feeModelOf,
  fillOptionsOf,
  intervalOf,
  latencyOf,
  type BacktestData,
  type BacktestSpec,
} from './backtest-spec.ts';

/** How many posted runs may wait behind the running one; one more POST answers 503. */
export const MAX_QUEUED = 20;
/** How many of the account's most recent runs the list looks through for runs without a result. */
export const RUN_SCAN = 1000;
export const DEFAULT_LIMIT = 50;
export const MAX_COMPARED = 20;
export const DEFAULT_CASH_RUPEES = 10_00_000;
export const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const BACKTEST_STRATEGY_ID = parseStrategyId('str_backtest');

/** A request the client can fix: `field` names the body or query field at fault and starts the message. */
export class BacktestRequestError extends Error {
  override readonly name = 'BacktestRequestError';
  readonly field: string;

  /** Creates the error; the message reads `${field} ${detail}`. */
  constructor(field: string, detail: string, options?: ErrorOptions) {
    super(`${field} ${detail}`, options);
    this.field = field;
  }
}

// The backtest service names CLI flags in its messages; over the API they name the body fields.
export const FIELD_OF_FLAG: Readonly<Record<string, string>> = {
  '--data': 'data.path',
  '--symbol': 'symbol',
  '--interval': 'interval',
  '--from': 'data.from',
  '--to': 'data.to',
  '--charges': 'charges',
  '--fill': 'fill',
  '--slippage': 'slippage',
  '--latency-ms': 'latencyMs',
  '--tick-size': 'tickSizeRupees',
  '--lot-size': 'lotSize',
  '--cash': 'cashRupees',
  '--daily-loss-cap': 'dailyLossCapRupees',
  '--qty': 'qty',
  '--product': 'product',
};

/** Returns a backtest service message with its `--flag` names replaced by the body fields they stand for. */
export function apiMessage(message: string): string {
  return message.replace(/--[a-z]+(-[a-z]+)*/g, (flag) => FIELD_OF_FLAG[flag] ?? flag);
}

/** Returns the names of the body's fields (and of its `data` object's) the contract does not know. */
export function unknownRequestFields(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  const known = new Set<string>(BACKTEST_REQUEST_FIELDS);
  const unknown = Object.keys(body).filter((k) => !known.has(k));
  const data = (body as { data?: unknown }).data;
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const dataKnown = new Set<string>(BACKTEST_DATA_FIELDS);
    unknown.push(
      ...Object.keys(data)
        .filter((k) => !dataKnown.has(k))
        .map((k) => `data.${k}`),
    );
  }
  return unknown;
}

export function fileKind(path: string): 'csv' | 'parquet' {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.parquet') return 'parquet';
  throw new BacktestRequestError('data.path', `${JSON.stringify(path)} must end in .csv or .parquet`);
}

export function checkedInterval(field: string, text: string) {
  try {
    return intervalOf(text);
  } catch (error) {
    throw new BacktestRequestError(field, apiMessage((error as Error).message).replace(/^interval /, ''), {
      cause: error,
    });
  }
}

export function checkedSymbol(field: string, text: string): string {
  try {
    return symbolOf(text);
  } catch (error) {
    throw new BacktestRequestError(field, apiMessage((error as Error).message).replace(/^symbol /, ''), {
      cause: error,
    });
  }
}

/** Returns the symbol a bar file stands for when the body gives none: `NSE:` and the file name in capitals. */
export function symbolOfFile(path: string): string {
  const stem = basename(path, extname(path))
    .toUpperCase()
    .replace(/[^A-Z0-9&-]/g, '');
  if (stem === '') throw new BacktestRequestError('symbol', `is required: cannot tell it from ${path}`);
  return `NSE:${stem}`;
}

/** Returns the BacktestSpec of a POST body (defaults as `kitepilot backtest`); throws BacktestRequestError. */
export function backtestSpecOf(body: BacktestRequestBody): BacktestSpec {
  const interval = body.interval === undefined ? undefined : checkedInterval('interval', body.interval);
  const raw = typeof body.data === 'string' ? { kind: fileKind(body.data), path: body.data } : body.data;
  let data: BacktestData;
  let symbol: string;
  if (raw.kind === 'store') {
    if (raw.path !== undefined)
      throw new BacktestRequestError('data.path', 'is only for csv or parquet data');
    const given = raw.symbol ?? body.symbol;
    if (given === undefined) throw new BacktestRequestError('data.symbol', 'is required for stored bars');
    symbol = checkedSymbol(raw.symbol === undefined ? 'symbol' : 'data.symbol', given);
    if (
      raw.symbol !== undefined &&
      body.symbol !== undefined &&
      checkedSymbol('symbol', body.symbol) !== symbol
    ) {
      throw new BacktestRequestError('symbol', `${body.symbol} differs from data.symbol ${raw.symbol}`);
    }
    const dataInterval =
      raw.interval === undefined ? undefined : checkedInterval('data.interval', raw.interval);
    if (dataInterval !== undefined && interval !== undefined && dataInterval !== interval) {
      throw new BacktestRequestError('interval', `${interval} differs from data.interval ${dataInterval}`);
    }
    const range: Record<'from' | 'to', string> = { from: '', to: '' };
    for (const field of ['from', 'to'] as const) {
      const value = raw[field];
      if (value === undefined) throw new BacktestRequestError(`data.${field}`, 'is required for stored bars');
      if (!DATE.test(value)) {
        throw new BacktestRequestError(
          `data.${field}`,
          `${JSON.stringify(value)} must be an IST date YYYY-MM-DD`,
        );
      }
      range[field] = value;
    }
    if (range.from > range.to) {
      throw new BacktestRequestError('data.from', `${range.from} must not be after data.to ${range.to}`);
    }
    data = {
      kind: 'store',
      symbol,
      interval: dataInterval ?? interval ?? '1m',
      from: range.from,
      to: range.to,
    };
  } else {
    for (const field of ['symbol', 'interval', 'from', 'to'] as const) {
      if (raw[field] !== undefined) {
        throw new BacktestRequestError(
          `data.${field}`,
          field === 'symbol' || field === 'interval'
            ? `is only for stored bars; give ${field} beside data for a file`
            : 'is only for stored bars; a file is its whole range',
        );
      }
    }
    const path = raw.path;
    if (path === undefined) throw new BacktestRequestError('data.path', `is required for ${raw.kind} data`);
    if (!isAbsolute(path)) {
      throw new BacktestRequestError(
        'data.path',
        `${JSON.stringify(path)} must be an absolute path on the server`,
      );
    }
    if (fileKind(path) !== raw.kind) {
      throw new BacktestRequestError('data.path', `${JSON.stringify(path)} is not a ${raw.kind} file`);
    }
    symbol = checkedSymbol('symbol', body.symbol ?? symbolOfFile(path));
    data = { kind: raw.kind, path };
  }
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(body.params ?? {})) params[k] = String(v);
  return {
    data,
    symbol,
    ...(interval === undefined ? {} : { interval }),
    strategy: body.strategy,
    params,
    ...(body.qty === undefined ? {} : { qty: body.qty }),
    product: body.product ?? 'MIS',
    cashRupees: body.cashRupees ?? DEFAULT_CASH_RUPEES,
    charges: body.charges ?? 'zerodha',
    fill: body.fill ?? 'next-open',
    slippage: body.slippage ?? 'none',
    latencyMs: body.latencyMs ?? 0,
    ...(body.tickSizeRupees === undefined ? {} : { tickSizeRupees: body.tickSizeRupees }),
    ...(body.lotSize === undefined ? {} : { lotSize: body.lotSize }),
    ...(body.dailyLossCapRupees === undefined ? {} : { dailyLossCapRupees: body.dailyLossCapRupees }),
  };
}

export function fieldOfMessage(message: string): string {
  const first = message.split(' ', 1)[0] ?? '';
  return /^[a-zA-Z.]+$/.test(first) ? first : 'body';
}

/**
 * Checks what can be checked before a run starts: charges, fill, slippage, latency, the strategy and its parameters
 * (as the run will see them), and that a bar file is readable. Throws BacktestRequestError naming the field.
 */
export async function checkBacktestSpec(spec: BacktestSpec, registry: StrategyRegistry): Promise<void> {
  try {
    feeModelOf(spec.charges);
    fillOptionsOf(spec);
    latencyOf(spec.latencyMs);
  } catch (error) {
    if (!(error instanceof BacktestSpecError)) throw error;
    const message = apiMessage(error.message);
    const field = fieldOfMessage(message);
    throw new BacktestRequestError(field, message.slice(field.length + 1), { cause: error });
  }
  if (!registry.has(spec.strategy)) {
    const known = registry.list().map((d) => d.name);
    throw new BacktestRequestError(
      'strategy',
      `${JSON.stringify(spec.strategy)} is not a known strategy (known: ${known.join(', ')})`,
    );
  }
  // The parameters the run will parse: symbol, qty and product filled in as the backtester does.
  const definition = registry.get(spec.strategy);
  const raw: Record<string, string | number> = { ...spec.params };
  if ('symbol' in definition.params && raw['symbol'] === undefined) raw['symbol'] = spec.symbol;
  if ('qty' in definition.params && spec.qty !== undefined) raw['qty'] = spec.qty;
  if ('product' in definition.params) raw['product'] = spec.product;
  try {
    registry.create(spec.strategy, raw);
  } catch (error) {
    if (!(error instanceof StrategyConfigError)) throw error;
    throw new BacktestRequestError('params', `of ${spec.strategy}: ${error.message}`, { cause: error });
  }
  if (spec.data.kind === 'csv' || spec.data.kind === 'parquet') {
    try {
      await access(spec.data.path, constants.R_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new BacktestRequestError(
        'data.path',
        `${spec.data.path} cannot be read on the server (${code})`,
        {
          cause: error,
        },
      );
    }
  }
}
