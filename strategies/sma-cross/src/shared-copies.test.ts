import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// params.ts, price-levels.ts and trade-manager.ts (and trading-days.ts where used) are copied into every built-in
// strategy package, because strategy packages may not import each other; this keeps the copies from drifting.
const SHARED = ['params.ts', 'price-levels.ts', 'trade-manager.ts'];
const OTHERS = ['time-window', 'orb', 'vwap-reversion'];

function source(pkg: string, file: string): string {
  return readFileSync(new URL(`../../${pkg}/src/${file}`, import.meta.url), 'utf8');
}

describe('shared strategy helpers', () => {
  it.each(SHARED.flatMap((file) => OTHERS.map((pkg) => [file, pkg])))(
    '%s in %s is identical to the sma-cross copy',
    (file, pkg) => {
      expect(source(pkg, file)).toBe(source('sma-cross', file));
    },
  );

  it.each(['orb', 'vwap-reversion'])('trading-days.ts in %s is identical to the time-window copy', (pkg) => {
    expect(source(pkg, 'trading-days.ts')).toBe(source('time-window', 'trading-days.ts'));
  });
});
