// The trading controls as the order manager keeps them: the persisted StoredControls plus the rule that halts and
// the live acknowledgement belong to one IST day.
import type { AccountId } from '@kitepilot/core';
import type { TradingControls } from '../kernel/topics.ts';
import type { StoredControls } from './order-store.ts';

/** Immutable trading controls with day-aware reads; every change returns a new value to persist. */
export class ControlsState {
  readonly stored: StoredControls;

  /** Wraps stored controls. */
  constructor(stored: StoredControls) {
    this.stored = stored;
  }

  /** Returns true when the kill switch is on. */
  get killSwitch(): boolean {
    return this.stored.killSwitch;
  }

  /** Returns the reason the account is halted on IST date `day`, or null. */
  haltedReason(accountId: AccountId, day: string): string | null {
    if (this.stored.haltedDay !== day) return null;
    return this.stored.halted[accountId] ?? null;
  }

  /** Returns true when live trading was acknowledged on `day`. */
  acknowledged(day: string): boolean {
    return this.stored.liveAcknowledgedDay === day;
  }

  /** Returns the controls with the kill switch set. */
  withKillSwitch(on: boolean): ControlsState {
    return new ControlsState({ ...this.stored, killSwitch: on });
  }

  /** Returns the controls with the account halted for `day` (halts of earlier days are dropped). */
  withHalt(accountId: AccountId, reason: string, day: string): ControlsState {
    const halted = this.stored.haltedDay === day ? { ...this.stored.halted } : {};
    halted[accountId] = reason;
    return new ControlsState({ ...this.stored, halted, haltedDay: day });
  }

  /** Returns the controls with the account's halt lifted. */
  withResume(accountId: AccountId): ControlsState {
    const halted = Object.fromEntries(Object.entries(this.stored.halted).filter(([id]) => id !== accountId));
    return new ControlsState({ ...this.stored, halted });
  }

  /** Returns the controls with live trading acknowledged on `day`. */
  withAcknowledged(day: string): ControlsState {
    return new ControlsState({ ...this.stored, liveAcknowledgedDay: day });
  }

  /** Returns the published view: the halts of `day` only. */
  view(day: string, ts: number): TradingControls {
    return {
      killSwitch: this.stored.killSwitch,
      halted: this.stored.haltedDay === day ? { ...this.stored.halted } : {},
      ts,
    };
  }
}
