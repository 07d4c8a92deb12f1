import {
  InvariantError,
  type CheckResult,
  type Instrument,
  type OrderIntent,
  type Paise,
  type RiskCheckCode,
} from '@kitepilot/core';
import type { ExposureAfter } from '../exposure.ts';
import type { IntentClassification } from '../intent-classification.ts';
import type { MarginEstimate } from '../margin-estimate.ts';
import type { RiskLimits, RiskSnapshot } from '../risk-types.ts';
import type { WorstCaseDailyPnl } from '../worst-case.ts';

/** Everything a check reads: the intent, the snapshot, the limits and the figures derived from them once. */
export interface CheckContext {
  readonly intent: OrderIntent;
  readonly snapshot: RiskSnapshot;
  readonly limits: RiskLimits;
  readonly classification: IntentClassification;
  /** Limit, else trigger, else last price, or null. */
  readonly referencePricePaise: Paise | null;
  /** The child quantities when the order is sliced at the freeze quantity, else null. */
  readonly slices: readonly number[] | null;
  /** How many orders the intent sends: its slices, else 1. */
  readonly orderCount: number;
  readonly worstCase: WorstCaseDailyPnl;
  /** Null when the instrument is unknown. */
  readonly exposure: ExposureAfter | null;
  /** The margin estimate of the entry part, or null when margin is not checked or cannot be priced. */
  readonly margin: MarginEstimate | null;
}

/** Which intents a check applies to: every order, strategy orders (entries and exits), or strategy entries. */
export type CheckScope = 'every-order' | 'strategy-orders' | 'strategy-entries';

/** One pre-trade check: its code, scope and pure function. */
export interface RiskCheck {
  readonly code: Exclude<RiskCheckCode, 'ok'>;
  readonly scope: CheckScope;
  readonly run: (ctx: CheckContext) => CheckResult;
}

/** The passing result. */
export const PASS: CheckResult = { ok: true };

/** Returns a failing result with `reason`. */
export function fail(reason: string): CheckResult {
  return { ok: false, reason };
}

/** Returns the instrument of a context that passed `instrument-unknown`; throws when a check runs out of order. */
export function instrumentOf(ctx: CheckContext): Instrument {
  if (ctx.snapshot.instrument === null) {
    throw new InvariantError(`risk check ran before instrument-unknown for ${ctx.intent.instrumentId}`);
  }
  return ctx.snapshot.instrument;
}

/** Returns `BUY 7 NIFTY26NOVFUT.NFO` for an intent. */
export function describeIntent(intent: OrderIntent): string {
  return `${intent.side} ${intent.qty} ${intent.instrumentId}`;
}
