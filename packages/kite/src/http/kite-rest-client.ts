// Every endpoint of kite-connect.md §2.2 except mutual funds, typed, in paise and epoch ms.
import type { Instrument, Variety } from '@kitepilot/core';
import { sessionChecksum } from '../auth/session-checksum.ts';
import { KiteHttp } from './kite-http.ts';
import { formatIstTimestamp } from './kite-time.ts';
import { arr, obj, str } from './kite-values.ts';
import { historicalChunks, mergeCandles } from './historical-chunks.ts';
import { decodeUtf8Chunks, parseInstrumentsCsv, type InstrumentRow } from './instruments-csv.ts';
import {
  parseMargins,
  parseProfile,
  parseSegmentMargins,
  parseSession,
  type KiteMargins,
  type KiteProfile,
  type KiteSegmentMargins,
  type KiteSession,
} from './parse-account.ts';
import { parseGtt, type KiteGtt } from './parse-gtt.ts';
import {
  parseBasketMargins,
  parseContractNoteEntry,
  parseOrderMargin,
  type KiteBasketMargins,
  type KiteContractNoteEntry,
  type KiteOrderMargin,
} from './parse-margins.ts';
import {
  parseCandles,
  parseLtp,
  parseOhlcQuote,
  parseQuote,
  parseQuoteMap,
  type CandleInterval,
  type KiteCandle,
  type KiteLtp,
  type KiteOhlcQuote,
  type KiteQuote,
} from './parse-market.ts';
import { parseOrder, parseTrade, type KiteOrder, type KiteTrade } from './parse-orders.ts';
import { parseHolding, parsePositions, type KiteHolding, type KitePositions } from './parse-portfolio.ts';
import {
  contractNoteOrderJson,
  convertPositionForm,
  gttForm,
  marginOrderJson,
  modifyOrderForm,
  placeOrderForm,
  type KiteContractNoteOrder,
  type KiteConvertPositionParams,
  type KiteGttParams,
  type KiteMarginOrder,
  type KiteModifyOrderParams,
  type KitePlaceOrderParams,
} from './order-params.ts';

/** Instruments per call of GET /quote, /quote/ohlc and /quote/ltp (§2.2). */
export const QUOTE_BATCH_LIMITS = { quote: 500, ohlc: 1000, ltp: 1000 } as const;

/** The answer of a placement: the order id, plus the slices when autoslice was on. */
export interface KitePlaceOrderResult {
  readonly orderId: string;
  readonly children: readonly (
    | { readonly orderId: string }
    | { readonly error: { readonly message: string; readonly errorType: string } }
  )[];
}

/** A historical request: a token, an interval and an inclusive range in epoch ms (whole seconds). */
export interface KiteHistoricalRequest {
  readonly instrumentToken: number;
  readonly interval: CandleInterval;
  readonly fromMs: number;
  readonly toMs: number;
  readonly continuous?: boolean;
  readonly oi?: boolean;
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const unique = [...new Set(items)];
  const out: T[][] = [];
  for (let i = 0; i < unique.length; i += size) out.push(unique.slice(i, i + size));
  return out;
}

function orderIdOf(data: unknown, what: string): string {
  const id = str(obj(data, what), 'order_id');
  if (id === '') throw new RangeError(`${what} response has no order_id`);
  return id;
}

/** The Kite Connect REST client (kite-connect.md §2): typed endpoints over KiteHttp's limits and errors. */
export class KiteRestClient extends KiteHttp {
  // ---- session (§1) -------------------------------------------------------------------------------------------

  /** Exchanges a request token for a session (POST /session/token) and starts using its access token. */
  async generateSession(requestToken: string, apiSecret: string): Promise<KiteSession> {
    const data = await this.call({
      method: 'POST',
      path: '/session/token',
      auth: false,
      kind: 'write',
      form: {
        api_key: this.apiKey,
        request_token: requestToken,
        checksum: sessionChecksum(this.apiKey, requestToken, apiSecret),
      },
    });
    const session = parseSession(data);
    this.setAccessToken(session.accessToken);
    return session;
  }

  /** Logs out: invalidates the access token (DELETE /session/token) and forgets it. */
  async invalidateAccessToken(accessToken = this.accessToken ?? ''): Promise<boolean> {
    const data = await this.call({
      method: 'DELETE',
      path: '/session/token',
      kind: 'write',
      query: { api_key: this.apiKey, access_token: accessToken },
    });
    if (accessToken === this.accessToken) this.setAccessToken(null);
    return data === true;
  }

  /** Renews a session with a refresh token (approved platforms only; POST /session/refresh_token). */
  async renewAccessToken(refreshToken: string, apiSecret: string): Promise<KiteSession> {
    const data = await this.call({
      method: 'POST',
      path: '/session/refresh_token',
      auth: false,
      kind: 'write',
      form: {
        api_key: this.apiKey,
        refresh_token: refreshToken,
        checksum: sessionChecksum(this.apiKey, refreshToken, apiSecret),
      },
    });
    const session = parseSession(data);
    this.setAccessToken(session.accessToken);
    return session;
  }

  /** Invalidates a refresh token (DELETE /session/token). */
  async invalidateRefreshToken(refreshToken: string): Promise<boolean> {
    const data = await this.call({
      method: 'DELETE',
      path: '/session/token',
      kind: 'write',
      query: { api_key: this.apiKey, refresh_token: refreshToken },
    });
    return data === true;
  }

  // ---- user ---------------------------------------------------------------------------------------------------

  /** Returns the user's profile. */
  async getProfile(): Promise<KiteProfile> {
    return parseProfile(await this.call({ method: 'GET', path: '/user/profile', kind: 'read' }));
  }

  /** Returns the funds of both segments. */
  async getMargins(): Promise<KiteMargins> {
    return parseMargins(await this.call({ method: 'GET', path: '/user/margins', kind: 'read' }));
  }

  /** Returns the funds of one segment. */
  async getSegmentMargins(segment: 'equity' | 'commodity'): Promise<KiteSegmentMargins> {
    return parseSegmentMargins(
      await this.call({ method: 'GET', path: `/user/margins/${segment}`, kind: 'read' }),
    );
  }

  // ---- market data --------------------------------------------------------------------------------------------

  async #quoteMap<T>(
    path: string,
    instruments: readonly string[],
    size: number,
    parse: (v: unknown) => T,
  ): Promise<Map<string, T>> {
    const merged = new Map<string, T>();
    // Batches go one after another: the quote class allows 1 request per second anyway.
    for (const batch of batches(instruments, size)) {
      const data = await this.call({ method: 'GET', path, kind: 'read', query: { i: batch } });
      for (const [k, v] of parseQuoteMap(data, parse)) merged.set(k, v);
    }
    return merged;
  }

  /** Returns full quotes keyed by `EX:SYMBOL`, in batches of 500; instruments without data are absent. */
  getQuote(instruments: readonly string[]): Promise<Map<string, KiteQuote>> {
    return this.#quoteMap('/quote', instruments, QUOTE_BATCH_LIMITS.quote, parseQuote);
  }

  /** Returns OHLC quotes keyed by `EX:SYMBOL`, in batches of 1000. */
  getOhlc(instruments: readonly string[]): Promise<Map<string, KiteOhlcQuote>> {
    return this.#quoteMap('/quote/ohlc', instruments, QUOTE_BATCH_LIMITS.ohlc, parseOhlcQuote);
  }

  /** Returns last prices keyed by `EX:SYMBOL`, in batches of 1000. */
  getLtp(instruments: readonly string[]): Promise<Map<string, KiteLtp>> {
    return this.#quoteMap('/quote/ltp', instruments, QUOTE_BATCH_LIMITS.ltp, parseLtp);
  }

  /** Returns the rows of the instruments dump (all exchanges, or one) as they stream in. */
  async *streamInstruments(exchange?: string): AsyncGenerator<InstrumentRow> {
    const path = exchange === undefined ? '/instruments' : `/instruments/${encodeURIComponent(exchange)}`;
    const response = await this.stream({ method: 'GET', path, kind: 'read' });
    if (response.body === null) throw new RangeError(`GET ${path} returned no body`);
    yield* parseInstrumentsCsv(decodeUtf8Chunks(response.body));
  }

  /** Returns the instruments of the dump and the skipped rows (segments we do not model, with reasons). */
  async getInstruments(exchange?: string): Promise<{
    readonly instruments: Instrument[];
    readonly skipped: readonly Extract<InstrumentRow, { kind: 'skipped' }>[];
  }> {
    const instruments: Instrument[] = [];
    const skipped: Extract<InstrumentRow, { kind: 'skipped' }>[] = [];
    for await (const row of this.streamInstruments(exchange)) {
      if (row.kind === 'instrument') instruments.push(row.instrument);
      else skipped.push(row);
    }
    return { instruments, skipped };
  }

  /**
   * Returns the candles of [fromMs, toMs] (inclusive), requested in chunks no longer than the interval's cap
   * (§2.3), one after another within the historical rate limit, merged in time order without duplicates.
   */
  async getHistoricalData(request: KiteHistoricalRequest): Promise<KiteCandle[]> {
    const parts: KiteCandle[][] = [];
    for (const chunk of historicalChunks(request.interval, request.fromMs, request.toMs)) {
      const data = await this.call({
        method: 'GET',
        path: `/instruments/historical/${request.instrumentToken}/${request.interval}`,
        kind: 'read',
        query: {
          from: formatIstTimestamp(chunk.fromMs),
          to: formatIstTimestamp(chunk.toMs),
          continuous: request.continuous === true ? 1 : 0,
          oi: request.oi === true ? 1 : 0,
        },
      });
      parts.push(parseCandles(data));
    }
    return mergeCandles(parts);
  }

  // ---- orders (§2.4) ------------------------------------------------------------------------------------------

  /** Places an order once (never retried here; see placeOrderSafely for uncertain outcomes). */
  async placeOrder(params: KitePlaceOrderParams): Promise<KitePlaceOrderResult> {
    const form = placeOrderForm(params);
    const data = obj(
      await this.call({ method: 'POST', path: `/orders/${params.variety}`, kind: 'order', form }),
      'place order',
    );
    const children = data['children'] === undefined ? [] : arr(data['children'], 'children');
    return {
      orderId: orderIdOf(data, 'place order'),
      children: children.map((c) => {
        const o = obj(c, 'child order');
        if (o['error'] !== undefined && o['error'] !== null) {
          const e = obj(o['error'], 'child error');
          return { error: { message: str(e, 'message'), errorType: str(e, 'error_type') } };
        }
        return { orderId: str(o, 'order_id') };
      }),
    };
  }

  /** Modifies an open order; returns its id. */
  async modifyOrder(variety: Variety, orderId: string, params: KiteModifyOrderParams): Promise<string> {
    const data = await this.call({
      method: 'PUT',
      path: `/orders/${variety}/${encodeURIComponent(orderId)}`,
      kind: 'order',
      form: modifyOrderForm(params),
    });
    return orderIdOf(data, 'modify order');
  }

  /** Cancels an open order; returns its id. */
  async cancelOrder(variety: Variety, orderId: string, parentOrderId?: string): Promise<string> {
    const data = await this.call({
      method: 'DELETE',
      path: `/orders/${variety}/${encodeURIComponent(orderId)}`,
      kind: 'order',
      query: { parent_order_id: parentOrderId },
    });
    return orderIdOf(data, 'cancel order');
  }

  /** Exits an order (a CO leg): the same call as cancel (§2.4). */
  exitOrder(variety: Variety, orderId: string, parentOrderId?: string): Promise<string> {
    return this.cancelOrder(variety, orderId, parentOrderId);
  }

  /** Returns today's orderbook. */
  async getOrders(): Promise<KiteOrder[]> {
    return arr(await this.call({ method: 'GET', path: '/orders', kind: 'read' }), 'orders').map(parseOrder);
  }

  /** Returns an order's history, one entry per state change. */
  async getOrderHistory(orderId: string): Promise<KiteOrder[]> {
    const data = await this.call({
      method: 'GET',
      path: `/orders/${encodeURIComponent(orderId)}`,
      kind: 'read',
    });
    return arr(data, 'order history').map(parseOrder);
  }

  /** Returns an order's trades. */
  async getOrderTrades(orderId: string): Promise<KiteTrade[]> {
    const data = await this.call({
      method: 'GET',
      path: `/orders/${encodeURIComponent(orderId)}/trades`,
      kind: 'read',
    });
    return arr(data, 'order trades').map(parseTrade);
  }

  /** Returns today's trades. */
  async getTrades(): Promise<KiteTrade[]> {
    return arr(await this.call({ method: 'GET', path: '/trades', kind: 'read' }), 'trades').map(parseTrade);
  }

  // ---- portfolio ----------------------------------------------------------------------------------------------

  /** Returns net and day positions. */
  async getPositions(): Promise<KitePositions> {
    return parsePositions(await this.call({ method: 'GET', path: '/portfolio/positions', kind: 'read' }));
  }

  /** Returns holdings. */
  async getHoldings(): Promise<KiteHolding[]> {
    return arr(await this.call({ method: 'GET', path: '/portfolio/holdings', kind: 'read' }), 'holdings').map(
      parseHolding,
    );
  }

  /** Returns the holdings open for the exchange's auction, each with its `auction_number` (not in the TS types). */
  async getAuctionInstruments(): Promise<(KiteHolding & { readonly auctionNumber: string })[]> {
    const data = await this.call({ method: 'GET', path: '/portfolio/holdings/auctions', kind: 'read' });
    return arr(data, 'auction instruments').map((v) => ({
      ...parseHolding(v),
      auctionNumber: str(obj(v, 'auction instrument'), 'auction_number'),
    }));
  }

  /** Converts a position's product; returns Kite's `true`. */
  async convertPosition(params: KiteConvertPositionParams): Promise<boolean> {
    const data = await this.call({
      method: 'PUT',
      path: '/portfolio/positions',
      kind: 'order',
      form: convertPositionForm(params),
    });
    return data === true;
  }

  // ---- margins and charges ------------------------------------------------------------------------------------

  /** Returns the margin of each order (POST /margins/orders, JSON body). */
  async getOrderMargins(
    orders: readonly KiteMarginOrder[],
    mode: 'compact' | 'full' = 'compact',
  ): Promise<KiteOrderMargin[]> {
    const data = await this.call({
      method: 'POST',
      path: '/margins/orders',
      kind: 'write',
      query: { mode },
      json: orders.map(marginOrderJson),
    });
    return arr(data, 'order margins').map(parseOrderMargin);
  }

  /** Returns the margins of a basket (POST /margins/basket, JSON body). */
  async getBasketMargins(
    orders: readonly KiteMarginOrder[],
    considerPositions = true,
    mode: 'compact' | 'full' = 'compact',
  ): Promise<KiteBasketMargins> {
    const data = await this.call({
      method: 'POST',
      path: '/margins/basket',
      kind: 'write',
      query: { consider_positions: considerPositions, mode },
      json: orders.map(marginOrderJson),
    });
    return parseBasketMargins(data);
  }

  /** Returns the charges of executed orders (POST /charges/orders, JSON body). */
  async getVirtualContractNote(orders: readonly KiteContractNoteOrder[]): Promise<KiteContractNoteEntry[]> {
    const data = await this.call({
      method: 'POST',
      path: '/charges/orders',
      kind: 'write',
      json: orders.map(contractNoteOrderJson),
    });
    return arr(data, 'contract note').map(parseContractNoteEntry);
  }

  // ---- GTT ----------------------------------------------------------------------------------------------------

  /** Returns every GTT trigger. */
  async getGtts(): Promise<KiteGtt[]> {
    return arr(await this.call({ method: 'GET', path: '/gtt/triggers', kind: 'read' }), 'gtt triggers').map(
      parseGtt,
    );
  }

  /** Returns one GTT trigger. */
  async getGtt(triggerId: number): Promise<KiteGtt> {
    return parseGtt(await this.call({ method: 'GET', path: `/gtt/triggers/${triggerId}`, kind: 'read' }));
  }

  /** Places a GTT; returns its trigger id. */
  async placeGtt(params: KiteGttParams): Promise<number> {
    const data = await this.call({
      method: 'POST',
      path: '/gtt/triggers',
      kind: 'order',
      form: gttForm(params),
    });
    return Number(str(obj(data, 'place gtt'), 'trigger_id'));
  }

  /** Modifies a GTT; returns its trigger id. */
  async modifyGtt(triggerId: number, params: KiteGttParams): Promise<number> {
    const data = await this.call({
      method: 'PUT',
      path: `/gtt/triggers/${triggerId}`,
      kind: 'order',
      form: gttForm(params),
    });
    return Number(str(obj(data, 'modify gtt'), 'trigger_id'));
  }

  /** Deletes a GTT; returns its trigger id. */
  async deleteGtt(triggerId: number): Promise<number> {
    const data = await this.call({ method: 'DELETE', path: `/gtt/triggers/${triggerId}`, kind: 'order' });
    return Number(str(obj(data, 'delete gtt'), 'trigger_id'));
  }
}
