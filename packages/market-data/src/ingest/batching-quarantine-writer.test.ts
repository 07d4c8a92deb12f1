import {
  TestClock,
  type DataNamespace,
  type QuarantinedTick,
  type StoredQuarantinedTick,
  type TickQuarantineRepository,
} from '@kitepilot/core';
import { describe, expect, it } from 'vitest';
import { BatchingQuarantineWriter } from './batching-quarantine-writer.ts';

const t0 = Date.UTC(2026, 10, 20, 4, 30);

class MemoryQuarantine implements TickQuarantineRepository {
  readonly batches: { namespace: DataNamespace; entries: QuarantinedTick[] }[] = [];
  append(namespace: DataNamespace, entries: readonly QuarantinedTick[]): Promise<number> {
    this.batches.push({ namespace, entries: [...entries] });
    return Promise.resolve(entries.length);
  }
  list(): Promise<StoredQuarantinedTick[]> {
    return Promise.resolve([]);
  }
  countByReason(): Promise<Partial<Record<QuarantinedTick['reasonCode'], number>>> {
    return Promise.resolve({});
  }
}

function anEntry(token: number): QuarantinedTick {
  return {
    token,
    instrumentId: null,
    ts: t0,
    receivedAt: t0,
    reasonCode: 'unknown-token',
    reason: `token ${token} is not in the instruments master`,
    raw: { token },
  };
}

describe('BatchingQuarantineWriter', () => {
  it('writes entries to its namespace in order, in batches, on the flush interval', async () => {
    const clock = new TestClock(t0);
    const repository = new MemoryQuarantine();
    const writer = new BatchingQuarantineWriter({
      repository,
      namespace: 'real',
      clock,
      maxBatch: 2,
      flushIntervalMs: 50,
    });
    writer.offer([anEntry(1), anEntry(2), anEntry(3)]);
    expect(repository.batches.map((b) => b.entries.map((e) => e.token))).toEqual([[1, 2]]);
    clock.advanceBy(50);
    await writer.flush();
    expect(repository.batches.map((b) => b.entries.map((e) => e.token))).toEqual([[1, 2], [3]]);
    expect(repository.batches.every((b) => b.namespace === 'real')).toBe(true);
    expect(writer.stats).toEqual({ written: 3, pending: 0, batches: 2, retries: 0 });
  });
});
