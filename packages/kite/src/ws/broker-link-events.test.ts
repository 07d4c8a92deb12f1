import { describe, expect, it } from 'vitest';
import { tickerConnectedToBrokerEvents, tickerDisconnectedToBrokerEvent } from './broker-link-events.ts';

const gap = { disconnectedAt: 2000, reconnectedAt: null, lastMessageAt: 1500 };

describe('tickerDisconnectedToBrokerEvent', () => {
  it('starts the gap at the last message received and leaves its end open', () => {
    expect(
      tickerDisconnectedToBrokerEvent(
        { connection: 1, reason: 'socket closed with code 1006', gap, tokens: [1], willReconnect: true },
        null,
        9,
      ),
    ).toEqual({
      type: 'BrokerDisconnected',
      accountId: null,
      link: 'market-data',
      gapStartMs: 1500,
      gapEndMs: null,
      reason: 'ticker connection 1: socket closed with code 1006',
      tsEvent: 2000,
      tsInit: 9,
    });
  });
});

describe('tickerConnectedToBrokerEvents', () => {
  it('returns only BrokerConnected on the first connection', () => {
    expect(
      tickerConnectedToBrokerEvents({ connection: 0, connectedAt: 100, gap: null, tokens: [] }, null, 7),
    ).toEqual([{ type: 'BrokerConnected', accountId: null, link: 'market-data', tsEvent: 100, tsInit: 7 }]);
  });

  it('closes the gap window on a reconnection', () => {
    const events = tickerConnectedToBrokerEvents(
      { connection: 0, connectedAt: 2600, gap: { ...gap, reconnectedAt: 2600 }, tokens: [] },
      null,
      7,
    );
    expect(events.map((e) => e.type)).toEqual(['BrokerDisconnected', 'BrokerConnected']);
    expect(events[0]).toMatchObject({ gapStartMs: 1500, gapEndMs: 2600 });
  });
});
