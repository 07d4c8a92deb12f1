// One hosted strategy: its instance, its context, its lifecycle state and the intents it made.
import type { IntentId, StrategyId } from '@kitepilot/core';
import type { Strategy, StrategyContext } from '../sdk/strategy.ts';

/** Where a hosted strategy is in its life: added, running, halted after a throw, or stopped. */
export type StrategyState = 'added' | 'running' | 'halted' | 'stopped';

/** A hosted strategy and its bookkeeping (owned by StrategyHost). */
export interface StrategySlot {
  readonly id: StrategyId;
  readonly name: string;
  readonly strategy: Strategy;
  /** Set once the context exists (right after the slot). */
  ctx: StrategyContext;
  state: StrategyState;
  /** True while one of its handlers runs: context actions are accepted only then. */
  active: boolean;
  /** Intents this strategy submitted in this process (ownership check for modify/cancel). */
  readonly intents: Set<IntentId>;
  /** Why it halted (handler and message), or null. */
  haltReason: string | null;
}
