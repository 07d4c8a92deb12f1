// The in-process implementation of the Bus port: synchronous delivery in subscription order. A subscriber that
// throws is logged and skipped so the others still get the payload; nothing is published about the failure (that
// could recurse). An InvariantError is a broken invariant, not a subscriber bug: it propagates (crash-only).
import { InvariantError, noopLogger, type Logger } from '@kitepilot/core';
import type { Bus, KernelTopics, Topic } from './topics.ts';

type AnyHandler = (payload: never) => void;

/** A synchronous publish/subscribe bus over the kernel topics, inside one process. */
export class InProcessBus implements Bus {
  // Copy-on-write arrays: publish iterates the array it read, so (un)subscribing during delivery is safe and
  // publishing allocates nothing.
  readonly #handlers = new Map<Topic, readonly AnyHandler[]>();
  readonly #log: Logger;
  #failures = 0;

  /** Creates a bus that logs failing subscribers through `logger`. */
  constructor(logger: Logger = noopLogger) {
    this.#log = logger.child({ component: 'bus' });
  }

  /** Delivers `payload` to every subscriber of `topic`, in subscription order, before returning. */
  publish<T extends Topic>(topic: T, payload: KernelTopics[T]): void {
    const handlers = this.#handlers.get(topic);
    if (handlers === undefined) return;
    for (let i = 0; i < handlers.length; i++) {
      const handler = handlers[i] as (p: KernelTopics[T]) => void;
      try {
        handler(payload);
      } catch (error) {
        if (error instanceof InvariantError) throw error;
        this.#failures++;
        this.#log.error({ err: error, topic, subscriber: i }, `bus subscriber ${i} of topic ${topic} threw`);
      }
    }
  }

  /** Subscribes to `topic`; returns a function that unsubscribes (calling it twice does nothing). */
  subscribe<T extends Topic>(topic: T, handler: (payload: KernelTopics[T]) => void): () => void {
    const entry = handler as AnyHandler;
    this.#handlers.set(topic, [...(this.#handlers.get(topic) ?? []), entry]);
    return () => {
      const current = this.#handlers.get(topic) ?? [];
      const index = current.indexOf(entry);
      if (index < 0) return;
      this.#handlers.set(topic, [...current.slice(0, index), ...current.slice(index + 1)]);
    };
  }

  /** Returns how many subscriber calls threw (and were logged) since creation. */
  failures(): number {
    return this.#failures;
  }
}
