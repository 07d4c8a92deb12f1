// Measures the latency of a single-row INSERT (autocommit) on the embedded store in default and durable mode,
// and the cost of a whole-tree fsync. Run: node --import tsx packages/store/src/embedded/bench/commit-latency.ts [n]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fsyncTree } from '../durable-flush.ts';
import { openEmbeddedStore } from '../open-embedded.ts';

const n = Number(process.argv[2] ?? '200');

function summary(samples: number[]): { meanMs: number; p50Ms: number; p95Ms: number; maxMs: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    meanMs: round(samples.reduce((s, x) => s + x, 0) / samples.length),
    p50Ms: round(at(0.5)),
    p95Ms: round(at(0.95)),
    maxMs: round(sorted[sorted.length - 1] ?? NaN),
  };
}

const results: Record<string, unknown> = {
  n,
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};
for (const durable of [false, true]) {
  const dir = await mkdtemp(join(tmpdir(), 'kp-bench-'));
  try {
    const store = await openEmbeddedStore({ dataDir: dir, role: 'owner', durable });
    await store.driver.exec('CREATE TABLE intents (id integer PRIMARY KEY, note text NOT NULL)');
    const samples: number[] = [];
    for (let i = 0; i < n; i += 1) {
      const start = performance.now();
      await store.driver.query('INSERT INTO intents (id, note) VALUES ($1, $2)', [i, 'bench']);
      samples.push(performance.now() - start);
    }
    results[durable ? 'durableInsert' : 'defaultInsert'] = summary(samples);
    if (durable) {
      const tree: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const start = performance.now();
        await fsyncTree(store.pgDataDir);
        tree.push(performance.now() - start);
      }
      results['wholeTreeFsync'] = summary(tree);
    }
    await store.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
process.stdout.write(JSON.stringify(results, null, 2) + '\n');
