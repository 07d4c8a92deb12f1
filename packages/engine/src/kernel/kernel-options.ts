// The kernel's public types: what it is built from, what it counts, and inputs as adapters push them.
import type { AccountId, Clock, IdGenerator, Logger, NseCalendar, RunId } from '@kitepilot/core';
import type { JournalSink } from '../journal/journal-sink.ts';
import type { OrderStore } from '../orders/order-store.ts';
import type { TradingCore } from '../orders/trading-core.ts';
import type { InstrumentCatalog } from './instrument-catalog.ts';
import type { KernelInput, KernelInputKind } from './kernel-input.ts';
import type { Bus } from './topics.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A kernel input as pushed by an adapter, timer or operator: the kernel adds `at` when it handles it. */
export type KernelInputWithoutAt = DistributiveOmit<KernelInput, 'at'>;

/** What the kernel is built from. */
export interface KernelOptions {
  readonly accountId: AccountId;
  readonly runId: RunId;
  /** The time source; wrapped in a KernelClock unless it is one (share that one with the order manager). */
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly bus: Bus;
  readonly trading: TradingCore;
  readonly instruments: InstrumentCatalog;
  readonly calendar: NseCalendar;
  readonly logger: Logger;
  readonly signals: Pick<OrderStore, 'insertSignal'>;
  /** Records every handled input. */
  readonly journal?: JournalSink;
  /** Replay of a journal: no clock timer is set, because the journal carries the timer inputs. */
  readonly replay?: boolean;
  /** Closed bars kept per instrument × interval (default 1000, at least 500). */
  readonly barHistoryCapacity?: number;
}

/** Counters of the kernel since it was created. */
export interface KernelStats {
  readonly inputs: Readonly<Record<KernelInputKind, number>>;
  readonly strategies: number;
  readonly strategiesHalted: number;
  /** The longest the inbound queue has been. */
  readonly queueHighWater: number;
  readonly queued: number;
  /** Trading calls and signal writes run for strategies. */
  readonly strategyActions: number;
  /** Timer inputs ignored because their timer had been cancelled or re-set later. */
  readonly staleTimers: number;
  /** Bars ignored because a newer bar of the same instrument and interval was already stored. */
  readonly staleBars: number;
  /** Inputs pushed after stop(): not handled, not journaled. */
  readonly ignoredAfterStop: number;
}

/** Handles a fired timer of a registered owner (e.g. the scheduler). */
export type TimerHandler = (name: string) => Promise<void> | void;
