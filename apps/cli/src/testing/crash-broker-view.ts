// The broker's side of a crash-recovery test: a login against the Kite simulator running as another process
// (its auto-approved /connect/login redirect carries the request token), reads of its orderbook and tradebook,
// and its ticker's order updates (pushed while the placement's HTTP answer is still on its way to the platform),
// all with a session of the test's own.
import { intentIdFromTag } from '@kitepilot/core';
import { KiteRestClient, KiteTickerClient, type KiteOrder, type KiteOrderUpdate } from '@kitepilot/kite';
import { SystemClock } from '@kitepilot/runtime';
import type { BrokerOrderView, BrokerTradeView } from './crash-ledger-check.ts';

/** Returns a fresh request token from the simulator's login redirect (the simulator approves every login). */
export async function simulatorRequestToken(restUrl: string, apiKey: string): Promise<string> {
  const url = `${restUrl}/connect/login?api_key=${encodeURIComponent(apiKey)}&v=3`;
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (location === null) {
    throw new Error(`GET ${url} answered ${response.status} without a redirect: ${await response.text()}`);
  }
  const token = new URL(location, restUrl).searchParams.get('request_token');
  if (token === null || token === '') throw new Error(`login redirect ${location} carries no request_token`);
  return token;
}

/** The broker's orderbook and tradebook at one moment. */
export interface BrokerSnapshot {
  readonly brokerOrders: readonly BrokerOrderView[];
  readonly brokerTrades: readonly BrokerTradeView[];
}

/** Returns true when a Kite order carries one of our intent tags. */
export function isOurs(order: Pick<KiteOrder, 'tag'>): boolean {
  return intentIdFromTag(order.tag) !== null;
}

/** Reads the simulator's books and order updates as the account holder, with a session of its own. */
export class SimulatorBrokerView {
  readonly #client: KiteRestClient;
  readonly #wsUrl: string;
  readonly #listeners = new Set<(update: KiteOrderUpdate) => void>();
  #ticker: KiteTickerClient | null = null;

  /** Use login(). */
  private constructor(client: KiteRestClient, wsUrl: string) {
    this.#client = client;
    this.#wsUrl = wsUrl;
  }

  /**
   * Logs in with a session of its own (the simulator approves every login and keeps sessions independent), so
   * the test's reads never touch the platform's session.
   */
  static async login(options: {
    readonly restUrl: string;
    readonly wsUrl: string;
    readonly apiKey: string;
    readonly apiSecret: string;
  }): Promise<SimulatorBrokerView> {
    const client = new KiteRestClient({
      apiKey: options.apiKey,
      baseUrl: options.restUrl,
      clock: new SystemClock(),
      timeoutMs: 10_000,
    });
    await client.generateSession(
      await simulatorRequestToken(options.restUrl, options.apiKey),
      options.apiSecret,
    );
    return new SimulatorBrokerView(client, options.wsUrl);
  }

  /** Connects to the simulator's ticker (order updates flow without subscriptions); resolves once connected. */
  async connectOrderUpdates(timeoutMs = 10_000): Promise<void> {
    if (this.#ticker !== null) return;
    const ticker = new KiteTickerClient({
      wsUrl: this.#wsUrl,
      apiKey: this.#client.apiKey,
      accessToken: this.#client.accessToken ?? '',
      clock: new SystemClock(),
    });
    this.#ticker = ticker;
    ticker.on('orderUpdate', (update) => {
      for (const listener of this.#listeners) listener(update);
    });
    const connected = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`ticker ${this.#wsUrl} did not connect within ${timeoutMs} ms`)),
        timeoutMs,
      );
      ticker.on('connected', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    ticker.connect();
    await connected;
  }

  /**
   * Resolves with the first order update of ours whose tag is not in `known`, or null after `timeoutMs`.
   * `onSight` runs inside the socket's message handler, before the test does anything else.
   */
  async nextNewOrderUpdate(
    known: ReadonlySet<string>,
    timeoutMs: number,
    onSight: (update: KiteOrderUpdate) => void = () => undefined,
  ): Promise<KiteOrderUpdate | null> {
    if (this.#ticker === null) throw new Error('nextNewOrderUpdate needs connectOrderUpdates() first');
    return new Promise((resolve) => {
      const listener = (update: KiteOrderUpdate): void => {
        if (update.intentId === null || update.tag === null || known.has(update.tag)) return;
        onSight(update);
        done(update);
      };
      const timer = setTimeout(() => done(null), timeoutMs);
      const done = (update: KiteOrderUpdate | null): void => {
        clearTimeout(timer);
        this.#listeners.delete(listener);
        resolve(update);
      };
      this.#listeners.add(listener);
    });
  }

  /** Returns the orders of ours (tag `KP…`) in the orderbook. */
  async ourOrders(): Promise<BrokerOrderView[]> {
    return (await this.#client.getOrders()).filter(isOurs).map(orderView);
  }

  /** Returns the whole orderbook and tradebook (orders first, so every trade read belongs to a listed order). */
  async snapshot(): Promise<BrokerSnapshot> {
    const brokerOrders = (await this.#client.getOrders()).map(orderView);
    const brokerTrades = (await this.#client.getTrades()).map((t) => ({
      tradeId: t.tradeId,
      orderId: t.orderId,
      quantity: t.quantity,
      pricePaise: t.averagePricePaise,
    }));
    return { brokerOrders, brokerTrades };
  }

  /** Returns the net quantity of every position, keyed `EXCHANGE:SYMBOL/PRODUCT`. */
  async netPositions(): Promise<Map<string, number>> {
    const positions = await this.#client.getPositions();
    return new Map(positions.net.map((p) => [`${p.exchange}:${p.tradingsymbol}/${p.product}`, p.quantity]));
  }

  /** Closes the ticker connection. */
  async close(): Promise<void> {
    this.#listeners.clear();
    await this.#ticker?.close();
    this.#ticker = null;
  }
}

function orderView(o: KiteOrder): BrokerOrderView {
  return {
    orderId: o.orderId,
    tag: o.tag,
    status: o.status,
    quantity: o.quantity,
    filledQuantity: o.filledQuantity,
  };
}
