// What the strategy host needs from the kernel it runs in; the kernel implements it, tests may fake it.
import type {
  AccountId,
  Bar,
  BarInterval,
  Clock,
  IdGenerator,
  InstrumentId,
  Logger,
  NseCalendar,
  RunId,
  Tick,
} from '@kitepilot/core';
import type { InstrumentCatalog } from '../kernel/instrument-catalog.ts';
import type { Bus } from '../kernel/topics.ts';
import type { TradingCore } from '../orders/trading-core.ts';
import type { StrategyAction } from './strategy-action.ts';

/** The kernel services behind every StrategyContext. */
export interface StrategyHostPorts {
  readonly accountId: AccountId;
  readonly runId: RunId;
  /** The kernel clock: reads the time of the input being handled. */
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly bus: Bus;
  readonly calendar: NseCalendar;
  readonly logger: Logger;
  readonly instruments: InstrumentCatalog;
  readonly trading: Pick<TradingCore, 'position' | 'openOrders'>;
  /** Returns the last tick of the instrument, or null. */
  lastTick(instrumentId: InstrumentId): Tick | null;
  /** Returns up to `count` closed bars, oldest first. */
  bars(instrumentId: InstrumentId, interval: BarInterval, count?: number): readonly Bar[];
  /** Queues an action to run after the current handler returns. */
  enqueue(action: StrategyAction): void;
  /** Returns a mark of the action queue, to drop what a failing handler queued. */
  actionMark(): number;
  /** Drops the submit/modify/cancel actions queued since `mark` (signals already published stay persisted). */
  discardActionsSince(mark: number): void;
  /** Sets the kernel timer `name` of `owner` (`strategy:<id>`) at `atMs`. */
  setTimer(owner: string, name: string, atMs: number): void;
  /** Cancels the kernel timer `name` of `owner`. */
  cancelTimer(owner: string, name: string): void;
}
