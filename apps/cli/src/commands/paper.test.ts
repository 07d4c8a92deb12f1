import { describe, expect, it } from 'vitest';
import { parseParams, runPaper } from './paper.ts';

describe('kitepilot paper', () => {
  it('parses repeated --param key=value pairs and refuses malformed or repeated ones', () => {
    expect(parseParams(['fast=10', 'slow = 30', 'symbol=NSE:SIMINFY'])).toEqual({
      fast: '10',
      slow: '30',
      symbol: 'NSE:SIMINFY',
    });
    expect(() => parseParams(['fast'])).toThrow(/--param "fast" is not key=value/);
    expect(() => parseParams(['=3'])).toThrow(/is not key=value/);
    expect(() => parseParams(['fast=1', 'fast=2'])).toThrow(/--param fast is given twice/);
  });

  it('needs --demo: paper trading on the real market runs inside kitepilot start', async () => {
    await expect(runPaper({ strategy: 'sma-cross' })).rejects.toThrow(/needs --demo/);
  });

  it('names the built-in strategies when --strategy is missing or unknown', async () => {
    await expect(runPaper({ demo: true })).rejects.toThrow(/--strategy is required: one of .*sma-cross/);
    await expect(runPaper({ demo: true, strategy: 'nope' })).rejects.toThrow(/nope.*sma-cross/s);
  });

  it('refuses a bad strategy parameter before the simulated market starts', async () => {
    await expect(runPaper({ demo: true, strategy: 'sma-cross', param: ['fast=abc'] })).rejects.toThrow(
      /fast/,
    );
    await expect(runPaper({ demo: true, strategy: 'sma-cross', param: ['speed=3'] })).rejects.toThrow(
      /unknown parameter speed/,
    );
  });
});
