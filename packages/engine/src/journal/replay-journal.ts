// Replays a recorded day through a kernel built in replay mode: every input at its recorded time, one at a time.
import { KernelClock } from '../kernel/kernel-clock.ts';
import type { KernelInput } from '../kernel/kernel-input.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { ReplayClock } from './replay-clock.ts';

/** What replayJournal takes. */
export interface ReplayJournalOptions {
  readonly inputs: AsyncIterable<KernelInput> | Iterable<KernelInput>;
  /** A kernel made with `replay: true`, its strategies added and started. */
  readonly kernel: Pick<Kernel, 'pushRecorded' | 'idle' | 'clock'>;
  /** The replay clock to move; default the kernel clock's base when it is a ReplayClock. */
  readonly clock?: ReplayClock;
}

/** Pushes every input at its recorded `at`, waiting for the kernel to be idle after each; returns the count. */
export async function replayJournal(options: ReplayJournalOptions): Promise<number> {
  const { kernel } = options;
  const base = kernel.clock instanceof KernelClock ? kernel.clock.base : kernel.clock;
  const clock = options.clock ?? (base instanceof ReplayClock ? base : null);
  let count = 0;
  for await (const input of options.inputs) {
    clock?.set(input.at);
    kernel.pushRecorded(input);
    await kernel.idle();
    count++;
  }
  return count;
}
