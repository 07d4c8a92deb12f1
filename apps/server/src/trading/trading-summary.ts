// What a paper or live run did: counts, denials with reasons, and P&L — printed by `kitepilot paper` and stored as
// the run's summary.
import { paiseToRupeesString, type Paise, type RiskCheckCode } from '@kitepilot/core';
import type { Bus, Kernel, Portfolio, TradingStats } from '@kitepilot/engine';

/** One risk denial as the summary lists it. */
export interface DenialSummary {
  readonly intentId: string;
  readonly strategyId: string;
  readonly code: RiskCheckCode;
  readonly reason: string;
}

/** The summary of a run. */
export interface TradingSummary {
  readonly signals: number;
  readonly intents: number;
  readonly allowed: number;
  readonly denied: number;
  readonly ordersSent: number;
  readonly fills: number;
  readonly orderRejections: number;
  /** The first 50 denials with their reasons. */
  readonly denials: readonly DenialSummary[];
  readonly strategiesHalted: readonly { readonly strategyId: string; readonly error: string }[];
  readonly alerts: number;
  readonly pnl: {
    readonly realisedPaise: Paise;
    readonly chargesPaise: Paise;
    readonly realisedNetPaise: Paise;
    readonly unrealisedPaise: Paise;
    readonly realisedNet: string;
    readonly unrealised: string;
    readonly charges: string;
  };
  readonly openPositions: number;
  readonly missedUpdates: number;
}

const MAX_DENIALS = 50;

/** Counts what the kernel publishes on the bus for a run's summary. */
export class TradingSummaryCollector {
  #signals = 0;
  #rejections = 0;
  #alerts = 0;
  readonly #denials: DenialSummary[] = [];
  readonly #halted: { strategyId: string; error: string }[] = [];

  /** Subscribes to the bus. */
  constructor(bus: Bus) {
    bus.subscribe('signal', () => {
      this.#signals++;
    });
    bus.subscribe('risk-decision', (d) => {
      if (d.decision === 'deny' && this.#denials.length < MAX_DENIALS) {
        this.#denials.push({
          intentId: d.intentId,
          strategyId: d.strategyId,
          code: d.code,
          reason: d.reason,
        });
      }
    });
    bus.subscribe('order', (u) => {
      if (u.event.type === 'OrderRejected') this.#rejections++;
    });
    bus.subscribe('alert', () => {
      this.#alerts++;
    });
    bus.subscribe('strategy-halted', (h) => {
      this.#halted.push({ strategyId: h.strategyId, error: h.error });
    });
  }

  /** Returns the summary now. */
  summary(portfolio: Portfolio, stats: TradingStats, kernel: Pick<Kernel, 'stats'>): TradingSummary {
    void kernel;
    const denied = Object.values(stats.denied).reduce((a, b) => a + (b ?? 0), 0);
    const realised = portfolio.realisedTodayPaise();
    const charges = portfolio.chargesTodayPaise();
    const net = portfolio.realisedNetTodayPaise();
    const unrealised = portfolio.totalUnrealisedPnlPaise();
    return {
      signals: this.#signals,
      intents: stats.intents,
      allowed: stats.allowed,
      denied,
      ordersSent: stats.ordersSent,
      fills: stats.fills,
      orderRejections: this.#rejections,
      denials: [...this.#denials],
      strategiesHalted: [...this.#halted],
      alerts: this.#alerts,
      pnl: {
        realisedPaise: realised,
        chargesPaise: charges,
        realisedNetPaise: net,
        unrealisedPaise: unrealised,
        realisedNet: paiseToRupeesString(net),
        unrealised: paiseToRupeesString(unrealised),
        charges: paiseToRupeesString(charges),
      },
      openPositions: portfolio.openPositions().length,
      missedUpdates: stats.missedUpdates,
    };
  }
}
