import {
  InvariantError,
  paise,
  type Instrument,
  type OrderIntent,
  type Paise,
  type RiskCheckCode,
  type RiskDecision,
} from '@kitepilot/core';
import { describeIntent, type CheckContext, type CheckScope } from './checks/check-context.ts';
import { MAX_FREEZE_SLICES } from './checks/instrument-checks.ts';
import { exposureAfter } from './exposure.ts';
import { freezeSlices, maxSliceQty } from './freeze-slices.ts';
import { classifyIntent, referencePricePaise } from './intent-classification.ts';
import { estimateMarginPaise, type MarginRates, DEFAULT_MARGIN_RATES } from './margin-estimate.ts';
import { RISK_CHECKS } from './risk-checks.ts';
import { formatPaise } from './risk-format.ts';
import { riskInputs } from './risk-inputs.ts';
import { makeRiskLimits } from './risk-limits.ts';
import type { MonitorAction, RiskEngine, RiskLimits, RiskSnapshot } from './risk-types.ts';
import { worstCaseDailyPnl } from './worst-case.ts';

/** Returns the child quantities of an intent above the freeze quantity when it is to be sliced, else null. */
function planSlices(
  intent: OrderIntent,
  instrument: Instrument | null,
  limits: RiskLimits,
  system: boolean,
): number[] | null {
  if (instrument === null || instrument.freezeQty === null || intent.qty <= instrument.freezeQty) return null;
  if (intent.qty % instrument.lotSize !== 0) return null;
  // A flatten must never be refused for its size, so system orders are sliced whatever the policy.
  if (limits.freezeQtyPolicy === 'deny' && !system) return null;
  const count = Math.ceil(intent.qty / maxSliceQty(instrument.lotSize, instrument.freezeQty));
  if (count > MAX_FREEZE_SLICES) return null;
  return freezeSlices(intent.qty, instrument.lotSize, instrument.freezeQty);
}

function applies(scope: CheckScope, ctx: CheckContext): boolean {
  if (scope === 'every-order') return true;
  if (ctx.snapshot.origin === 'system') return false;
  return scope === 'strategy-orders' || ctx.classification.kind === 'entry';
}

/**
 * The pre-trade RiskEngine: runs RISK_CHECKS in RISK_CHECK_CODES order and returns the first failure as a denial
 * with a reason carrying the values, else an allow; every decision carries a JSON copy of its inputs. Pure: no
 * clock, no I/O (decidedAt is the snapshot's time).
 */
export class DefaultRiskEngine implements RiskEngine {
  /** The validated limits this engine enforces. */
  readonly limits: RiskLimits;
  readonly #marginRates: MarginRates;

  constructor(limits: RiskLimits, marginRates: MarginRates = DEFAULT_MARGIN_RATES) {
    this.limits = makeRiskLimits(limits);
    this.#marginRates = marginRates;
  }

  /** Decides on one intent (DESIGN.md invariants 1 and 4). */
  check(intent: OrderIntent, snapshot: RiskSnapshot): RiskDecision {
    const instrument = snapshot.instrument;
    if (instrument !== null && instrument.id !== intent.instrumentId) {
      throw new InvariantError(
        `risk snapshot for intent ${intent.id} carries instrument ${instrument.id}, not ${intent.instrumentId}`,
      );
    }
    const ctx = this.#context(intent, snapshot);
    for (const check of RISK_CHECKS) {
      if (!applies(check.scope, ctx)) continue;
      const result = check.run(ctx);
      if (!result.ok) return this.#decision(ctx, 'deny', check.code, result.reason);
    }
    return this.#decision(ctx, 'allow', 'ok', allowReason(ctx));
  }

  /** At realised + unrealised ≤ −cap asks to cancel open orders, flatten and halt entries for the day. */
  monitor(snapshot: RiskSnapshot): MonitorAction {
    let pnl = BigInt(snapshot.realisedPnlTodayPaise);
    for (const p of snapshot.positions) {
      // A position with no mark yet has no known unrealised P&L; it counts once its first price arrives.
      if (p.markPaise !== null) pnl += BigInt(p.netQty) * BigInt(p.markPaise) - BigInt(p.costBasisPaise);
    }
    return this.#monitorTotal(pnl);
  }

  /** Decides from the day's P&L already summed (the order manager's per-tick path). */
  monitorPnl(pnlPaise: Paise): MonitorAction {
    return this.#monitorTotal(BigInt(pnlPaise));
  }

  #monitorTotal(pnl: bigint): MonitorAction {
    const cap = this.limits.dailyLossCapPaise;
    if (pnl > -BigInt(cap)) return { action: 'none' };
    const safe = Number(pnl);
    if (!Number.isSafeInteger(safe)) throw new InvariantError(`day P&L ${pnl} paise is beyond safe integers`);
    return {
      action: 'flatten-and-halt',
      reason: `daily loss cap hit: realised + unrealised P&L is ${formatPaise(pnl)}, at or beyond the cap of −${formatPaise(cap)}; cancelling open orders, flattening every position and halting entries for the day`,
      pnlPaise: paise(safe),
    };
  }

  #context(intent: OrderIntent, snapshot: RiskSnapshot): CheckContext {
    const instrument = snapshot.instrument;
    const classification = classifyIntent(intent, snapshot);
    const ref = referencePricePaise(intent, snapshot);
    const slices = planSlices(intent, instrument, this.limits, snapshot.origin === 'system');
    const margin =
      snapshot.marginAvailablePaise === null ||
      instrument === null ||
      ref === null ||
      classification.entryQty === 0
        ? null
        : estimateMarginPaise(
            instrument,
            intent.product,
            intent.side,
            classification.entryQty,
            ref,
            this.#marginRates,
          );
    return {
      intent,
      snapshot,
      limits: this.limits,
      classification,
      referencePricePaise: ref,
      slices,
      orderCount: slices?.length ?? 1,
      worstCase: worstCaseDailyPnl(snapshot, intent),
      exposure: instrument === null ? null : exposureAfter(intent, snapshot, ref),
      margin,
    };
  }

  #decision(
    ctx: CheckContext,
    decision: 'allow' | 'deny',
    code: RiskCheckCode,
    reason: string,
  ): RiskDecision {
    return {
      accountId: ctx.intent.accountId,
      intentId: ctx.intent.id,
      strategyId: ctx.intent.strategyId,
      decision,
      code,
      reason,
      slices: decision === 'allow' && ctx.slices !== null ? [...ctx.slices] : null,
      inputs: riskInputs(ctx),
      decidedAt: ctx.snapshot.nowMs,
    };
  }
}

function allowReason(ctx: CheckContext): string {
  const what = describeIntent(ctx.intent);
  const sliced =
    ctx.slices === null ? '' : `, sent as ${ctx.slices.length} orders of ${ctx.slices.join(', ')}`;
  if (ctx.snapshot.origin === 'system') return `allowed system order ${what}${sliced}`;
  if (ctx.classification.kind === 'exit') return `allowed exit ${what}${sliced}`;
  const total = ctx.worstCase.totalPaise ?? 0n;
  const loss = total < 0n ? -total : 0n;
  return `allowed entry ${what}${sliced}; worst-case loss ${formatPaise(loss)} of the daily loss cap ${formatPaise(ctx.limits.dailyLossCapPaise)}`;
}
