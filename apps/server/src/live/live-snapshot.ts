// What a new live connection gets first: `hello`, the `connection` state and the account's snapshot (positions,
// today's newest orders and fills, P&L and exposure while its trading runs) — read once from the store and the
// running portfolio.
import { LIVE_MAX_INSTRUMENTS } from '@kitepilot/api-contract';
import { formatIst, istDate, type AccountId, type BarInterval, type Position } from '@kitepilot/core';
import type { TradingControls } from '@kitepilot/engine';
import type { Store } from '@kitepilot/store';
import { istDayRange } from '../http/routes/trading-reads.ts';
import {
  connectionFrame,
  exposureFrame,
  fillFrame,
  liveFrame,
  orderFrame,
  pnlFrame,
  positionFrame,
  type LiveBody,
} from './live-messages.ts';
import type { LiveFrame } from './live-outbox.ts';
import type { LiveSources } from './live-sources.ts';

/** What the hub knows besides the sources: the last controls published and the broker link. */
export interface LiveTradingState {
  readonly controls: TradingControls | null;
  readonly brokerLink: string;
  readonly nowMs: number;
}

/** Returns the `connection` message as `accountId` sees it (trading details only for the account traded). */
export async function connectionBody(
  sources: LiveSources,
  accountId: AccountId,
  state: LiveTradingState,
): Promise<LiveBody<'connection'>> {
  const { trading, market } = sources;
  const connections = market === null ? {} : await market.connections();
  const own = trading !== null && trading.accountId === accountId;
  const controls = own ? (state.controls ?? trading.controls()) : null;
  const tradingSimulated = own && trading.simulated;
  return {
    type: 'connection',
    simulated: market?.namespace === 'simulated' || tradingSimulated,
    market: {
      running: market !== null,
      namespace: market?.namespace ?? null,
      ticker: market === null ? 'none' : tickerState(connections),
      connections: { ...connections },
    },
    trading: {
      running: own,
      mode: own ? trading.mode : null,
      simulated: tradingSimulated,
      runId: own ? trading.runId : null,
      broker: !own ? null : trading.mode === 'paper' ? 'paper' : state.brokerLink,
      degraded: own ? trading.degradedReason() : null,
      killSwitch: controls?.killSwitch ?? false,
      halted: controls?.halted[accountId] ?? null,
    },
    at: formatIst(state.nowMs),
  };
}

/** What snapshotFrames reads. */
export interface SnapshotInput {
  readonly store: Pick<Store, 'orders' | 'fills' | 'positions'>;
  readonly sources: LiveSources;
  readonly barIntervals: readonly BarInterval[];
  readonly heartbeatMs: number;
  /** The most orders and fills sent (the newest of today). */
  readonly limit: number;
  readonly nowMs: number;
}

/** Returns the frames a new connection of `accountId` starts with, `connection` second. */
export async function snapshotFrames(
  accountId: AccountId,
  connection: LiveBody<'connection'>,
  input: SnapshotInput,
): Promise<LiveFrame[]> {
  const { store, sources, nowMs, limit } = input;
  const { fromMs, toMs } = istDayRange(istDate(nowMs));
  const trading = sources.trading;
  const own = trading !== null && trading.accountId === accountId;
  const [orders, fills, stored] = await Promise.all([
    store.orders.listBetween(accountId, fromMs, toMs),
    store.fills.listBetween(accountId, fromMs, toMs),
    own ? null : store.positions.list(accountId),
  ]);
  // The running portfolio is ahead of the store (positions are written after the kernel applied the fill).
  const positions: readonly Position[] = own ? trading.portfolio.positions() : (stored ?? []);
  const newestOrders = orders.slice(-limit);
  const newestFills = fills.slice(-limit);
  const hello = liveFrame<'hello'>(
    {
      type: 'hello',
      serverTime: new Date(nowMs).toISOString(),
      serverTimeIst: formatIst(nowMs),
      accountId,
      heartbeatSeconds: Math.max(1, Math.round(input.heartbeatMs / 1000)),
      available: {
        trading: own,
        marketData: sources.market !== null,
        simulated: connection.simulated,
        barIntervals: [...input.barIntervals],
        maxInstruments: LIVE_MAX_INSTRUMENTS,
      },
      snapshot: {
        positions: positions.length,
        orders: newestOrders.length,
        fills: newestFills.length,
        ordersOmitted: orders.length - newestOrders.length,
        fillsOmitted: fills.length - newestFills.length,
      },
    },
    null,
  );
  const frames = [
    hello,
    connectionFrame(connection),
    ...positions.map((p) => positionFrame(p, true)),
    ...newestOrders.map((o) => orderFrame(o, null, true)),
    ...newestFills.map((f) => fillFrame(f, true)),
  ];
  if (own) {
    frames.push(pnlFrame(accountId, trading.portfolio, trading.dailyLossCapPaise, nowMs, true));
    frames.push(exposureFrame(accountId, trading.portfolio, nowMs, true));
  }
  return frames;
}

/** Returns `open` when any ticker connection is open, else the most common state, else `none`. */
function tickerState(connections: Readonly<Record<string, number>>): string {
  if ((connections['open'] ?? 0) > 0) return 'open';
  let best = 'none';
  let count = 0;
  for (const [state, n] of Object.entries(connections)) {
    if (n > count) {
      best = state;
      count = n;
    }
  }
  return best;
}
