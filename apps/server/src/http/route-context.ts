import type { Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import type { Clock, NseCalendar } from '@kitepilot/core';
import type { Store } from '@kitepilot/store';
import type { Config } from '../config/config-schema.ts';
import type { TradingSlot } from '../trading/trading-slot.ts';

/** What a route module gets: the running process's store, configuration, clock, calendar, logger and metrics. */
export interface RouteContext {
  readonly store: Store;
  readonly config: Config;
  readonly clock: Clock;
  readonly calendar: NseCalendar;
  readonly logger: PinoLogger;
  readonly metrics: Registry;
  /** The trading environment this process runs, if any. */
  readonly trading: TradingSlot;
}
