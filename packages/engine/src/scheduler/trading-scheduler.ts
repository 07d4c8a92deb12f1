// The trading day's fixed points (issue "Scheduler"): a 09:00 IST pre-flight — trading stays blocked until every
// check passes, with the failing check shown — the square-off cutoff (default 15:20 IST for equity MIS, DESIGN.md
// invariant 5) and the end-of-day close, which arms the next trading day (holidays and weekends skipped through
// the NSE calendar). Its timers run through the kernel, so they fire in the ordered stream and are journaled; its
// decisions reach the order manager as operator commands.
import {
  istDate,
  istToEpochMs,
  formatIst,
  type AccountId,
  type Clock,
  type Logger,
  type NseCalendar,
  type Product,
} from '@kitepilot/core';
import type { KernelInputWithoutAt, TimerHandler } from '../kernel/kernel-options.ts';
import type { Bus, TradingControls } from '../kernel/topics.ts';
import type { TradingTimers } from '../orders/trading-core.ts';

/** One pre-flight check (session valid, instruments synced, trading day, risk profile loaded, square-off armed…). */
export interface PreflightCheck {
  readonly name: string;
  /** Returns whether the check passed and a sentence saying why; a throw counts as a failure. */
  run(): Promise<{ readonly ok: boolean; readonly detail: string }>;
}

/** The latest result of one pre-flight check. */
export interface PreflightResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** When the check finished (epoch ms). */
  readonly at: number;
}

/** What the scheduler shows. */
export interface SchedulerStatus {
  /** The IST trading day armed (`YYYY-MM-DD`). */
  readonly tradingDay: string | null;
  readonly preflight: readonly PreflightResult[];
  /** True once every check passed for the armed day. */
  readonly passed: boolean;
  /** When the pre-flight runs next (first run or retry), or null when it passed or is not armed. */
  readonly nextPreflight: number | null;
  /** When the square-off cutoff fires, or null when it has fired or is not armed. */
  readonly nextCutoff: number | null;
  /** When the end-of-day close fires, or null. */
  readonly nextEodClose: number | null;
}

/** The kernel services the scheduler uses. */
export interface SchedulerKernel {
  push(input: KernelInputWithoutAt): void;
  timerPort(owner: string, onTimer: TimerHandler): TradingTimers;
  readonly bus: Bus;
}

/** What TradingScheduler takes. */
export interface TradingSchedulerOptions {
  readonly clock: Clock;
  readonly calendar: NseCalendar;
  readonly accountId: AccountId;
  readonly kernel: SchedulerKernel;
  readonly preflight: readonly PreflightCheck[];
  /** The square-off cutoff, IST `HH:MM` (default `15:20`), and the product squared off (default MIS). */
  readonly squareOff?: { readonly cutoff?: string; readonly product?: Product };
  /** The end-of-day close, IST `HH:MM` (default `15:35`). */
  readonly eodClose?: string;
  /** The pre-flight time, IST `HH:MM` (default `09:00`). */
  readonly preflightAt?: string;
  /** How long after a failed pre-flight it runs again (default 60 000 ms). */
  readonly preflightRetryMs?: number;
  /**
   * Reads the trading controls; when given, the scheduler lifts only a halt it caused (a loss-cap halt survives a
   * restart's pre-flight) and does not replace another halt with its own.
   */
  readonly controls?: () => TradingControls;
  readonly logger: Logger;
}

const OWNER = 'scheduler';
const ACTOR = 'scheduler';
const PREFLIGHT_REASON = 'pre-flight';

/** Arms and runs the pre-flight, square-off cutoff and end-of-day close of each trading day. */
export class TradingScheduler {
  readonly #clock: Clock;
  readonly #calendar: NseCalendar;
  readonly #accountId: AccountId;
  readonly #kernel: SchedulerKernel;
  readonly #checks: readonly PreflightCheck[];
  readonly #cutoff: string;
  readonly #product: Product;
  readonly #eodClose: string;
  readonly #preflightAt: string;
  readonly #retryMs: number;
  readonly #controls: (() => TradingControls) | undefined;
  readonly #log: Logger;
  readonly #timers: TradingTimers;
  readonly #due = new Map<string, number>();
  #day: string | null = null;
  #cutoffAtMs = 0;
  #results: PreflightResult[] = [];
  #passed = false;
  #attempts = 0;
  #inFlight: Promise<void> | null = null;
  /** True from pushing a pre-flight Halt until pushing its Resume: the halt may still be queued, not yet applied. */
  #ownHalt = false;

  /** Creates the scheduler and registers its timers with the kernel (owner `scheduler`). */
  constructor(options: TradingSchedulerOptions) {
    this.#clock = options.clock;
    this.#calendar = options.calendar;
    this.#accountId = options.accountId;
    this.#kernel = options.kernel;
    this.#checks = options.preflight;
    this.#cutoff = options.squareOff?.cutoff ?? '15:20';
    this.#product = options.squareOff?.product ?? 'MIS';
    this.#eodClose = options.eodClose ?? '15:35';
    this.#preflightAt = options.preflightAt ?? '09:00';
    this.#retryMs = options.preflightRetryMs ?? 60_000;
    this.#controls = options.controls;
    this.#log = options.logger.child({ component: 'scheduler' });
    // Validate the wall times now rather than at the first arm().
    for (const t of [this.#cutoff, this.#eodClose, this.#preflightAt]) istToEpochMs('2026-01-01', t);
    if (!(this.#preflightAt < this.#cutoff && this.#cutoff < this.#eodClose)) {
      throw new RangeError(
        `scheduler times must be ordered pre-flight < cutoff < end of day; got ${this.#preflightAt}, ${this.#cutoff}, ${this.#eodClose}`,
      );
    }
    if (!Number.isSafeInteger(this.#retryMs) || this.#retryMs <= 0) {
      throw new RangeError(`pre-flight retry ${this.#retryMs} ms must be a positive integer`);
    }
    this.#timers = this.#kernel.timerPort(OWNER, (name) => this.#onTimer(name));
  }

  /**
   * Arms the pre-flight, cutoff and end-of-day timers of the current trading day (when `nowMs` is before its
   * end-of-day close) or of the next one. Times already past fire at once: started after 09:00 the pre-flight
   * runs now; started after the cutoff the square-off runs now.
   */
  arm(nowMs: number): void {
    let day = istDate(nowMs);
    if (!this.#calendar.isTradingDay(day) || nowMs >= istToEpochMs(day, this.#eodClose)) {
      day = this.#calendar.nextTradingDay(day);
    }
    this.#day = day;
    this.#results = [];
    this.#passed = false;
    this.#attempts = 0;
    this.#cutoffAtMs = istToEpochMs(day, this.#cutoff);
    this.#cancel('preflight-retry');
    this.#set('preflight', Math.max(nowMs, istToEpochMs(day, this.#preflightAt)));
    this.#set('cutoff', Math.max(nowMs, this.#cutoffAtMs));
    this.#set('eod', istToEpochMs(day, this.#eodClose));
    this.#log.info(
      { tradingDay: day, preflight: this.#due.get('preflight'), cutoff: this.#cutoffAtMs },
      `armed trading day ${day}: pre-flight ${this.#preflightAt}, square-off ${this.#cutoff}, close ${this.#eodClose} IST`,
    );
  }

  /** Runs the pre-flight now (an operator asking again after fixing a check); resolves when it has finished. */
  runPreflight(): Promise<void> {
    if (this.#inFlight !== null) return this.#inFlight;
    this.#cancel('preflight');
    this.#cancel('preflight-retry');
    this.#attempts++;
    if (this.#attempts === 1) this.#halt(`${PREFLIGHT_REASON} pending`);
    this.#inFlight = this.#runChecks().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  /** Resolves when no pre-flight is running. */
  idle(): Promise<void> {
    return this.#inFlight ?? Promise.resolve();
  }

  /** Returns the armed day, each check's latest result and the next fixed points. */
  status(): SchedulerStatus {
    const nextPreflight = this.#passed
      ? null
      : (this.#due.get('preflight') ?? this.#due.get('preflight-retry') ?? null);
    return {
      tradingDay: this.#day,
      preflight: this.#results.slice(),
      passed: this.#passed,
      nextPreflight,
      nextCutoff: this.#due.get('cutoff') ?? null,
      nextEodClose: this.#due.get('eod') ?? null,
    };
  }

  #onTimer(name: string): void {
    this.#due.delete(name);
    switch (name) {
      case 'preflight':
      case 'preflight-retry':
        if (!this.#passed) void this.runPreflight();
        return;
      case 'cutoff':
        this.#squareOff();
        return;
      case 'eod':
        this.#endOfDay();
        return;
      default:
        this.#log.warn({ name }, `unknown scheduler timer ${name}; ignored`);
    }
  }

  async #runChecks(): Promise<void> {
    const wasPassed = this.#passed;
    const results: PreflightResult[] = [];
    for (const check of this.#checks) {
      let outcome: { readonly ok: boolean; readonly detail: string };
      try {
        outcome = await check.run();
      } catch (error) {
        outcome = {
          ok: false,
          detail: `the check threw ${error instanceof Error ? error.message : String(error)}`,
        };
      }
      results.push({ name: check.name, ok: outcome.ok, detail: outcome.detail, at: this.#clock.now() });
    }
    this.#results = results;
    const failed = results.find((r) => !r.ok);
    const now = this.#clock.now();
    if (failed !== undefined) {
      const reason = `${PREFLIGHT_REASON} failed: ${failed.name}: ${failed.detail}`;
      this.#log.warn({ results }, reason);
      this.#halt(reason);
      this.#alert('critical', 'preflight-failed', `${reason}; trading stays blocked`, now);
      if (now + this.#retryMs < this.#cutoffAtMs) this.#set('preflight-retry', now + this.#retryMs);
      return;
    }
    this.#passed = true;
    this.#log.info({ results }, `pre-flight passed for ${this.#day ?? '?'}`);
    // A re-run after a pass lifts nothing: a halt since then (loss cap, operator) is not the pre-flight's.
    if (!wasPassed) this.#resume(`${PREFLIGHT_REASON} passed`);
    this.#alert('info', 'preflight-passed', `pre-flight passed (${results.length} checks)`, now);
  }

  #squareOff(): void {
    const reason = `square-off cutoff ${this.#cutoff} IST`;
    this.#log.info({ tradingDay: this.#day }, reason);
    this.#push({
      kind: 'command',
      command: { type: 'CancelAll', accountId: this.#accountId, strategyId: null, actor: ACTOR, reason },
    });
    this.#push({
      kind: 'command',
      command: {
        type: 'Flatten',
        accountId: this.#accountId,
        instrumentId: null,
        product: this.#product,
        actor: ACTOR,
        reason,
      },
    });
  }

  #endOfDay(): void {
    const now = this.#clock.now();
    this.#alert(
      'info',
      'eod-close',
      `end of trading day ${this.#day ?? istDate(now)} at ${formatIst(now)}`,
      now,
    );
    this.arm(now);
  }

  #halt(reason: string): void {
    const current = this.#controls?.().halted[this.#accountId];
    if (current !== undefined && !current.startsWith(PREFLIGHT_REASON)) {
      this.#log.warn({ current }, `account already halted (${current}); pre-flight keeps that halt`);
      return;
    }
    this.#ownHalt = true;
    this.#push({
      kind: 'command',
      command: { type: 'Halt', accountId: this.#accountId, actor: ACTOR, reason },
    });
  }

  #resume(reason: string): void {
    if (this.#controls !== undefined) {
      const current = this.#controls().halted[this.#accountId];
      // Our Halt may still be queued behind this check (not yet in the controls): it must still be lifted.
      if (current === undefined && !this.#ownHalt) return;
      if (current !== undefined && !current.startsWith(PREFLIGHT_REASON)) {
        this.#log.warn({ current }, `pre-flight passed but the account stays halted: ${current}`);
        return;
      }
    }
    this.#ownHalt = false;
    this.#push({
      kind: 'command',
      command: { type: 'Resume', accountId: this.#accountId, actor: ACTOR, reason },
    });
  }

  #push(input: KernelInputWithoutAt): void {
    try {
      this.#kernel.push(input);
    } catch (error) {
      this.#log.error({ err: error, input }, `scheduler could not push ${input.kind}`);
    }
  }

  #alert(level: 'info' | 'warning' | 'critical', code: string, message: string, ts: number): void {
    this.#kernel.bus.publish('alert', { level, code, message, strategyId: null, ts });
  }

  #set(name: string, atMs: number): void {
    this.#due.set(name, atMs);
    this.#timers.set(name, atMs);
  }

  #cancel(name: string): void {
    this.#due.delete(name);
    this.#timers.cancel(name);
  }
}
