// The kernel's outputs: typed topics on the in-process bus. Subscribers (journal, store writer, metrics, live
// stream, CLI summaries) observe; they never feed back into the kernel except by pushing a new KernelInput.
import type {
  Bar,
  Fill,
  InstrumentTick,
  OrderIntent,
  Order,
  OrderLifecycleEvent,
  Position,
  RiskDecision,
  Signal,
  StrategyId,
} from '@kitepilot/core';
import type { OperatorCommand } from './kernel-input.ts';

/** How loud an alert is. */
export type AlertLevel = 'info' | 'warning' | 'critical';

/** Something the owner must know about (shown in the UI and logs; critical ones also notify). */
export interface Alert {
  readonly level: AlertLevel;
  /** Stable machine code, e.g. `strategy-halted`, `loss-cap-hit`, `missed-postback`, `degraded-to-paper`. */
  readonly code: string;
  readonly message: string;
  readonly strategyId: StrategyId | null;
  readonly ts: number;
}

/** An order event together with the order after it (null for OrderDenied, which has no order). */
export interface OrderUpdate {
  readonly event: OrderLifecycleEvent;
  readonly order: Order | null;
}

/** A strategy stopped handling events because one of its handlers threw. */
export interface StrategyHalted {
  readonly strategyId: StrategyId;
  readonly handler: string;
  readonly error: string;
  readonly ts: number;
}

/** The state of trading controls after a change. */
export interface TradingControls {
  readonly killSwitch: boolean;
  /** Accounts halted for the rest of the day, with the reason. */
  readonly halted: Readonly<Record<string, string>>;
  readonly ts: number;
}

/** Every topic and the payload it carries. */
export interface KernelTopics {
  tick: InstrumentTick;
  bar: Bar;
  signal: Signal;
  intent: OrderIntent;
  'risk-decision': RiskDecision;
  order: OrderUpdate;
  fill: Fill;
  position: Position;
  alert: Alert;
  'strategy-halted': StrategyHalted;
  controls: TradingControls;
  command: OperatorCommand;
}

/** The name of a topic. */
export type Topic = keyof KernelTopics;

/** A synchronous, in-process publish/subscribe bus over typed topics (the NATS bus implements the same port). */
export interface Bus {
  /** Delivers `payload` to every subscriber of `topic`, in subscription order, before returning. */
  publish<T extends Topic>(topic: T, payload: KernelTopics[T]): void;
  /** Subscribes to `topic`; returns a function that unsubscribes. */
  subscribe<T extends Topic>(topic: T, handler: (payload: KernelTopics[T]) => void): () => void;
}
