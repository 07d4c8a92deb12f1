// Turns the outcomes of the execution client's REST calls into connection reports: a retryable failure (network,
// timeout, 5xx, open circuit) means the broker is unreachable; a TokenException means the session expired.
import type { AccountId, Clock, ExecutionReport, Logger } from '@kitepilot/core';
import { KiteError, KiteRateLimitError, KiteSessionExpiredError, TokenException } from '../errors.ts';

/** Returns true when `error` says the broker could not be reached (as opposed to an answer from it). */
export function isUnreachable(error: unknown): error is KiteError {
  return error instanceof KiteError && error.retryable && !(error instanceof KiteRateLimitError);
}

/** Returns true when `error` says the broker session is over. */
export function isSessionExpiry(error: unknown): boolean {
  return error instanceof TokenException || error instanceof KiteSessionExpiredError;
}

/**
 * The state of the `execution` broker link: emits BrokerDisconnected once when a call finds the broker
 * unreachable, BrokerConnected on the next success, and SessionExpired once per expiry.
 */
export class ExecutionLinkMonitor {
  readonly #accountId: AccountId;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #emit: (report: ExecutionReport) => void;
  #downSince: number | null = null;
  #sessionExpired = false;

  /** Creates a monitor that reports through `emit`. */
  constructor(accountId: AccountId, clock: Clock, logger: Logger, emit: (report: ExecutionReport) => void) {
    this.#accountId = accountId;
    this.#clock = clock;
    this.#logger = logger;
    this.#emit = emit;
  }

  /** Returns true while the broker is considered unreachable. */
  get down(): boolean {
    return this.#downSince !== null;
  }

  /** Returns true after a session expiry until a call succeeds again. */
  get sessionExpired(): boolean {
    return this.#sessionExpired;
  }

  /** Records a call the broker answered (success or a business rejection). */
  onAnswer(): void {
    this.#sessionExpired = false;
    if (this.#downSince === null) return;
    const now = this.#clock.now();
    this.#logger.warn({ downSinceMs: this.#downSince }, 'Kite execution link is back');
    this.#downSince = null;
    this.#emit({
      type: 'BrokerConnected',
      accountId: this.#accountId,
      link: 'execution',
      tsEvent: now,
      tsInit: now,
    });
  }

  /** Records a failed call: reports an unreachable broker or an expired session; other errors change nothing. */
  onFailure(error: unknown): void {
    if (isSessionExpiry(error)) {
      this.onSessionExpired();
      return;
    }
    if (!isUnreachable(error)) {
      if (error instanceof KiteError && !(error instanceof KiteRateLimitError)) this.onAnswer();
      return;
    }
    if (this.#downSince !== null) return;
    const now = this.#clock.now();
    this.#downSince = now;
    this.#logger.error({ error: error.message }, 'Kite execution link is down');
    this.#emit({
      type: 'BrokerDisconnected',
      accountId: this.#accountId,
      link: 'execution',
      gapStartMs: now,
      gapEndMs: null,
      reason: `${error.errorType}: ${error.brokerMessage}`,
      tsEvent: now,
      tsInit: now,
    });
  }

  /** Reports a session expiry once (again only after a call has succeeded since). */
  onSessionExpired(): void {
    if (this.#sessionExpired) return;
    this.#sessionExpired = true;
    const now = this.#clock.now();
    this.#logger.error({}, 'Kite session expired: order flow stopped until a new login');
    this.#emit({ type: 'SessionExpired', accountId: this.#accountId, tsEvent: now, tsInit: now });
  }
}
