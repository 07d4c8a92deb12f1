import { describe, expect, it } from 'vitest';
import type { BarInterval } from '@kitepilot/core';
import { readLiveRequest } from './live-client-message.ts';

const BARS: readonly BarInterval[] = ['1m', '5m'];

describe('readLiveRequest', () => {
  it('reads a subscribe, normalising EXCHANGE:SYMBOL to the instrument id', () => {
    const result = readLiveRequest(
      JSON.stringify({ type: 'subscribe', instruments: ['NSE:INFY', 'RELIANCE.NSE'], bars: ['1m'] }),
      BARS,
    );
    expect(result).toEqual({
      ok: true,
      request: { type: 'subscribe', instruments: ['INFY.NSE', 'RELIANCE.NSE'], bars: ['1m'] },
    });
  });

  it('reads an unsubscribe and a ping with and without an id', () => {
    expect(readLiveRequest('{"type":"unsubscribe","instruments":["NSE:INFY"]}', BARS)).toEqual({
      ok: true,
      request: { type: 'unsubscribe', instruments: ['INFY.NSE'] },
    });
    expect(readLiveRequest('{"type":"ping","id":7}', BARS)).toEqual({
      ok: true,
      request: { type: 'ping', id: 7 },
    });
    expect(readLiveRequest('{"type":"ping"}', BARS)).toEqual({
      ok: true,
      request: { type: 'ping', id: null },
    });
  });

  it('refuses binary frames, non-JSON and non-objects', () => {
    expect(readLiveRequest(null, BARS)).toMatchObject({ ok: false, message: /binary/ });
    expect(readLiveRequest('{oops', BARS)).toMatchObject({ ok: false, message: /not JSON/ });
    expect(readLiveRequest('[1,2]', BARS)).toMatchObject({ ok: false, message: /JSON object/ });
  });

  it('names an unknown type and the accepted ones', () => {
    const result = readLiveRequest('{"type":"trade","qty":5}', BARS);
    expect(result).toMatchObject({ ok: false, details: { type: 'trade' } });
    expect(result.ok ? '' : result.message).toBe(
      'unknown message type "trade": expected one of subscribe, unsubscribe, ping',
    );
  });

  it('names the field that breaks the schema', () => {
    const wrong = readLiveRequest('{"type":"subscribe","instruments":"NSE:INFY"}', BARS);
    expect(wrong).toMatchObject({ ok: false, details: { path: '/instruments' } });
    expect(wrong.ok ? '' : wrong.message).toMatch(/^subscribe: \/instruments /);
    const extra = readLiveRequest('{"type":"ping","id":1,"x":2}', BARS);
    expect(extra).toMatchObject({ ok: false });
    const empty = readLiveRequest('{"type":"subscribe","instruments":[]}', BARS);
    expect(empty).toMatchObject({ ok: false, details: { path: '/instruments' } });
  });

  it('names a malformed instrument and an interval the process does not build', () => {
    const bad = readLiveRequest('{"type":"subscribe","instruments":["NSE:INFY","XXX:FOO"]}', BARS);
    expect(bad).toMatchObject({ ok: false, details: { instrument: 'XXX:FOO' } });
    expect(bad.ok ? '' : bad.message).toContain('"XXX:FOO"');
    const interval = readLiveRequest(
      '{"type":"subscribe","instruments":["NSE:INFY"],"bars":["1m","15m"]}',
      BARS,
    );
    expect(interval.ok ? '' : interval.message).toBe(
      'subscribe: bar interval 15m is not built here (available: 1m, 5m)',
    );
  });
});
