import type { AccountId, RunId, SignalId, StrategyId } from './ids.ts';
import type { InstrumentId } from './instrument-id.ts';

/** Which way a strategy wants to be in an instrument. */
export type SignalDirection = 'LONG' | 'SHORT' | 'FLAT';

/** A strategy's decision, recorded before (and whether or not) it leads to an order intent. */
export interface Signal {
  readonly id: SignalId;
  readonly accountId: AccountId;
  readonly runId: RunId;
  readonly strategyId: StrategyId;
  readonly instrumentId: InstrumentId;
  readonly direction: SignalDirection;
  /** Optional conviction in [−1, 1] (models), or null. */
  readonly strength: number | null;
  /** Why, in words the trader reads in the journal. */
  readonly reason: string;
  readonly tsEvent: number;
  readonly tsInit: number;
}
