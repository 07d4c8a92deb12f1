// What a strategy handler asked for, queued by its context and run by the kernel after the handler returns, in
// the order asked (handlers stay synchronous; the trading calls they cause are awaited one at a time).
import type { IntentId, OrderIntent, Signal } from '@kitepilot/core';
import type { ModifyRequest } from '../sdk/strategy.ts';

/** One queued consequence of a strategy handler. */
export type StrategyAction =
  | { readonly kind: 'submit'; readonly intent: OrderIntent }
  | { readonly kind: 'modify'; readonly intentId: IntentId; readonly changes: ModifyRequest }
  | { readonly kind: 'cancel'; readonly intentId: IntentId; readonly reason: string }
  /** Persist a signal that was already published. */
  | { readonly kind: 'signal'; readonly signal: Signal };
