import { describe, expect, it } from 'vitest';
import { COPY_NULL, CopyTimestampFormatter, copyText } from './copy-text.ts';

describe('copyText', () => {
  it('escapes backslash, tab, newline and carriage return and leaves other text alone', () => {
    expect(copyText('NIFTY 50.NSE')).toBe('NIFTY 50.NSE');
    expect(copyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(COPY_NULL).toBe('\\N');
  });
});

describe('CopyTimestampFormatter', () => {
  it('formats like toISOString across seconds, before 1970 and with millisecond padding', () => {
    const f = new CopyTimestampFormatter();
    for (const ms of [
      0, 7, 45, 999, 1000, 1_763_700_000_123, 1_763_700_000_124, 1_763_700_001_005, -1, -1001,
    ]) {
      expect(f.format(ms)).toBe(new Date(ms).toISOString());
    }
    expect(f.formatOrNull(null)).toBe('\\N');
    expect(() => f.format(1.5)).toThrow(/timestamp 1.5 is not an integer epoch ms/);
  });
});
