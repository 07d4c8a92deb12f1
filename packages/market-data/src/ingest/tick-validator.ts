import type { Clock, Depth, Instrument, InstrumentId, QuarantineReason, Tick } from '@kitepilot/core';

/** Returns the instrument of a Kite instrument token, or undefined when the token is not in the master. */
export interface InstrumentLookup {
  byToken(token: number): Instrument | undefined;
}

/** The day's price band of an instrument (circuit limits), inclusive, in paise. */
export interface CircuitBand {
  readonly lowerPaise: number;
  readonly upperPaise: number;
}

/** Options of `TickValidator`. */
export interface TickValidatorOptions {
  readonly instruments: InstrumentLookup;
  readonly clock: Clock;
  /** How far an exchange timestamp may be ahead of the clock (default 2000 ms). */
  readonly futureToleranceMs?: number;
  /** Returns the day's circuit band of an instrument when known. */
  readonly circuitBands?: (id: InstrumentId) => CircuitBand | undefined;
}

/** A tick that passed validation, with its instrument. */
export interface ValidTick {
  readonly ok: true;
  readonly instrument: Instrument;
}

/** A tick that failed validation: the reason code and a message with the values. */
export interface InvalidTick {
  readonly ok: false;
  readonly instrument: Instrument | undefined;
  readonly code: QuarantineReason;
  readonly message: string;
}

const IST_OFFSET_MS = 19_800_000;
const DAY_MS = 86_400_000;

/** Returns the IST calendar day number (days since 1970-01-01 IST) of an epoch-ms time. */
function istDayNumber(epochMs: number): number {
  return Math.floor((epochMs + IST_OFFSET_MS) / DAY_MS);
}

/** The latest time the store can hold exactly (microseconds since 2000 stay safe integers): 2255-03-14 UTC. */
const MAX_TIME_MS = 9_000_000_000_000;

function isTime(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0 && value <= MAX_TIME_MS;
}

function isSafeIntOrNull(value: number | null): boolean {
  return value === null || Number.isSafeInteger(value);
}

/** Returns the first non-integer field of the depth levels as [name, value], or null. */
function badLevel(levels: Depth['bids']): [string, number] | null {
  for (const l of levels) {
    if (!Number.isSafeInteger(l.pricePaise)) return ['depth price', l.pricePaise];
    if (!Number.isSafeInteger(l.qty)) return ['depth qty', l.qty];
    if (!Number.isSafeInteger(l.orders)) return ['depth orders', l.orders];
  }
  return null;
}

interface VolumeState {
  day: number;
  volume: number;
}

/**
 * Checks ticks in the order: malformed, unknown token, price > 0, on the tick grid (indices have none), inside
 * the day's circuit band when known, exchange time not ahead of the clock beyond the tolerance, cumulative volume
 * not below the last accepted volume of the same IST day. Only accepted ticks update the volume state, so one bad
 * tick cannot poison the ones after it.
 */
export class TickValidator {
  readonly #o: TickValidatorOptions;
  readonly #toleranceMs: number;
  readonly #volumes = new Map<number, VolumeState>();

  constructor(options: TickValidatorOptions) {
    this.#o = options;
    this.#toleranceMs = options.futureToleranceMs ?? 2000;
    if (!Number.isSafeInteger(this.#toleranceMs) || this.#toleranceMs < 0) {
      throw new RangeError(`future tolerance ${this.#toleranceMs} ms must be a non-negative integer`);
    }
  }

  /** Returns whether `tick` is valid; a valid tick's volume becomes the instrument's baseline for its IST day. */
  check(tick: Tick): ValidTick | InvalidTick {
    const malformed = this.#malformed(tick);
    if (malformed !== null)
      return { ok: false, instrument: undefined, code: 'malformed', message: malformed };
    const instrument = this.#o.instruments.byToken(tick.token);
    if (instrument === undefined) {
      return {
        ok: false,
        instrument,
        code: 'unknown-token',
        message: `token ${tick.token} is not in the instruments master`,
      };
    }
    const id = instrument.id;
    const price = tick.lastPricePaise;
    if (price <= 0) {
      return {
        ok: false,
        instrument,
        code: 'non-positive-price',
        message: `last price ${price} paise of ${id} is not > 0`,
      };
    }
    // Index values are computed, not traded, and move in 0.01 steps whatever the contract file says.
    if (instrument.type !== 'INDEX' && price % instrument.tickSizePaise !== 0) {
      return {
        ok: false,
        instrument,
        code: 'off-tick-grid',
        message: `last price ${price} paise of ${id} is not a multiple of the tick size ${instrument.tickSizePaise} paise`,
      };
    }
    const band = this.#o.circuitBands?.(id);
    if (band !== undefined && (price < band.lowerPaise || price > band.upperPaise)) {
      return {
        ok: false,
        instrument,
        code: 'outside-circuit-band',
        message: `last price ${price} paise of ${id} is outside the circuit band [${band.lowerPaise}, ${band.upperPaise}] paise`,
      };
    }
    if (tick.exchangeTs !== null) {
      const now = this.#o.clock.now();
      const aheadMs = tick.exchangeTs - now;
      if (aheadMs > this.#toleranceMs) {
        return {
          ok: false,
          instrument,
          code: 'future-timestamp',
          message:
            `exchange time ${new Date(tick.exchangeTs).toISOString()} of ${id} is ${aheadMs} ms ahead of the clock ` +
            `${new Date(now).toISOString()} (tolerance ${this.#toleranceMs} ms)`,
        };
      }
    }
    if (tick.volume !== null) {
      const day = istDayNumber(tick.exchangeTs ?? tick.tsInit);
      const last = this.#volumes.get(tick.token);
      if (last !== undefined && last.day === day && tick.volume < last.volume) {
        return {
          ok: false,
          instrument,
          code: 'volume-decreased',
          message:
            `cumulative volume ${tick.volume} of ${id} is below ${last.volume} accepted earlier on IST day ` +
            `${new Date(day * DAY_MS).toISOString().slice(0, 10)}`,
        };
      }
      if (last === undefined) this.#volumes.set(tick.token, { day, volume: tick.volume });
      else if (last.day <= day) {
        // A tick of an earlier IST day (late across midnight) neither checks against nor replaces today's state.
        last.day = day;
        last.volume = tick.volume;
      }
    }
    return { ok: true, instrument };
  }

  // Every number the tick store writes must be a safe integer: one bad value would otherwise fail its whole batch
  // in the store again and again, and stop the writer.
  #malformed(tick: Tick): string | null {
    const bad = (field: string, value: unknown): string =>
      `tick of token ${String(tick.token)} is malformed: ${field} ${String(value)} is not a safe integer`;
    if (!Number.isSafeInteger(tick.token) || tick.token <= 0) return bad('token', tick.token);
    if (!Number.isSafeInteger(tick.lastPricePaise)) return bad('last price', tick.lastPricePaise);
    const badTime = (field: string, value: unknown): string =>
      `tick of token ${String(tick.token)} is malformed: ${field} ${String(value)} is not an epoch-ms time in [0, ${MAX_TIME_MS}]`;
    if (!isTime(tick.tsInit)) return badTime('receive time', tick.tsInit);
    if (tick.exchangeTs !== null && !isTime(tick.exchangeTs))
      return badTime('exchange time', tick.exchangeTs);
    if (tick.lastTradeTime !== null && !isTime(tick.lastTradeTime)) {
      return badTime('last trade time', tick.lastTradeTime);
    }
    if (!isSafeIntOrNull(tick.volume) || (tick.volume !== null && tick.volume < 0)) {
      return `tick of token ${String(tick.token)} is malformed: volume ${String(tick.volume)} is not a non-negative safe integer`;
    }
    if (!isSafeIntOrNull(tick.lastTradedQty)) return bad('last traded qty', tick.lastTradedQty);
    if (!isSafeIntOrNull(tick.avgTradedPricePaise)) return bad('average price', tick.avgTradedPricePaise);
    if (!isSafeIntOrNull(tick.totalBuyQty)) return bad('total buy qty', tick.totalBuyQty);
    if (!isSafeIntOrNull(tick.totalSellQty)) return bad('total sell qty', tick.totalSellQty);
    if (!isSafeIntOrNull(tick.openPaise)) return bad('open', tick.openPaise);
    if (!isSafeIntOrNull(tick.highPaise)) return bad('high', tick.highPaise);
    if (!isSafeIntOrNull(tick.lowPaise)) return bad('low', tick.lowPaise);
    if (!isSafeIntOrNull(tick.closePaise)) return bad('close', tick.closePaise);
    if (!isSafeIntOrNull(tick.changePaise)) return bad('change', tick.changePaise);
    if (!isSafeIntOrNull(tick.oi)) return bad('oi', tick.oi);
    if (!isSafeIntOrNull(tick.oiDayHigh)) return bad('oi day high', tick.oiDayHigh);
    if (!isSafeIntOrNull(tick.oiDayLow)) return bad('oi day low', tick.oiDayLow);
    if (tick.depth !== null) {
      const level = badLevel(tick.depth.bids) ?? badLevel(tick.depth.asks);
      if (level !== null) return bad(level[0], level[1]);
    }
    return null;
  }
}
