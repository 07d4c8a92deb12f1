import { describe, expect, it } from 'vitest';
import { IstTimestampError, parseIstTimestamp, parseOptionalIstTimestamp } from './ist-timestamp.ts';

describe('parseIstTimestamp', () => {
  it('reads a wall-clock string as UTC+05:30', () => {
    expect(parseIstTimestamp('2021-07-05 10:41:27')).toBe(1_625_461_887_000);
    expect(parseIstTimestamp('2026-01-01 00:00:00')).toBe(Date.UTC(2025, 11, 31, 18, 30));
  });

  it('rejects impossible dates and other formats', () => {
    expect(() => parseIstTimestamp('2026-02-30 09:15:00')).toThrow(IstTimestampError);
    expect(() => parseIstTimestamp('2026-02-10 24:00:00')).toThrow('is not a valid date and time');
    expect(() => parseIstTimestamp('2026-02-10 09:15')).toThrow('is not an IST "YYYY-MM-DD HH:MM:SS"');
  });

  it('maps empty and missing values to null', () => {
    expect(parseOptionalIstTimestamp(null)).toBeNull();
    expect(parseOptionalIstTimestamp('')).toBeNull();
    expect(parseOptionalIstTimestamp(undefined)).toBeNull();
  });
});
