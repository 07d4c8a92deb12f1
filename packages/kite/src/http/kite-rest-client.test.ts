import { TestClock } from '@kitepilot/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KiteRestClient } from './kite-rest-client.ts';
import { driveClock } from './testing/drive-clock.ts';
import { sendData, startFakeKiteServer, type FakeKiteServer } from './testing/fake-kite-server.ts';

const START = Date.UTC(2026, 10, 23, 4, 0, 0);
let fake: FakeKiteServer;
let clock: TestClock;
let client: KiteRestClient;

beforeEach(async () => {
  fake = await startFakeKiteServer();
  clock = new TestClock(START);
  client = new KiteRestClient({ apiKey: 'k', accessToken: 't', baseUrl: fake.url, clock, random: () => 0 });
});
afterEach(() => fake.close());

describe('KiteRestClient', () => {
  it('batches quotes by 500, one request per second, and merges the maps', async () => {
    const symbols = Array.from({ length: 1200 }, (_, i) => `NSE:S${i}`);
    fake.handle((req, res) => {
      const data: Record<string, unknown> = {};
      for (const i of req.query.getAll('i')) {
        if (i === 'NSE:S7') continue; // no data: the key is absent
        data[i] = {
          instrument_token: Number(i.slice(5)) + 1,
          last_price: 1573.7,
          ohlc: { open: 1, high: 2.05, low: 0.95, close: 1.5 },
        };
      }
      sendData(res, data);
    });
    const quotes = await driveClock(clock, client.getQuote(symbols));
    expect(fake.requests.map((r) => r.query.getAll('i').length)).toEqual([500, 500, 200]);
    expect(clock.now() - START).toBe(2200); // 1 s per quote request plus the 100 ms jitter margin
    expect(quotes.size).toBe(1199);
    expect(quotes.get('NSE:S0')).toMatchObject({
      lastPricePaise: 157370,
      ohlc: { highPaise: 205, lowPaise: 95 },
    });
    expect(quotes.has('NSE:S7')).toBe(false);
  });

  it('batches LTP and OHLC by 1000', async () => {
    fake.handle((_req, res) => sendData(res, {}));
    const symbols = Array.from({ length: 2001 }, (_, i) => `NSE:S${i}`);
    await driveClock(clock, client.getLtp(symbols));
    await driveClock(clock, client.getOhlc(symbols));
    expect(fake.requests.map((r) => `${r.path}:${r.query.getAll('i').length}`)).toEqual([
      '/quote/ltp:1000',
      '/quote/ltp:1000',
      '/quote/ltp:1',
      '/quote/ohlc:1000',
      '/quote/ohlc:1000',
      '/quote/ohlc:1',
    ]);
  });

  it('chunks a 150-day minute range into 60-day requests and merges candles without duplicates, keeping oi 0', async () => {
    fake.handle((req, res) => {
      const from = req.query.get('from') ?? '';
      // Every chunk returns a candle at its start and the same overlapping candle.
      sendData(res, {
        candles: [
          [`${from.slice(0, 10)}T09:15:00+0530`, 10.05, 10.1, 10, 10.05, 100, 0],
          ['2026-01-01T09:15:00+0530', 1, 1, 1, 1, 1, 5],
        ],
      });
    });
    const fromMs = Date.UTC(2025, 11, 31, 18, 30); // 2026-01-01 00:00 IST
    const toMs = fromMs + 150 * 86_400_000 - 1000;
    const candles = await driveClock(
      clock,
      client.getHistoricalData({
        instrumentToken: 408065,
        interval: 'minute',
        fromMs,
        toMs,
        oi: true,
        continuous: true,
      }),
    );
    expect(fake.requests.map((r) => [r.query.get('from'), r.query.get('to')])).toEqual([
      ['2026-01-01 00:00:00', '2026-03-01 23:59:59'],
      ['2026-03-02 00:00:00', '2026-04-30 23:59:59'],
      ['2026-05-01 00:00:00', '2026-05-30 23:59:59'],
    ]);
    expect(fake.requests[0]?.path).toBe('/instruments/historical/408065/minute');
    expect(fake.requests[0]?.query.get('oi')).toBe('1');
    expect(fake.requests[0]?.query.get('continuous')).toBe('1');
    expect(candles.map((c) => c.tsMs)).toEqual([
      Date.UTC(2026, 0, 1, 3, 45),
      Date.UTC(2026, 2, 2, 3, 45),
      Date.UTC(2026, 4, 1, 3, 45),
    ]);
    expect(candles[0]).toEqual({
      tsMs: Date.UTC(2026, 0, 1, 3, 45),
      openPaise: 1005,
      highPaise: 1010,
      lowPaise: 1000,
      closePaise: 1005,
      volume: 100,
      oi: 0,
    });
  });

  it('streams the instruments CSV into Instruments and skips unmodelled segments with a reason', async () => {
    const csv = [
      'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange',
      '408065,1594,INFY,"INFOSYS, LTD",0.0,,0.0,0.05,1,EQ,NSE,NSE',
      '256265,1001,NIFTY 50,NIFTY 50,0.0,,0.0,0.0,0,EQ,INDICES,NSE',
      '13923330,54388,NIFTY26NOVFUT,NIFTY,0.0,2026-11-24,0.0,0.1,65,FUT,NFO-FUT,NFO',
      '13923586,54389,NIFTY26N2424000CE,,0.0,2026-11-24,24000.0,0.05,65,CE,NFO-OPT,NFO',
      '412675,1612,USDINR26NOVFUT,USDINR,0.0,2026-11-26,0.0,0.0025,1,FUT,CDS-FUT,CDS',
    ].join('\n');
    fake.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      // Cut the body into 7-byte pieces so records straddle chunks.
      for (let i = 0; i < csv.length; i += 7) res.write(csv.slice(i, i + 7));
      res.end();
    });
    const { instruments, skipped } = await driveClock(clock, client.getInstruments());
    expect(
      instruments.map((i) => [
        i.id,
        i.type,
        i.token,
        i.tickSizePaise,
        i.lotSize,
        i.strikePaise,
        i.underlying,
      ]),
    ).toEqual([
      ['INFY.NSE', 'EQ', 408065, 5, 1, null, null],
      ['NIFTY 50.NSE', 'INDEX', 256265, 1, 1, null, null],
      ['NIFTY26NOVFUT.NFO', 'FUT', 13923330, 10, 65, null, 'NIFTY'],
      ['NIFTY26N2424000CE.NFO', 'CE', 13923586, 5, 65, 2400000, 'NIFTY'],
    ]);
    expect(instruments[0]?.name).toBe('INFOSYS, LTD');
    expect(skipped).toEqual([
      {
        kind: 'skipped',
        line: 6,
        tradingsymbol: 'USDINR26NOVFUT',
        segment: 'CDS-FUT',
        reason: 'exchange CDS (segment CDS-FUT) is not modelled',
      },
    ]);
  });

  it('reads auction instruments with their auction number', async () => {
    fake.handle((_req, res) =>
      sendData(res, [
        {
          tradingsymbol: 'INFY',
          exchange: 'NSE',
          instrument_token: 408065,
          quantity: 5,
          average_price: 1450.255,
          last_price: 1573.7,
          auction_number: '22',
        },
      ]),
    );
    const [a] = await client.getAuctionInstruments();
    expect(fake.requests[0]?.path).toBe('/portfolio/holdings/auctions');
    expect(a).toMatchObject({
      auctionNumber: '22',
      quantity: 5,
      averagePricePaise: 145026,
      lastPricePaise: 157370,
    });
  });

  it('parses orders with exact paise and IST times', async () => {
    fake.handle((_req, res) =>
      sendData(res, [
        {
          order_id: '151220000000000',
          status: 'COMPLETE',
          order_timestamp: '2021-05-31 09:18:57',
          exchange_timestamp: '2021-05-31 09:18:57',
          variety: 'regular',
          exchange: 'NSE',
          tradingsymbol: 'SBIN',
          instrument_token: 779521,
          order_type: 'LIMIT',
          transaction_type: 'BUY',
          validity: 'DAY',
          product: 'CNC',
          quantity: 1,
          price: 420.1,
          trigger_price: 0,
          average_price: 420.0333,
          filled_quantity: 1,
          pending_quantity: 0,
          tag: 'KPabc',
          tags: ['KPabc'],
        },
      ]),
    );
    const [order] = await client.getOrders();
    expect(order).toMatchObject({
      orderId: '151220000000000',
      pricePaise: 42010,
      averagePricePaise: 42003,
      orderTimestampMs: Date.UTC(2021, 4, 31, 3, 48, 57),
      tag: 'KPabc',
    });
  });
});
