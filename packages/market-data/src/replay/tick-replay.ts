import type { Clock, DataNamespace, InstrumentId, InstrumentTick, TickRepository } from '@kitepilot/core';
import { storedTickTime, TickPageCursor } from './tick-page-cursor.ts';
import { TickTimeHeap, type HeapEntry } from './tick-time-heap.ts';

/** How fast a replay runs: a factor of the recorded pace (2 = twice as fast) or as fast as possible. */
export type ReplaySpeed = number | 'max';

/** Receives the replayed ticks. */
export interface TickReplayHandler {
  /** Called once per tick, in time order across instruments (ties: receive time, then instrument order). */
  onTick(entry: InstrumentTick): void;
  /**
   * Called with the replayed time before the first tick of each new time, and once with the range end after the
   * last tick: what a live process's clock would read, so a `BarAggregator.onTime` closes bars as it would live.
   */
  onTime?(replayTimeMs: number): void;
}

/** What `TickReplay` takes. */
export interface TickReplayOptions {
  readonly repository: Pick<TickRepository, 'read'>;
  readonly namespace: DataNamespace;
  readonly instrumentIds: readonly InstrumentId[];
  /** Range start (inclusive, epoch ms). */
  readonly fromMs: number;
  /** Range end (exclusive, epoch ms). */
  readonly toMs: number;
  readonly speed: ReplaySpeed;
  /** Paces a replay at a numeric speed: the tick at recorded time t is delivered at clock start + (t − first) / speed. */
  readonly clock: Clock;
  /**
   * Ticks read per instrument per page (default: 200 000 split over the instruments, at least 500); memory holds
   * at most one page per instrument.
   */
  readonly pageSize?: number;
  /** Stops the replay after the tick being delivered. */
  readonly signal?: AbortSignal;
}

/** What a replay delivered. */
export interface TickReplayResult {
  readonly ticks: number;
  /** Tick time of the first and last tick delivered (null when none). */
  readonly firstTickMs: number | null;
  readonly lastTickMs: number | null;
  /** Repository reads made (pages). */
  readonly pagesRead: number;
  /** True when the signal stopped it before the end. */
  readonly aborted: boolean;
}

interface Head extends HeapEntry {
  readonly entry: InstrumentTick;
  readonly cursor: TickPageCursor;
}

let replaySeq = 0;

/**
 * Replays stored ticks of several instruments over a time range to a handler, in time order across instruments,
 * reading the tick store in pages (bounded memory) and pacing delivery on an injected Clock at any speed — the path
 * for tick backtests and for post-mortems of a recorded day.
 */
export class TickReplay {
  readonly #options: TickReplayOptions;
  readonly #timerName: string;

  constructor(options: TickReplayOptions) {
    if (options.speed !== 'max' && (!Number.isFinite(options.speed) || options.speed <= 0)) {
      throw new RangeError(`replay speed ${String(options.speed)} must be 'max' or a finite number > 0`);
    }
    if (!Number.isSafeInteger(options.fromMs) || !Number.isSafeInteger(options.toMs)) {
      throw new RangeError(`replay range ${options.fromMs}..${options.toMs} must be integer epoch ms`);
    }
    if (options.toMs < options.fromMs) {
      throw new RangeError(`replay range ends (${options.toMs}) before it starts (${options.fromMs})`);
    }
    this.#options = options;
    replaySeq += 1;
    this.#timerName = `tick-replay-${replaySeq}`;
  }

  /** Replays every tick of the range to `handler`; resolves when done or aborted. */
  async run(handler: TickReplayHandler): Promise<TickReplayResult> {
    const o = this.#options;
    const pageSize = o.pageSize ?? Math.max(500, Math.floor(200_000 / Math.max(1, o.instrumentIds.length)));
    const cursors = o.instrumentIds.map(
      (instrumentId) =>
        new TickPageCursor({
          repository: o.repository,
          namespace: o.namespace,
          instrumentId,
          fromMs: o.fromMs,
          toMs: o.toMs,
          pageSize,
        }),
    );
    const heap = new TickTimeHeap<Head>();
    await Promise.all(cursors.map(async (cursor, source) => this.#advance(heap, cursor, source)));

    const clockStart = o.clock.now();
    let ticks = 0;
    let firstTickMs: number | null = null;
    let lastTickMs: number | null = null;
    let currentTime: number | null = null;
    let aborted = false;
    for (;;) {
      if (isAborted(o.signal)) {
        aborted = true;
        break;
      }
      const head = heap.pop();
      if (head === undefined) break;
      const time = head.timeMs;
      firstTickMs ??= time;
      if (time !== currentTime) {
        if (o.speed !== 'max') {
          await this.#waitUntil(clockStart + Math.ceil((time - firstTickMs) / o.speed));
          if (isAborted(o.signal)) {
            aborted = true;
            break;
          }
        }
        handler.onTime?.(time);
        currentTime = time;
      }
      handler.onTick(head.entry);
      ticks += 1;
      lastTickMs = time;
      await this.#advance(heap, head.cursor, head.source);
    }
    o.clock.cancelTimer(this.#timerName);
    if (!aborted) handler.onTime?.(o.toMs);
    return {
      ticks,
      firstTickMs,
      lastTickMs,
      pagesRead: cursors.reduce((sum, c) => sum + c.pagesRead, 0),
      aborted,
    };
  }

  async #advance(heap: TickTimeHeap<Head>, cursor: TickPageCursor, source: number): Promise<void> {
    const entry = await cursor.next();
    if (entry === undefined) return;
    heap.push({ timeMs: storedTickTime(entry), receivedMs: entry.tick.tsInit, source, entry, cursor });
  }

  #waitUntil(atMs: number): Promise<void> {
    const clock = this.#options.clock;
    if (atMs <= clock.now()) return Promise.resolve();
    const signal = this.#options.signal;
    return new Promise((resolve) => {
      const done = (): void => {
        signal?.removeEventListener('abort', done);
        clock.cancelTimer(this.#timerName);
        resolve();
      };
      signal?.addEventListener('abort', done);
      clock.setTimer(this.#timerName, atMs, done);
    });
  }
}

// A function, not an inline check: TypeScript would otherwise keep `aborted` narrowed across the awaits.
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
