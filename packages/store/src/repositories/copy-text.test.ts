import { describe, expect, it } from 'vitest';
import { CopyTextWriter, copyText } from './copy-text.ts';

const decode = (w: CopyTextWriter): string => new TextDecoder().decode(w.bytes());

describe('copyText', () => {
  it('escapes backslash, tab, newline and carriage return and leaves other text alone', () => {
    expect(copyText('NIFTY 50.NSE')).toBe('NIFTY 50.NSE');
    expect(copyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
  });
});

describe('CopyTextWriter', () => {
  it('writes escaped text, UTF-8 for non-ASCII, tabs, newlines and NULL', () => {
    const w = new CopyTextWriter(4);
    w.text('a\\b\tc\nd\re');
    w.tab();
    w.text('ä\tö');
    w.tab();
    w.nullValue();
    w.newline();
    expect(decode(w)).toBe('a\\\\b\\tc\\nd\\re\tä\\tö\t\\N\n');
  });

  it('writes every safe integer like String() and refuses others with the column name', () => {
    const values = [
      0,
      -0,
      7,
      10,
      -1,
      99,
      100,
      157370,
      -1234,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
    ];
    const w = new CopyTextWriter(8);
    for (const v of values) {
      w.int(v, 'x');
      w.tab();
    }
    expect(decode(w)).toBe(values.map((v) => `${String(v)}\t`).join(''));
    expect(() => w.int(1.5, 'volume')).toThrow(/volume 1\.5 is not a safe integer/);
    expect(() => w.int(2 ** 53, 'oi')).toThrow(/oi 9007199254740992 is not a safe integer/);
    w.intOrNull(null, 'x');
    expect(decode(w).endsWith('\\N')).toBe(true);
  });

  it('writes timestamps like toISOString across seconds, before 1970 and with millisecond padding', () => {
    const times = [0, 7, 45, 999, 1000, 1_763_700_000_123, 1_763_700_000_124, 1_763_700_001_005, -1, -1001];
    const w = new CopyTextWriter(16);
    for (const ms of times) {
      w.timestamp(ms);
      w.tab();
    }
    w.timestampOrNull(null);
    expect(decode(w)).toBe(`${times.map((ms) => `${new Date(ms).toISOString()}\t`).join('')}\\N`);
    expect(() => w.timestamp(1.5)).toThrow(/timestamp 1.5 is not an integer epoch ms/);
  });
});
