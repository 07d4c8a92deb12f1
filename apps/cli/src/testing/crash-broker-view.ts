// The broker's side of a crash-recovery test: a login against the Kite simulator running as another process
// (its auto-approved /connect/login redirect carries the request token), and reads of its orderbook and
// tradebook with a session of the test's own.
import { intentIdFromTag } from '@kitepilot/core';
import { KiteRestClient, type KiteOrder } from '@kitepilot/kite';
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

/** Reads the simulator's books as the account holder (the platform's session). */
export class SimulatorBrokerView {
  readonly #client: KiteRestClient;

  private constructor(client: KiteRestClient) {
    this.#client = client;
  }

  /**
   * Logs in with a session of its own (the simulator approves every login and keeps sessions independent), so
   * the test's reads never touch the platform's session.
   */
  static async login(restUrl: string, apiKey: string, apiSecret: string): Promise<SimulatorBrokerView> {
    const client = new KiteRestClient({
      apiKey,
      baseUrl: restUrl,
      clock: new SystemClock(),
      timeoutMs: 10_000,
    });
    await client.generateSession(await simulatorRequestToken(restUrl, apiKey), apiSecret);
    return new SimulatorBrokerView(client);
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
