// An order placement is never retried blindly (DESIGN.md §4 invariant 3). When its outcome is uncertain — a
// timeout, a network failure after the request may have left, a 5xx — the orderbook is read and the order is
// looked up by its tag (our intent id, intentTag); only absence after a bounded wait counts as "not placed".
import { KiteError, KiteRateLimitError, KiteTimeoutError, NetworkException } from '../errors.ts';
import { sleepOn } from './clock-sleep.ts';
import type { KitePlaceOrderParams } from './order-params.ts';
import type { KiteOrder } from './parse-orders.ts';
import type { KiteRestClient } from './kite-rest-client.ts';

/** The outcome of a safe placement. */
export type SafePlacementResult =
  /** Kite answered with the order id. */
  | { readonly status: 'placed'; readonly orderId: string }
  /** The answer was lost, but the order is in the orderbook under our tag. */
  | {
      readonly status: 'found';
      readonly orderId: string;
      readonly order: KiteOrder;
      readonly uncertainty: KiteError;
    }
  /** Kite rejected the request (4xx, 429): no order exists. */
  | { readonly status: 'rejected'; readonly error: KiteError }
  /** The outcome was uncertain and no order with the tag appeared within the wait: the caller may decide to resend. */
  | { readonly status: 'not-placed'; readonly uncertainty: KiteError; readonly checks: number }
  /** The outcome was uncertain and the orderbook could not be read: nothing may be resent. */
  | { readonly status: 'unresolved'; readonly uncertainty: KiteError; readonly lastError: unknown };

/** Settings of the resolution of an uncertain placement. */
export interface SafePlacementOptions {
  /** How long to keep looking for the order (default 10 s). */
  readonly resolveWithinMs?: number;
  /** Pause between orderbook reads (default 1 s). */
  readonly pollIntervalMs?: number;
}

/** Returns true when the placement may have reached Kite although no answer says so. */
export function isUncertainPlacement(error: unknown): error is KiteError {
  if (!(error instanceof KiteError)) return false;
  if (error instanceof KiteTimeoutError) return true;
  if (error instanceof NetworkException && error.status === null) return !neverSent(error);
  if (error instanceof KiteRateLimitError) return false;
  return error.status !== null && error.status >= 500;
}

/** Returns true when the connection was refused: the request never left this host. */
function neverSent(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    if ('code' in e && (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND')) return true;
  }
  return false;
}

/**
 * Places orders so that one tag never yields two orders: each placement needs a tag, one placement per tag runs at
 * a time in this process, and an uncertain outcome is resolved from the orderbook instead of being retried.
 */
export class SafeOrderPlacer {
  readonly #client: KiteRestClient;
  readonly #resolveWithinMs: number;
  readonly #pollIntervalMs: number;
  readonly #inFlight = new Map<string, Promise<SafePlacementResult>>();

  /** Creates a placer over `client`. */
  constructor(client: KiteRestClient, options: SafePlacementOptions = {}) {
    this.#client = client;
    this.#resolveWithinMs = options.resolveWithinMs ?? 10_000;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
  }

  /** Places `params` (which must carry a tag); a second call with a tag still in flight gets the same result. */
  place(params: KitePlaceOrderParams): Promise<SafePlacementResult> {
    const tag = params.tag;
    if (tag === undefined || tag === '') {
      throw new RangeError(
        `placement of ${params.tradingsymbol} needs a tag to be resolvable; use intentTag(intent.id)`,
      );
    }
    const running = this.#inFlight.get(tag);
    if (running !== undefined) return running;
    const result = this.#place(params, tag).finally(() => this.#inFlight.delete(tag));
    this.#inFlight.set(tag, result);
    return result;
  }

  /** Returns the order carrying `tag` in today's orderbook, or null (reconciliation before any resend). */
  async findByTag(tag: string): Promise<KiteOrder | null> {
    const orders = await this.#client.getOrders();
    // The first entry is the original; autoslice children carry their own tags.
    return orders.find((o) => o.tag === tag || o.tags.includes(tag)) ?? null;
  }

  async #place(params: KitePlaceOrderParams, tag: string): Promise<SafePlacementResult> {
    try {
      const placed = await this.#client.placeOrder(params);
      return { status: 'placed', orderId: placed.orderId };
    } catch (error) {
      if (!isUncertainPlacement(error)) {
        if (error instanceof KiteError) return { status: 'rejected', error };
        throw error;
      }
      return this.#resolve(tag, error);
    }
  }

  async #resolve(tag: string, uncertainty: KiteError): Promise<SafePlacementResult> {
    const clock = this.#client.clock;
    const deadline = clock.now() + this.#resolveWithinMs;
    let checks = 0;
    let readOnce = false;
    let lastError: unknown = null;
    for (;;) {
      try {
        const order = await this.findByTag(tag);
        checks++;
        readOnce = true;
        if (order !== null) return { status: 'found', orderId: order.orderId, order, uncertainty };
      } catch (error) {
        lastError = error;
      }
      if (clock.now() + this.#pollIntervalMs > deadline) break;
      await sleepOn(clock, this.#pollIntervalMs);
    }
    if (!readOnce) return { status: 'unresolved', uncertainty, lastError };
    return { status: 'not-placed', uncertainty, checks };
  }
}
