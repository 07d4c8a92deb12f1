// The server → client messages of the live stream (schemas in @kitepilot/api-contract live.ts), built once per event
// as frames every client shares; each client adds its own `seq` when it sends one.
import type {
  FillRowBody,
  LiveMessageOf,
  LiveServerMessageType,
  OrderRowBody,
  PositionRowBody,
} from '@kitepilot/api-contract';
import { barRow, tickRow } from '@kitepilot/market-data';
import {
  addPaise,
  formatIst,
  paise,
  paiseToRupeesString,
  subPaise,
  type AccountId,
  type Bar,
  type Fill,
  type InstrumentId,
  type InstrumentTick,
  type Order,
  type Paise,
  type Position,
} from '@kitepilot/core';
import type { Alert, Portfolio } from '@kitepilot/engine';
import { fillRow, orderRow, positionRow } from '../http/routes/trading-reads.ts';
import type { LiveFrame } from './live-outbox.ts';

/** A message without its per-connection `seq`. */
export type LiveBody<T extends LiveServerMessageType> = Omit<LiveMessageOf<T>, 'seq'>;

/** Returns the frame of a message; `key` coalesces it with a pending frame of the same key (null: never). */
export function liveFrame<T extends LiveServerMessageType>(body: LiveBody<T>, key: string | null): LiveFrame {
  return { type: body.type, key, body: JSON.stringify(body) };
}

/** Returns the `connection` frame of a connection state (coalesced; not sent again to a client that has it). */
export function connectionFrame(body: LiveBody<'connection'>): LiveFrame & { readonly state: string } {
  return { ...liveFrame<'connection'>(body, 'connection'), state: JSON.stringify({ ...body, at: null }) };
}

const rupees = (p: Paise): string => paiseToRupeesString(p);
const rupeesOrNull = (p: Paise | null): string | null => (p === null ? null : paiseToRupeesString(p));

/** Returns the `tick` frame of an instrument's tick (coalesced per instrument). */
export function tickFrame(tick: InstrumentTick): LiveFrame {
  // tickRow keeps the Tick's mode, which is one of the schema's three literals.
  const row = tickRow(tick) as LiveBody<'tick'>['tick'];
  return liveFrame<'tick'>({ type: 'tick', tick: row }, `tick|${tick.instrumentId}`);
}

/** Returns the `bar` frame of a closed bar (coalesced per instrument and interval). */
export function barFrame(bar: Bar): LiveFrame {
  const row = barRow(bar) as LiveBody<'bar'>['bar'];
  return liveFrame<'bar'>({ type: 'bar', bar: row }, `bar|${bar.instrumentId}|${bar.interval}`);
}

/** Returns the `order` frame of an order after `event` (never coalesced). */
export function orderFrame(order: Order, event: string | null, snapshot: boolean): LiveFrame {
  const row: OrderRowBody = orderRow(order);
  return liveFrame<'order'>({ type: 'order', snapshot, event, order: row }, null);
}

/** Returns the `fill` frame of a fill (never coalesced). */
export function fillFrame(fill: Fill, snapshot: boolean): LiveFrame {
  const row: FillRowBody = fillRow(fill);
  return liveFrame<'fill'>({ type: 'fill', snapshot, fill: row }, null);
}

/** Returns the `position` frame of a position (coalesced per instrument and product). */
export function positionFrame(position: Position, snapshot: boolean): LiveFrame {
  const row: PositionRowBody = positionRow(position);
  return liveFrame<'position'>(
    { type: 'position', snapshot, position: row },
    `position|${position.instrumentId}|${position.product}`,
  );
}

/** Returns the `alert` frame of an engine alert (never coalesced). */
export function alertFrame(alert: Alert, snapshot = false): LiveFrame {
  return liveFrame<'alert'>(
    {
      type: 'alert',
      snapshot,
      level: alert.level,
      code: alert.code,
      message: alert.message,
      strategyId: alert.strategyId,
      at: formatIst(alert.ts),
      atUtc: new Date(alert.ts).toISOString(),
    },
    null,
  );
}

/** What the P&L and exposure messages read from a portfolio. */
export type PortfolioReads = Pick<
  Portfolio,
  | 'realisedTodayPaise'
  | 'chargesTodayPaise'
  | 'totalUnrealisedPnlPaise'
  | 'positions'
  | 'openPositions'
  | 'exposurePaise'
  | 'totalExposurePaise'
  | 'marginUsedPaise'
  | 'marginAvailablePaise'
  | 'markPaise'
  | 'unrealisedPnlPaise'
>;

/** Returns the `pnl` frame: today's realised, unrealised, charges and net, and how much of the loss cap is used. */
export function pnlFrame(
  accountId: AccountId,
  portfolio: PortfolioReads,
  lossCapPaise: Paise,
  nowMs: number,
  snapshot: boolean,
): LiveFrame {
  const realised = portfolio.realisedTodayPaise();
  const charges = portfolio.chargesTodayPaise();
  const unrealised = portfolio.totalUnrealisedPnlPaise();
  const net = addPaise(subPaise(realised, charges), unrealised);
  const used = net < 0 ? paise(-net) : paise(0);
  return liveFrame<'pnl'>(
    {
      type: 'pnl',
      snapshot,
      accountId,
      realisedPaise: realised,
      realised: rupees(realised),
      unrealisedPaise: unrealised,
      unrealised: rupees(unrealised),
      chargesPaise: charges,
      charges: rupees(charges),
      netPaise: net,
      net: rupees(net),
      lossCapPaise,
      lossCap: rupees(lossCapPaise),
      lossCapUsedPaise: used,
      lossCapUsed: rupees(used),
      at: formatIst(nowMs),
    },
    'pnl',
  );
}

/** Returns the `exposure` frame: open exposure by instrument, the total and the paper margin. */
export function exposureFrame(
  accountId: AccountId,
  portfolio: PortfolioReads,
  nowMs: number,
  snapshot: boolean,
): LiveFrame {
  const open = portfolio.openPositions();
  const byInstrument = new Map<InstrumentId, Position[]>();
  for (const p of open) byInstrument.set(p.instrumentId, [...(byInstrument.get(p.instrumentId) ?? []), p]);
  const instruments = [...byInstrument].map(([instrumentId, positions]) => {
    let unrealised: Paise | null = null;
    for (const p of positions) {
      const u = portfolio.unrealisedPnlPaise(p.instrumentId, p.product);
      if (u !== null) unrealised = addPaise(unrealised ?? paise(0), u);
    }
    const exposure = portfolio.exposurePaise(instrumentId);
    return {
      instrumentId,
      netQty: positions.reduce((sum, p) => sum + p.netQty, 0),
      markPaise: portfolio.markPaise(instrumentId),
      exposurePaise: exposure,
      exposure: rupees(exposure),
      unrealisedPaise: unrealised,
      unrealised: rupeesOrNull(unrealised),
    };
  });
  const total = portfolio.totalExposurePaise();
  const marginUsed = portfolio.marginUsedPaise();
  const marginAvailable = portfolio.marginAvailablePaise();
  return liveFrame<'exposure'>(
    {
      type: 'exposure',
      snapshot,
      accountId,
      totalPaise: total,
      total: rupees(total),
      marginUsedPaise: marginUsed,
      marginUsed: rupees(marginUsed),
      marginAvailablePaise: marginAvailable,
      marginAvailable: rupeesOrNull(marginAvailable),
      openPositions: open.length,
      instruments,
      at: formatIst(nowMs),
    },
    'exposure',
  );
}

/** Returns an `error` frame answering a client message (never coalesced). */
export function errorFrame(
  code: LiveBody<'error'>['code'],
  message: string,
  details: unknown = null,
): LiveFrame {
  return liveFrame<'error'>({ type: 'error', code, message, details }, null);
}

/** Returns the `pong` frame answering a client ping. */
export function pongFrame(id: string | number | null, nowMs: number): LiveFrame {
  return liveFrame<'pong'>({ type: 'pong', id, serverTime: new Date(nowMs).toISOString() }, null);
}
