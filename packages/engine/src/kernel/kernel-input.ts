// The kernel's one ordered inbound stream (DESIGN.md §3). Adapters, timers and operators push KernelInputs; the
// kernel handles them one at a time, in order. The journal records every input with the time it was handled, so a
// recorded day replays through a fresh kernel to the same signals, risk decisions and orders.
import type {
  AccountId,
  Bar,
  ExecutionReport,
  InstrumentId,
  InstrumentTick,
  Product,
  StrategyId,
} from '@kitepilot/core';

/** A request from the owner (CLI, API) or the system to the kernel. */
export type OperatorCommand =
  | { readonly type: 'KillSwitch'; readonly on: boolean; readonly actor: string; readonly reason: string }
  | {
      readonly type: 'Flatten';
      readonly accountId: AccountId;
      readonly instrumentId: InstrumentId | null;
      readonly product: Product | null;
      readonly actor: string;
      readonly reason: string;
    }
  | {
      readonly type: 'CancelAll';
      readonly accountId: AccountId;
      readonly strategyId: StrategyId | null;
      readonly actor: string;
      readonly reason: string;
    }
  | { readonly type: 'Halt'; readonly accountId: AccountId; readonly actor: string; readonly reason: string }
  | {
      readonly type: 'Resume';
      readonly accountId: AccountId;
      readonly actor: string;
      readonly reason: string;
    }
  /** The owner confirms the first live order of the day (manual-acknowledgement mode). */
  | { readonly type: 'AcknowledgeLive'; readonly accountId: AccountId; readonly actor: string };

/** One input of the kernel; `at` is the kernel clock's time when it was handled (epoch ms). */
export type KernelInput =
  | { readonly kind: 'tick'; readonly at: number; readonly tick: InstrumentTick }
  | { readonly kind: 'bar'; readonly at: number; readonly bar: Bar }
  | { readonly kind: 'execution'; readonly at: number; readonly report: ExecutionReport }
  /** `owner` is `strategy:<strategyId>`, `scheduler` or `kernel`. */
  | { readonly kind: 'timer'; readonly at: number; readonly owner: string; readonly name: string }
  | { readonly kind: 'command'; readonly at: number; readonly command: OperatorCommand };

/** The `kind` of every input. */
export type KernelInputKind = KernelInput['kind'];
