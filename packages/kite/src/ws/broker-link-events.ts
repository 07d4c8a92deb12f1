import type { AccountId, BrokerConnected, BrokerDisconnected } from '@kitepilot/core';
import type { TickerConnectedEvent, TickerDisconnectedEvent, TickerGap } from './ticker-events.ts';

/** Returns the start of the missing data of a gap: the last message received, else the drop itself. */
export function gapStartMs(gap: TickerGap): number {
  return gap.lastMessageAt ?? gap.disconnectedAt;
}

/** Returns the kernel's BrokerDisconnected for a ticker drop (gapEndMs null: still down). */
export function tickerDisconnectedToBrokerEvent(
  e: TickerDisconnectedEvent,
  accountId: AccountId | null,
  tsInit: number,
): BrokerDisconnected {
  return {
    type: 'BrokerDisconnected',
    accountId,
    link: 'market-data',
    gapStartMs: gapStartMs(e.gap),
    gapEndMs: null,
    reason: `ticker connection ${e.connection}: ${e.reason}`,
    tsEvent: e.gap.disconnectedAt,
    tsInit,
  };
}

/**
 * Returns the kernel events for a ticker (re)connection: BrokerConnected, preceded on a reconnection by
 * the BrokerDisconnected whose gap is now closed, so market data can repair [gapStartMs, gapEndMs].
 */
export function tickerConnectedToBrokerEvents(
  e: TickerConnectedEvent,
  accountId: AccountId | null,
  tsInit: number,
): (BrokerConnected | BrokerDisconnected)[] {
  const connected: BrokerConnected = {
    type: 'BrokerConnected',
    accountId,
    link: 'market-data',
    tsEvent: e.connectedAt,
    tsInit,
  };
  if (e.gap === null) return [connected];
  const closed: BrokerDisconnected = {
    type: 'BrokerDisconnected',
    accountId,
    link: 'market-data',
    gapStartMs: gapStartMs(e.gap),
    gapEndMs: e.gap.reconnectedAt ?? e.connectedAt,
    reason: `ticker connection ${e.connection} was down`,
    tsEvent: e.gap.disconnectedAt,
    tsInit,
  };
  return [closed, connected];
}
