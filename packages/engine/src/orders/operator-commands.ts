// Operator commands (CLI, API, scheduler) as the order manager carries them out: kill switch, halt, resume, cancel
// all, flatten, acknowledge live. Every control change is persisted before it is published.
import type { AccountId, InstrumentId, Logger, Order, Product } from '@kitepilot/core';
import type { OperatorCommand } from '../kernel/kernel-input.ts';
import type { AlertLevel } from '../kernel/topics.ts';
import type { ControlsState } from './controls-state.ts';

/** The order manager operations a command uses. */
export interface CommandOperations {
  readonly accountId: AccountId;
  /** Returns the current IST date. */
  readonly today: () => string;
  readonly controls: () => ControlsState;
  /** Persists and publishes new controls. */
  readonly saveControls: (next: ControlsState) => Promise<void>;
  readonly cancelWhere: (predicate: (o: Order) => boolean, reason: string) => Promise<void>;
  readonly flatten: (
    instrumentId: InstrumentId | null,
    product: Product | null,
    reason: string,
  ) => Promise<void>;
  /** Sends the orders held for acknowledgement. */
  readonly sendHeld: () => Promise<void>;
  /** Re-enables the loss-cap monitor for the day. */
  readonly rearmMonitor: () => void;
  readonly alert: (level: AlertLevel, code: string, message: string) => void;
  readonly logger: Logger;
}

/** Carries out one operator command; commands for another account are ignored (the kill switch is global). */
export async function handleOperatorCommand(ops: CommandOperations, command: OperatorCommand): Promise<void> {
  if (command.type !== 'KillSwitch' && command.accountId !== ops.accountId) {
    ops.logger.debug({ command: command.type, accountId: command.accountId }, 'command for another account');
    return;
  }
  const day = ops.today();
  switch (command.type) {
    case 'KillSwitch': {
      await ops.saveControls(ops.controls().withKillSwitch(command.on));
      const by = `by ${command.actor}: ${command.reason}`;
      if (!command.on) return ops.alert('info', 'kill-switch', `kill switch off ${by}`);
      await ops.cancelWhere(() => true, `kill switch: ${command.reason}`);
      return ops.alert('critical', 'kill-switch', `kill switch ON ${by}`);
    }
    case 'Halt':
      await ops.saveControls(ops.controls().withHalt(ops.accountId, command.reason, day));
      return ops.alert(
        'warning',
        'trading-halted',
        `entries halted for ${day} by ${command.actor}: ${command.reason}`,
      );
    case 'Resume':
      ops.rearmMonitor();
      await ops.saveControls(ops.controls().withResume(ops.accountId));
      return ops.alert('info', 'trading-resumed', `entries resumed by ${command.actor}: ${command.reason}`);
    case 'CancelAll': {
      const only = command.strategyId;
      return ops.cancelWhere((o) => only === null || o.strategyId === only, command.reason);
    }
    case 'Flatten':
      return ops.flatten(command.instrumentId, command.product, `${command.actor}: ${command.reason}`);
    case 'AcknowledgeLive':
      await ops.saveControls(ops.controls().withAcknowledged(day));
      ops.alert('info', 'live-acknowledged', `live trading acknowledged for ${day} by ${command.actor}`);
      return ops.sendHeld();
  }
}
