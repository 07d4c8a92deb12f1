import { aNiftyFuture, anInstrument, paise, type Instrument } from '@kitepilot/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTestApp, type ApiTestApp } from './api-test-app.ts';
import { registerInstrumentRoutes } from './instruments.ts';

const infy = anInstrument({ tradingSymbol: 'INFY', name: 'INFOSYS', token: 408065, exchangeToken: 1594 });
const reliance = anInstrument();
const nifty = anInstrument({
  type: 'INDEX',
  tradingSymbol: 'NIFTY 50',
  name: 'NIFTY 50',
  token: 256265,
  exchangeToken: 1001,
  tickSizePaise: paise(5),
});
const future = aNiftyFuture();
const call = anInstrument({
  exchange: 'NFO',
  type: 'CE',
  tradingSymbol: 'NIFTY26NOV24000CE',
  name: 'NIFTY',
  token: 13824100,
  exchangeToken: 54100,
  tickSizePaise: paise(5),
  lotSize: 65,
  freezeQty: 1800,
  expiry: '2026-11-24',
  strikePaise: paise(2_400_000),
  underlying: 'NIFTY',
});

describe('instrument routes', () => {
  let t: ApiTestApp;
  const get = (url: string, role: 'readonly' | 'owner' = 'readonly') =>
    t.app.inject({ method: 'GET', url, headers: t.as(role) });

  beforeAll(async () => {
    t = await apiTestApp(registerInstrumentRoutes);
    // An older version lists a contract the newer one no longer has; a list reads only the version in force.
    await t.store.instruments.saveVersion('real', '2026-11-20', [
      infy,
      reliance,
      anInstrument({ tradingSymbol: 'OLDCO', token: 1 }),
    ]);
    const today: Instrument[] = [infy, reliance, nifty, future, call];
    await t.store.instruments.saveVersion('real', '2026-11-23', today);
    await t.store.instruments.saveVersion('simulated', '2026-11-23', [
      anInstrument({ tradingSymbol: 'SIMCO', token: 9 }),
    ]);
  });
  afterAll(async () => t.close());

  it('lists the version in force by id with F&O fields, rupee strings and the Kite segment', async () => {
    const response = await get('/api/instruments');
    expect(response.statusCode).toBe(200);
    const body = response.json<{
      items: { instrumentId: string; segment: string }[];
      nextCursor: string | null;
    }>();
    expect(body.items.map((i) => i.instrumentId)).toEqual([
      'INFY.NSE',
      'NIFTY 50.NSE',
      'NIFTY26NOV24000CE.NFO',
      'NIFTY26NOVFUT.NFO',
      'RELIANCE.NSE',
    ]);
    expect(body.nextCursor).toBeNull();
    expect(body.items.map((i) => i.segment)).toEqual(['NSE', 'INDICES', 'NFO-OPT', 'NFO-FUT', 'NSE']);
    expect(body.items[2]).toMatchObject({
      symbol: 'NFO:NIFTY26NOV24000CE',
      type: 'CE',
      lotSize: 65,
      freezeQty: 1800,
      expiry: '2026-11-24',
      strikePaise: 2_400_000,
      strike: '24000.00',
      tickSize: '0.05',
      underlying: 'NIFTY',
      validFrom: '2026-11-23',
    });
  });

  it('filters by exchange, segment and text, and keeps namespaces apart', async () => {
    const ids = async (url: string) =>
      (await get(url)).json<{ items: { instrumentId: string }[] }>().items.map((i) => i.instrumentId);
    expect(await ids('/api/instruments?exchange=NFO')).toEqual([
      'NIFTY26NOV24000CE.NFO',
      'NIFTY26NOVFUT.NFO',
    ]);
    expect(await ids('/api/instruments?segment=NFO-FUT')).toEqual(['NIFTY26NOVFUT.NFO']);
    expect(await ids('/api/instruments?segment=INDICES')).toEqual(['NIFTY 50.NSE']);
    expect(await ids('/api/instruments?segment=NSE')).toEqual(['INFY.NSE', 'RELIANCE.NSE']);
    expect(await ids('/api/instruments?q=infos')).toEqual(['INFY.NSE']);
    expect(await ids('/api/instruments?q=nifty&segment=NFO-OPT')).toEqual(['NIFTY26NOV24000CE.NFO']);
    // `%` and `_` are taken literally, not as patterns.
    expect(await ids('/api/instruments?q=%25')).toEqual([]);
    expect(await ids('/api/instruments?namespace=simulated')).toEqual(['SIMCO.NSE']);
  });

  it('pages with limit and an opaque cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/instruments?limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const page = (await get(url)).json<{ items: { instrumentId: string }[]; nextCursor: string | null }>();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.instrumentId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual([
      'INFY.NSE',
      'NIFTY 50.NSE',
      'NIFTY26NOV24000CE.NFO',
      'NIFTY26NOVFUT.NFO',
      'RELIANCE.NSE',
    ]);
  });

  it('refuses a bad cursor, a limit out of range and an unknown segment', async () => {
    const badCursor = await get('/api/instruments?cursor=not-a-cursor');
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/cursor/) },
    });
    expect((await get('/api/instruments?limit=1001')).statusCode).toBe(400);
    expect((await get('/api/instruments?limit=0')).statusCode).toBe(400);
    expect((await get('/api/instruments?segment=MCX')).statusCode).toBe(400);
  });

  it('returns the newest version of one instrument by EXCHANGE:SYMBOL or SYMBOL.EXCHANGE', async () => {
    const one = await get('/api/instruments/NFO:NIFTY26NOVFUT');
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({
      instrumentId: 'NIFTY26NOVFUT.NFO',
      segment: 'NFO-FUT',
      expiry: '2026-11-24',
      lotSize: 65,
      strikePaise: null,
      validFrom: '2026-11-23',
    });
    expect((await get('/api/instruments/INFY.NSE')).json()).toMatchObject({ token: 408065 });
    // Only in the older version: its newest version is still found.
    expect((await get(`/api/instruments/${encodeURIComponent('NSE:OLDCO')}`)).json()).toMatchObject({
      validFrom: '2026-11-20',
    });
  });

  it('answers 404 for an unknown instrument and 400 for a malformed one', async () => {
    const unknown = await get('/api/instruments/NSE:NOPE');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({
      error: { code: 'NOT_FOUND', message: expect.stringMatching(/NOPE/) },
    });
    const malformed = await get('/api/instruments/MCX:GOLD');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('refuses a caller without credentials', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/instruments' });
    expect(response.statusCode).toBe(401);
  });
});
