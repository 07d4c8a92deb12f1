// The trading environment a server process runs, if any: the control routes and the postback route reach it here.
import type { TradingEnvironment } from './trading-environment.ts';

/** A running trading environment and the broker-side hooks that come with it. */
export interface RunningTrading {
  readonly env: TradingEnvironment;
  /** Takes a postback body whose checksum the HTTP edge verified (live Kite trading only). */
  readonly onPostback?: (body: Record<string, unknown>) => void;
  /** Stops trading (and its market data feed when it owns one); returns when everything is flushed. */
  close(): Promise<void>;
}

/** Where the server keeps its running trading environment (null when none runs). */
export interface TradingSlot {
  current: RunningTrading | null;
}
