// Positions built from the day's trades (net = day: the simulator carries nothing overnight) and a fixed,
// seeded set of holdings.
import type { SimInstrument } from '../market/sim-instrument.ts';
import { inputError } from '../kite-api-error.ts';
import { marginFor } from './margin-model.ts';
import type { Product, Side, SimTrade } from './sim-order.ts';

/** Returns the last and previous-close prices (paise) of an instrument. */
export type PriceLookup = (instrument: SimInstrument) => { readonly last: number; readonly close: number };

interface PositionBook {
  readonly instrument: SimInstrument;
  readonly product: Product;
  buyQuantity: number;
  buyValue: number;
  sellQuantity: number;
  sellValue: number;
}

/** A holding of the simulated demat account. */
export interface SimHolding {
  readonly instrument: SimInstrument;
  readonly quantity: number;
  readonly averagePricePaise: number;
}

/** The account's positions and holdings. */
export class Portfolio {
  readonly #books = new Map<string, PositionBook>();
  readonly #holdings: readonly SimHolding[];

  /** Creates a portfolio holding `holdings`. */
  constructor(holdings: readonly SimHolding[]) {
    this.#holdings = holdings;
  }

  #book(instrument: SimInstrument, product: Product): PositionBook {
    const key = `${instrument.instrumentToken}:${product}`;
    let book = this.#books.get(key);
    if (book === undefined) {
      book = { instrument, product, buyQuantity: 0, buyValue: 0, sellQuantity: 0, sellValue: 0 };
      this.#books.set(key, book);
    }
    return book;
  }

  /** Adds a trade to its position. */
  applyTrade(trade: SimTrade): void {
    const book = this.#book(trade.instrument, trade.product);
    if (trade.side === 'BUY') {
      book.buyQuantity += trade.quantity;
      book.buyValue += trade.quantity * trade.pricePaise;
    } else {
      book.sellQuantity += trade.quantity;
      book.sellValue += trade.quantity * trade.pricePaise;
    }
  }

  /** Returns the signed net quantity of an instrument in a product. */
  netQuantity(instrument: SimInstrument, product: Product): number {
    const book = this.#books.get(`${instrument.instrumentToken}:${product}`);
    return book === undefined ? 0 : book.buyQuantity - book.sellQuantity;
  }

  /** Moves `quantity` of a day position from one product to another (PUT /portfolio/positions); throws an InputException when it does not hold it. */
  convert(instrument: SimInstrument, side: Side, quantity: number, from: Product, to: Product): void {
    const net = this.netQuantity(instrument, from);
    const held = side === 'BUY' ? net : -net;
    if (!Number.isSafeInteger(quantity) || quantity <= 0 || held < quantity || from === to) {
      throw inputError(
        `cannot convert ${quantity} ${instrument.tradingsymbol} ${side} from ${from} to ${to}: the ${from} position is ${net}`,
      );
    }
    const source = this.#book(instrument, from);
    const target = this.#book(instrument, to);
    if (side === 'BUY') {
      const avg = source.buyValue / source.buyQuantity;
      source.buyQuantity -= quantity;
      source.buyValue -= Math.round(avg * quantity);
      target.buyQuantity += quantity;
      target.buyValue += Math.round(avg * quantity);
    } else {
      const avg = source.sellValue / source.sellQuantity;
      source.sellQuantity -= quantity;
      source.sellValue -= Math.round(avg * quantity);
      target.sellQuantity += quantity;
      target.sellValue += Math.round(avg * quantity);
    }
  }

  /** Returns the margin (paise) blocked by open positions. */
  marginUsed(): number {
    let total = 0;
    for (const b of this.#books.values()) {
      const net = b.buyQuantity - b.sellQuantity;
      if (net === 0) continue;
      const avg = net > 0 ? b.buyValue / b.buyQuantity : b.sellValue / b.sellQuantity;
      total += marginFor(
        b.instrument,
        b.product,
        net > 0 ? 'BUY' : 'SELL',
        Math.abs(net),
        Math.round(avg),
      ).total;
    }
    return total;
  }

  /** Returns the realised and unrealised P&L (paise) of every position. */
  pnl(prices: PriceLookup): { readonly realised: number; readonly unrealised: number } {
    let realised = 0;
    let unrealised = 0;
    for (const b of this.#books.values()) {
      const p = this.#pnlOf(b, prices(b.instrument).last);
      realised += p.realised;
      unrealised += p.unrealised;
    }
    return { realised, unrealised };
  }

  #pnlOf(b: PositionBook, last: number): { realised: number; unrealised: number; total: number } {
    const net = b.buyQuantity - b.sellQuantity;
    const total = b.sellValue - b.buyValue + net * last;
    const closed = Math.min(b.buyQuantity, b.sellQuantity);
    const realised =
      closed === 0 ? 0 : Math.round(closed * (b.sellValue / b.sellQuantity - b.buyValue / b.buyQuantity));
    return { realised, unrealised: total - realised, total };
  }

  /** Returns the Kite `{net, day}` positions JSON. */
  positionsJson(prices: PriceLookup): { net: Record<string, unknown>[]; day: Record<string, unknown>[] } {
    const rows: Record<string, unknown>[] = [];
    for (const b of this.#books.values()) {
      const { last, close } = prices(b.instrument);
      const net = b.buyQuantity - b.sellQuantity;
      const p = this.#pnlOf(b, last);
      const buyPrice = b.buyQuantity === 0 ? 0 : b.buyValue / b.buyQuantity / 100;
      const sellPrice = b.sellQuantity === 0 ? 0 : b.sellValue / b.sellQuantity / 100;
      const average = net > 0 ? buyPrice : net < 0 ? sellPrice : 0;
      rows.push({
        tradingsymbol: b.instrument.tradingsymbol,
        exchange: b.instrument.exchange,
        instrument_token: b.instrument.instrumentToken,
        product: b.product,
        quantity: net,
        overnight_quantity: 0,
        multiplier: 1,
        average_price: average,
        close_price: close / 100,
        last_price: last / 100,
        value: (b.sellValue - b.buyValue) / 100,
        pnl: p.total / 100,
        m2m: p.total / 100,
        unrealised: p.unrealised / 100,
        realised: p.realised / 100,
        buy_quantity: b.buyQuantity,
        buy_price: buyPrice,
        buy_value: b.buyValue / 100,
        buy_m2m: b.buyValue / 100,
        sell_quantity: b.sellQuantity,
        sell_price: sellPrice,
        sell_value: b.sellValue / 100,
        sell_m2m: b.sellValue / 100,
        day_buy_quantity: b.buyQuantity,
        day_buy_price: buyPrice,
        day_buy_value: b.buyValue / 100,
        day_sell_quantity: b.sellQuantity,
        day_sell_price: sellPrice,
        day_sell_value: b.sellValue / 100,
      });
    }
    return { net: rows, day: rows.map((r) => ({ ...r })) };
  }

  /** Returns the Kite holdings JSON. */
  holdingsJson(prices: PriceLookup): Record<string, unknown>[] {
    return this.#holdings.map((h) => {
      const { last, close } = prices(h.instrument);
      const pnl = (last - h.averagePricePaise) * h.quantity;
      const dayChange = last - close;
      return {
        tradingsymbol: h.instrument.tradingsymbol,
        exchange: h.instrument.exchange,
        instrument_token: h.instrument.instrumentToken,
        isin: `INE000SIM${String(h.instrument.exchangeToken % 1000).padStart(3, '0')}`,
        product: 'CNC',
        price: 0,
        quantity: h.quantity,
        used_quantity: 0,
        t1_quantity: 0,
        realised_quantity: h.quantity,
        authorised_quantity: 0,
        authorised_date: '',
        authorisation: {},
        opening_quantity: h.quantity,
        short_quantity: 0,
        collateral_quantity: 0,
        collateral_type: '',
        discrepancy: false,
        average_price: h.averagePricePaise / 100,
        last_price: last / 100,
        close_price: close / 100,
        pnl: pnl / 100,
        day_change: dayChange / 100,
        day_change_percentage: close === 0 ? 0 : (dayChange * 100) / close,
        mtf: { quantity: 0, used_quantity: 0, average_price: 0, value: 0, initial_margin: 0 },
      };
    });
  }
}
