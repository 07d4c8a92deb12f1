import type { RiskCheckCode } from '@kitepilot/core';

/** Counters of the order manager since it started. */
export interface TradingStats {
  /** Intents stored (slices included). */
  readonly intents: number;
  /** Submissions of an intent id already stored (ignored: idempotent). */
  readonly duplicateIntents: number;
  readonly allowed: number;
  /** Denials by risk check code. */
  readonly denied: Readonly<Partial<Record<RiskCheckCode, number>>>;
  /** Orders handed to the execution client. */
  readonly ordersSent: number;
  /** Fills applied to positions. */
  readonly fills: number;
  /** Fills whose venue trade id was already applied (e.g. from the WebSocket and the orderbook poll). */
  readonly duplicateFills: number;
  /** Order updates whose event id was already applied. */
  readonly duplicateUpdates: number;
  /** Orderbook-poll updates that changed an order a push update (postback, WebSocket) should have told us about. */
  readonly missedUpdates: number;
  /** Reports the state machine refused (illegal transition, unknown status, impossible quantities): stored only. */
  readonly rejectedReports: number;
  /** Reports that named no order we know: stored only. */
  readonly unknownReports: number;
  /** Modify or cancel requests refused without a broker call. */
  readonly refusedRequests: number;
}

type Counter = Exclude<keyof TradingStats, 'denied'>;

/** Mutable counters behind TradingStats. */
export class TradingStatsCounter {
  readonly #counts: Record<Counter, number> = {
    intents: 0,
    duplicateIntents: 0,
    allowed: 0,
    ordersSent: 0,
    fills: 0,
    duplicateFills: 0,
    duplicateUpdates: 0,
    missedUpdates: 0,
    rejectedReports: 0,
    unknownReports: 0,
    refusedRequests: 0,
  };
  readonly #denied: Partial<Record<RiskCheckCode, number>> = {};

  /** Adds one to a counter. */
  inc(counter: Counter): void {
    this.#counts[counter] += 1;
  }

  /** Adds one denial with `code`. */
  deny(code: RiskCheckCode): void {
    this.#denied[code] = (this.#denied[code] ?? 0) + 1;
  }

  /** Returns a copy of the counters. */
  snapshot(): TradingStats {
    return { ...this.#counts, denied: { ...this.#denied } };
  }
}
