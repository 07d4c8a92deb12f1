// Runs strategies inside the kernel: one context each (isolated state), delivery by subscription, and
// containment — a handler that throws halts that strategy only (recorded, alerted, logged) and it is never
// called again, while the others go on (issue "Kernel"; DESIGN.md §3).
import {
  InvariantError,
  type Bar,
  type BarInterval,
  type InstrumentId,
  type InstrumentTick,
  type StrategyId,
} from '@kitepilot/core';
import type { Strategy, StrategyOrderUpdate } from '../sdk/strategy.ts';
import { KernelStrategyContext } from './kernel-strategy-context.ts';
import type { StrategyHostPorts } from './strategy-host-ports.ts';
import type { StrategySlot, StrategyState } from './strategy-slot.ts';

/** The handlers a strategy may have, as recorded when one throws. */
export type StrategyHandlerName = 'onStart' | 'onTick' | 'onBar' | 'onOrderUpdate' | 'onTimer' | 'onStop';

/** What the host shows about one strategy. */
export interface HostedStrategyStatus {
  readonly strategyId: StrategyId;
  readonly name: string;
  readonly state: StrategyState;
  readonly haltReason: string | null;
}

/** An instrument × interval some strategy wants bars of. */
export interface BarSubscription {
  readonly instrumentId: InstrumentId;
  readonly interval: BarInterval;
}

/** The market data the hosted strategies asked for (for the ticker and the bar builder). */
export interface HostSubscriptions {
  readonly ticks: readonly InstrumentId[];
  readonly bars: readonly BarSubscription[];
}

/** Hosts strategies: lifecycle, subscriptions, delivery and containment of failures. */
export class StrategyHost {
  readonly #ports: StrategyHostPorts;
  readonly #slots = new Map<StrategyId, StrategySlot>();
  readonly #tickSubs = new Map<InstrumentId, StrategySlot[]>();
  readonly #barSubs = new Map<InstrumentId, Map<BarInterval, StrategySlot[]>>();
  #started = false;
  #halted = 0;

  /** Creates a host over the kernel services `ports`. */
  constructor(ports: StrategyHostPorts) {
    this.#ports = ports;
  }

  /** Adds a strategy before start(); throws InvariantError on a repeated id or after start. */
  add(strategyId: StrategyId, name: string, strategy: Strategy): void {
    if (this.#started) throw new InvariantError(`strategy ${strategyId} (${name}) added after start`);
    if (this.#slots.has(strategyId)) throw new InvariantError(`strategy id ${strategyId} is added twice`);
    const slot: StrategySlot = {
      id: strategyId,
      name,
      strategy,
      ctx: undefined as never,
      state: 'added',
      active: false,
      intents: new Set(),
      haltReason: null,
    };
    slot.ctx = new KernelStrategyContext(slot, this.#ports, (s, id, ticks, bars) =>
      this.#subscribe(s, id, ticks, bars),
    );
    this.#slots.set(strategyId, slot);
  }

  /** Returns true once start() ran. */
  get started(): boolean {
    return this.#started;
  }

  /** Calls every strategy's onStart, in the order added. */
  start(): void {
    if (this.#started) throw new InvariantError('strategy host started twice');
    this.#started = true;
    for (const slot of this.#slots.values()) {
      slot.state = 'running';
      const onStart = slot.strategy.onStart;
      if (onStart === undefined) continue;
      this.#enter(slot);
      try {
        onStart.call(slot.strategy, slot.ctx);
      } catch (error) {
        this.#halt(slot, 'onStart', error);
      } finally {
        slot.active = false;
      }
    }
  }

  /** Calls onStop of every running strategy and stops delivering to them. */
  stop(): void {
    for (const slot of this.#slots.values()) {
      if (slot.state !== 'running') continue;
      const onStop = slot.strategy.onStop;
      if (onStop !== undefined) {
        this.#enter(slot);
        try {
          onStop.call(slot.strategy, slot.ctx);
        } catch (error) {
          this.#halt(slot, 'onStop', error);
        } finally {
          slot.active = false;
        }
      }
      if (slot.state === 'running') slot.state = 'stopped';
    }
  }

  /** Delivers a tick to the strategies subscribed to its instrument's ticks. */
  deliverTick(instrumentTick: InstrumentTick): void {
    const slots = this.#tickSubs.get(instrumentTick.instrumentId);
    if (slots === undefined) return;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as StrategySlot;
      const onTick = slot.strategy.onTick;
      if (slot.state !== 'running' || onTick === undefined) continue;
      this.#enter(slot);
      try {
        onTick.call(slot.strategy, slot.ctx, instrumentTick);
      } catch (error) {
        this.#halt(slot, 'onTick', error);
      } finally {
        slot.active = false;
      }
    }
  }

  /** Delivers a closed bar to the strategies subscribed to its instrument and interval. */
  deliverBar(bar: Bar): void {
    const slots = this.#barSubs.get(bar.instrumentId)?.get(bar.interval);
    if (slots === undefined) return;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as StrategySlot;
      const onBar = slot.strategy.onBar;
      if (slot.state !== 'running' || onBar === undefined) continue;
      this.#enter(slot);
      try {
        onBar.call(slot.strategy, slot.ctx, bar);
      } catch (error) {
        this.#halt(slot, 'onBar', error);
      } finally {
        slot.active = false;
      }
    }
  }

  /** Delivers an order update to the strategy that owns it; returns false when no running strategy has that id. */
  deliverOrderUpdate(strategyId: StrategyId, update: StrategyOrderUpdate): boolean {
    const slot = this.#slots.get(strategyId);
    if (slot === undefined || slot.state !== 'running') return false;
    const onOrderUpdate = slot.strategy.onOrderUpdate;
    if (onOrderUpdate === undefined) return true;
    this.#enter(slot);
    try {
      onOrderUpdate.call(slot.strategy, slot.ctx, update);
    } catch (error) {
      this.#halt(slot, 'onOrderUpdate', error);
    } finally {
      slot.active = false;
    }
    return true;
  }

  /** Delivers a fired timer to its strategy; returns false when no running strategy has that id. */
  deliverTimer(strategyId: StrategyId, name: string): boolean {
    const slot = this.#slots.get(strategyId);
    if (slot === undefined || slot.state !== 'running') return false;
    const onTimer = slot.strategy.onTimer;
    if (onTimer === undefined) return true;
    this.#enter(slot);
    try {
      onTimer.call(slot.strategy, slot.ctx, name);
    } catch (error) {
      this.#halt(slot, 'onTimer', error);
    } finally {
      slot.active = false;
    }
    return true;
  }

  /** Returns the number of halted strategies. */
  haltedCount(): number {
    return this.#halted;
  }

  /** Returns every hosted strategy's state, in the order added. */
  status(): readonly HostedStrategyStatus[] {
    return [...this.#slots.values()].map((s) => ({
      strategyId: s.id,
      name: s.name,
      state: s.state,
      haltReason: s.haltReason,
    }));
  }

  /** Returns the ticks and bars the running strategies subscribed to. */
  subscriptions(): HostSubscriptions {
    const ticks: InstrumentId[] = [];
    for (const [id, slots] of this.#tickSubs) if (slots.some((s) => s.state === 'running')) ticks.push(id);
    const bars: BarSubscription[] = [];
    for (const [instrumentId, byInterval] of this.#barSubs) {
      for (const [interval, slots] of byInterval) {
        if (slots.some((s) => s.state === 'running')) bars.push({ instrumentId, interval });
      }
    }
    return { ticks, bars };
  }

  #enter(slot: StrategySlot): void {
    slot.active = true;
    this.#mark = this.#ports.actionMark();
  }

  #mark = 0;

  #subscribe(
    slot: StrategySlot,
    instrumentId: InstrumentId,
    ticks: boolean,
    bars: readonly BarInterval[],
  ): void {
    if (ticks) {
      const slots = this.#tickSubs.get(instrumentId) ?? [];
      if (!slots.includes(slot)) this.#tickSubs.set(instrumentId, [...slots, slot]);
    }
    for (const interval of bars) {
      let byInterval = this.#barSubs.get(instrumentId);
      if (byInterval === undefined) {
        byInterval = new Map();
        this.#barSubs.set(instrumentId, byInterval);
      }
      const slots = byInterval.get(interval) ?? [];
      if (!slots.includes(slot)) byInterval.set(interval, [...slots, slot]);
    }
  }

  #halt(slot: StrategySlot, handler: StrategyHandlerName, error: unknown): void {
    slot.active = false;
    // What the failing call queued is dropped: a handler that did not finish must not trade.
    this.#ports.discardActionsSince(this.#mark);
    slot.state = 'halted';
    this.#halted++;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    slot.haltReason = `${handler} threw ${message}`;
    const ts = this.#ports.clock.now();
    this.#ports.logger.error(
      { err: error, strategyId: slot.id, strategy: slot.name, handler },
      `strategy ${slot.name} (${slot.id}) halted: ${handler} threw`,
    );
    this.#ports.bus.publish('strategy-halted', { strategyId: slot.id, handler, error: message, ts });
    this.#ports.bus.publish('alert', {
      level: 'critical',
      code: 'strategy-halted',
      message: `strategy ${slot.name} (${slot.id}) halted: ${handler} threw ${message}`,
      strategyId: slot.id,
      ts,
    });
  }
}
