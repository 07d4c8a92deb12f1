// A reference engine for sma-cross (test-only): one plain loop over the bars that applies the strategy's documented
// rules (strategies/sma-cross/src/sma-cross-strategy.ts, file header) and the platform rules that bear on it in a bar
// backtest with `--fill next-open`, product MIS and no charges. It shares no trading code with the kernel, the venue,
// the risk engine or the strategy (only core's IST clock arithmetic): the SMAs are exact integer sums compared by cross-multiplication (no division), the
// stop is exact decimal arithmetic, and the platform is modelled from its documentation:
// - a decision is taken at a bar's close (the strategy sees the bar then); an order sent then fills at the open of
//   the next bar in the data (MARKET at the open; a LIMIT SELL when the open is at or above its limit);
// - entries are allowed only when the deciding bar closes in the entry window [09:15, 15:10) IST; a denied entry is
//   not retried;
// - the square-off cutoff (15:20 IST): after the bar closing at the cutoff, a strategy exit still working is
//   cancelled, and an open position is closed by a LIMIT SELL two ticks below the last close; if that LIMIT is still
//   working 10 s later it is cancelled and a MARKET SELL replaces it;
// - exits: on a bar after the entry decision, a down-cross or a low at or below the stop sends a MARKET SELL; an exit
//   the cutoff cancelled is owed and sent again on the first bar close at least 60 s later if still needed;
// - a position closed by the platform ends the strategy's trade; the strategy then waits for the next up-cross.
// What the reference assumes and the kernel must honour: exactly one closing order per position at a time, so a
// long position only ever returns to flat (never reverses to a short).
import { istMillisOfDay, type Bar } from '@kitepilot/core';

/** The sma-cross parameters and platform settings the reference uses. */
export interface SmaCrossReferenceOptions {
  readonly fast: number;
  readonly slow: number;
  /** The stop distance in percent as the decimal text it is given as (`'1.5'`). */
  readonly stopPct: string;
  readonly qty: number;
  readonly tickPaise: number;
  /** Entry window in IST (default 09:15–15:10) and the square-off cutoff (default 15:20). */
  readonly entryStart?: string;
  readonly entryEnd?: string;
  readonly cutoff?: string;
  /** Ticks through the last price of the square-off LIMIT (default 2) and its timeout (default 10 s). */
  readonly squareOffTicks?: number;
  readonly squareOffTimeoutMs?: number;
}

/** Why a reference trade ended. */
export type ReferenceExit = 'down-cross' | 'stop' | 'square-off-limit' | 'square-off-market';

/** One round trip of the reference engine (long only). */
export interface ReferenceTrade {
  readonly entryAtMs: number;
  readonly entryPricePaise: number;
  readonly exitAtMs: number;
  readonly exitPricePaise: number;
  readonly qty: number;
  readonly stopPaise: number;
  readonly exit: ReferenceExit;
  readonly grossPnlPaise: number;
}

type Pending =
  | { readonly kind: 'entry'; readonly sentAtMs: number; readonly stopPaise: number }
  | { readonly kind: 'exit'; readonly sentAtMs: number; readonly why: ReferenceExit }
  | { readonly kind: 'close-limit'; readonly sentAtMs: number; readonly limitPaise: number }
  | { readonly kind: 'close-market'; readonly sentAtMs: number };

interface Holding {
  readonly entryAtMs: number;
  readonly entryPricePaise: number;
  readonly stopPaise: number;
}

interface LoopState {
  holding: Holding | null;
  /** The one order working for the position: the strategy's entry or exit, or the square-off's. */
  pending: Pending | null;
  /** An exit the cutoff cancelled: the strategy sends it again no sooner than 60 s later (trade-manager.ts). */
  owedExit: { readonly why: ReferenceExit; readonly notBeforeMs: number } | null;
  lastClose: number | null;
  /** The IST day number whose square-off has run. */
  cutoffDay: number | null;
}

const MINUTE_MS = 60_000;

function hhmm(text: string): number {
  const m = /^(\d\d):(\d\d)$/.exec(text);
  if (m === null) throw new RangeError(`${JSON.stringify(text)} is not an HH:MM time`);
  return (Number(m[1]) * 60 + Number(m[2])) * MINUTE_MS;
}

/** Returns floor(closePaise × (1 − pct/100)) on the tick grid, from the decimal text of pct (exact). */
export function referenceStopPaise(closePaise: number, pct: string, tickPaise: number): number {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(pct);
  if (m === null) throw new RangeError(`stopPct ${JSON.stringify(pct)} is not a plain decimal`);
  const decimals = m[2] ?? '';
  const den = 10n ** BigInt(decimals.length);
  const num = BigInt(`${m[1]}${decimals}`);
  const exact = (BigInt(closePaise) * (100n * den - num)) / (100n * den);
  const tick = BigInt(tickPaise);
  return Number((exact / tick) * tick);
}

/** What the reference engine returns. */
export interface SmaCrossReferenceRun {
  /** The round trips in closing order; a position still open after the last bar is not a trade. */
  readonly trades: readonly ReferenceTrade[];
  /**
   * Bar closes (epoch ms) at which the strategy, holding a position the square-off is already closing, would send
   * its own exit: the platform must then still close the position only once (see the header).
   */
  readonly contested: readonly number[];
}

/** Returns what sma-cross does on `bars` (one instrument, 1m, ascending) under next-open fills, MIS and the square-off. */
export function referenceSmaCross(
  bars: readonly Bar[],
  options: SmaCrossReferenceOptions,
): SmaCrossReferenceRun {
  const { fast, slow, qty, tickPaise } = options;
  if (!(Number.isSafeInteger(fast) && Number.isSafeInteger(slow) && fast >= 1 && fast < slow)) {
    throw new RangeError(`fast ${fast} and slow ${slow} must be integers with 1 ≤ fast < slow`);
  }
  const entryStart = hhmm(options.entryStart ?? '09:15');
  const entryEnd = hhmm(options.entryEnd ?? '15:10');
  const cutoff = hhmm(options.cutoff ?? '15:20');
  const offset = (options.squareOffTicks ?? 2) * tickPaise;
  const timeoutMs = options.squareOffTimeoutMs ?? 10_000;

  const closes: number[] = [];
  let sumFast = 0n;
  let sumSlow = 0n;
  let prevCmp: number | null = null;
  // Mutable state in one object: the helpers below change it, and TypeScript does not narrow object fields
  // across those calls the way it would narrow local variables.
  const st: LoopState = { holding: null, pending: null, owedExit: null, lastClose: null, cutoffDay: null };
  const trades: ReferenceTrade[] = [];
  const contested: number[] = [];

  const close = (atMs: number, pricePaise: number, why: ReferenceExit): void => {
    const h = st.holding as Holding;
    trades.push({
      entryAtMs: h.entryAtMs,
      entryPricePaise: h.entryPricePaise,
      exitAtMs: atMs,
      exitPricePaise: pricePaise,
      qty,
      stopPaise: h.stopPaise,
      exit: why,
      grossPnlPaise: (pricePaise - h.entryPricePaise) * qty,
    });
    st.holding = null;
    st.owedExit = null;
  };

  // Applies the square-off of the day of `atMs` once: cancels a strategy exit, sends the closing LIMIT.
  const squareOff = (atMs: number): void => {
    const day = Math.floor((atMs + 19_800_000) / 86_400_000);
    if (st.cutoffDay === day) return;
    st.cutoffDay = day;
    if (st.pending?.kind === 'exit') {
      st.owedExit = { why: st.pending.why, notBeforeMs: atMs + 60_000 };
      st.pending = null;
    }
    if (st.pending?.kind === 'entry') st.pending = null;
    if (st.holding !== null && st.lastClose !== null) {
      const limit = Math.max(tickPaise, Math.floor((st.lastClose - offset) / tickPaise) * tickPaise);
      st.pending = { kind: 'close-limit', sentAtMs: atMs, limitPaise: limit };
    }
  };

  const dayCutoff = (ms: number): number => ms - istMillisOfDay(ms) + cutoff;

  // Timers fire like the backtest loop fires them (run-backtest.ts): those due by a bar's start before the venue
  // sees it, those due inside the bar after the venue and before the strategy, those due at its close after the
  // strategy.
  const timers = (from: number, to: number, inclusive: boolean): void => {
    const due = (at: number): boolean => at > from && (inclusive ? at <= to : at < to);
    for (const cut of [dayCutoff(from + 1), dayCutoff(to)]) if (due(cut)) squareOff(cut);
    if (st.pending?.kind === 'close-limit') {
      const at = st.pending.sentAtMs + timeoutMs;
      if (due(at)) st.pending = { kind: 'close-market', sentAtMs: at };
    }
  };

  let clock = bars.length === 0 ? 0 : (bars[0] as Bar).start - 1;
  for (const bar of bars) {
    const start = bar.start;
    const end = start + MINUTE_MS;
    timers(clock, start, true);
    // The venue sees the bar at its start: working orders sent before it match at its open.
    if (st.pending !== null && st.pending.sentAtMs <= start) {
      const open = bar.openPaise;
      const p: Pending = st.pending;
      if (p.kind === 'entry') {
        st.holding = { entryAtMs: start, entryPricePaise: open, stopPaise: p.stopPaise };
        st.pending = null;
      } else if (p.kind === 'exit' || p.kind === 'close-market') {
        close(start, open, p.kind === 'exit' ? p.why : 'square-off-market');
        st.pending = null;
      } else if (open >= p.limitPaise) {
        close(start, open, 'square-off-limit');
        st.pending = null;
      }
    }
    timers(start, end, false);
    // The strategy sees the bar at its close.
    const c = bar.closePaise;
    st.lastClose = c;
    closes.push(c);
    sumFast += BigInt(c);
    sumSlow += BigInt(c);
    if (closes.length > fast) sumFast -= BigInt(closes[closes.length - 1 - fast] as number);
    if (closes.length > slow) sumSlow -= BigInt(closes[closes.length - 1 - slow] as number);
    // fast > slow ⟺ sumFast × slow > sumSlow × fast (both periods positive).
    const ready = closes.length >= slow;
    const cmp = ready ? Math.sign(Number(sumFast * BigInt(slow) - sumSlow * BigInt(fast))) : null;
    const prev = prevCmp;
    prevCmp = cmp;
    const systemClosing = st.pending?.kind === 'close-limit' || st.pending?.kind === 'close-market';
    if (st.holding !== null && systemClosing && cmp !== null && prev !== null) {
      // The strategy cannot see the system's closing order: it would send its own exit now (see the header).
      const h: Holding = st.holding;
      const owed = st.owedExit;
      const signal = (prev >= 0 && cmp < 0) || bar.lowPaise <= h.stopPaise;
      if (owed === null ? signal : end >= owed.notBeforeMs) contested.push(end);
    }
    if (st.holding !== null && st.pending === null) {
      if (st.owedExit !== null && end >= st.owedExit.notBeforeMs) {
        st.pending = { kind: 'exit', sentAtMs: end, why: st.owedExit.why };
        st.owedExit = null;
      } else if (st.owedExit === null && cmp !== null && prev !== null) {
        const h: Holding = st.holding;
        if (prev >= 0 && cmp < 0) st.pending = { kind: 'exit', sentAtMs: end, why: 'down-cross' };
        else if (bar.lowPaise <= h.stopPaise) st.pending = { kind: 'exit', sentAtMs: end, why: 'stop' };
      }
    } else if (st.holding === null && st.pending === null && cmp !== null && prev !== null) {
      const tod = istMillisOfDay(end);
      if (prev <= 0 && cmp > 0 && tod >= entryStart && tod < entryEnd) {
        st.pending = {
          kind: 'entry',
          sentAtMs: end,
          stopPaise: referenceStopPaise(c, options.stopPct, tickPaise),
        };
      }
    }
    timers(end - 1, end, true);
    clock = end;
  }
  return { trades, contested };
}
