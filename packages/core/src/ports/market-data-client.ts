import type { BrokerConnected, BrokerDisconnected, TickReceived } from '../model/events.ts';
import type { TickMode } from '../model/tick.ts';

/** What a market data client pushes: ticks and connection changes. */
export type MarketDataEvent = TickReceived | BrokerConnected | BrokerDisconnected;

/** Receives market data events in arrival order. */
export type MarketDataHandler = (event: MarketDataEvent) => void;

/**
 * A live or replayed source of ticks (Kite ticker, simulator, replay). Subscriptions are by broker
 * instrument token; the client re-subscribes on its own after a reconnect (kite-connect.md §5.7).
 */
export interface MarketDataClient {
  /** Sets the handler that receives every event; call before connect. */
  setHandler(handler: MarketDataHandler): void;
  /** Opens the connection; resolves once connected. */
  connect(): Promise<void>;
  /** Closes the connection without reconnecting. */
  disconnect(): Promise<void>;
  /** Subscribes `tokens` in `mode`. */
  subscribe(tokens: readonly number[], mode: TickMode): void;
  /** Unsubscribes `tokens`. */
  unsubscribe(tokens: readonly number[]): void;
  /** Changes the mode of already-subscribed `tokens`. */
  setMode(tokens: readonly number[], mode: TickMode): void;
}
