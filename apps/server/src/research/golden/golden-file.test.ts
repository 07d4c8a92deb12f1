// Golden files: the comparison names what changed, reading tells a missing file from a broken one, and writing
// produces the JSON prettier would (so `prettier --check` passes on regenerated files).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as prettier from 'prettier';
import { diffGolden, readGolden, updatingGolden, writeGolden, type GoldenRecord } from './golden-file.ts';

const record = {
  strategy: 'sma-cross',
  case: 'mis-next-open',
  fixture: { seed: 21, csvSha256: 'aa' },
  metrics: { sharpe: 0.41, trades: 2, profitFactor: null },
  trades: [
    { entry: '2025-01-01T10:01:00.000+05:30', entryPricePaise: 100_500, exitPricePaise: 100_000 },
    { entry: '2025-01-01T11:01:00.000+05:30', entryPricePaise: 100_200, exitPricePaise: 100_300 },
  ],
};

function changed(edit: (r: typeof record) => void): typeof record {
  const copy = structuredClone(record);
  edit(copy);
  return copy;
}

describe('diffGolden', () => {
  it('finds nothing between equal records', () => {
    expect(diffGolden(record, structuredClone(record))).toEqual([]);
  });

  it('names a changed metric with both values', () => {
    expect(
      diffGolden(
        record,
        changed((r) => (r.metrics.sharpe = 0.43)),
      ),
    ).toEqual(['metrics.sharpe: 0.41 → 0.43']);
    expect(
      diffGolden(
        record,
        changed((r) => ((r.metrics as { profitFactor: number | null }).profitFactor = 1.5)),
      ),
    ).toEqual(['metrics.profitFactor: null → 1.5']);
  });

  it('names the trade and the field that changed', () => {
    expect(
      diffGolden(
        record,
        changed((r) => (r.trades[1]!.exitPricePaise = 100_305)),
      ),
    ).toEqual(['trades[1].exitPricePaise: 100300 → 100305']);
  });

  it('reports a different number of trades, and fields that appeared or vanished', () => {
    const fewer = changed((r) => r.trades.pop());
    expect(diffGolden(record, fewer)).toEqual(['trades: 2 in the golden file, 1 now']);
    const extra = { ...record, orderListHash: 'ff' };
    expect(diffGolden(record, extra)).toEqual(['orderListHash: (absent) → "ff"']);
    expect(diffGolden(extra, record)).toEqual(['orderListHash: "ff" → (absent)']);
  });

  it('says first when the fixture itself changed', () => {
    const diffs = diffGolden(
      record,
      changed((r) => (r.fixture.csvSha256 = 'bb')),
    );
    expect(diffs[0]).toMatch(/the fixture bars differ/);
    expect(diffs[1]).toBe('fixture.csvSha256: "aa" → "bb"');
  });

  it('keeps the report short when everything changed', () => {
    const many = { ...record, trades: Array.from({ length: 60 }, (_, i) => ({ entryPricePaise: i })) };
    const other = { ...record, trades: Array.from({ length: 60 }, (_, i) => ({ entryPricePaise: i + 1 })) };
    const diffs = diffGolden(many, other);
    expect(diffs).toHaveLength(41);
    expect(diffs.at(-1)).toBe('… and 20 more');
  });
});

describe('golden file I/O', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kitepilot-golden-file-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads null for a missing file and refuses a file that is not JSON', async () => {
    expect(await readGolden(join(dir, 'none.json'))).toBeNull();
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{ "metrics": ', 'utf8');
    await expect(readGolden(broken)).rejects.toThrow(
      /is not JSON; regenerate it with KITEPILOT_UPDATE_GOLDEN=1/,
    );
  });

  it('writes prettier-formatted JSON that reads back equal, creating the folder', async () => {
    const path = join(dir, 'sma-cross', 'golden', 'case.json');
    await writeGolden(path, record as unknown as GoldenRecord);
    const text = await readFile(path, 'utf8');
    expect(await prettier.check(text, { ...(await prettier.resolveConfig(path)), parser: 'json' })).toBe(
      true,
    );
    expect(await readGolden(path)).toEqual(record);
  });

  it('updates only when KITEPILOT_UPDATE_GOLDEN is exactly 1', () => {
    expect(updatingGolden({ KITEPILOT_UPDATE_GOLDEN: '1' })).toBe(true);
    expect(updatingGolden({ KITEPILOT_UPDATE_GOLDEN: 'true' })).toBe(false);
    expect(updatingGolden({})).toBe(false);
  });
});
