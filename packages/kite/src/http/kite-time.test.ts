import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseIstTimestamp as istWallToEpochMs } from '../parse/ist-timestamp.ts';
import { candleTimestampToEpochMs, formatIstTimestamp, readIstField } from './kite-time.ts';

describe('kite-time', () => {
  it('reads an IST wall-clock string as IST', () => {
    expect(istWallToEpochMs('2021-07-05 10:41:27')).toBe(Date.UTC(2021, 6, 5, 5, 11, 27));
    expect(readIstField('')).toBeNull();
    expect(readIstField(null)).toBeNull();
    expect(() => istWallToEpochMs('2021-07-05 25:00:00')).toThrow(/25:00:00/);
    expect(() => istWallToEpochMs('05/07/2021')).toThrow(/YYYY-MM-DD HH:MM:SS/);
  });

  it('reads candle timestamps with their own offset', () => {
    expect(candleTimestampToEpochMs('2017-12-15T09:15:00+0530')).toBe(Date.UTC(2017, 11, 15, 3, 45));
    expect(candleTimestampToEpochMs('2017-12-15T09:15:00+05:30')).toBe(Date.UTC(2017, 11, 15, 3, 45));
    expect(candleTimestampToEpochMs('2017-12-15T03:45:00Z')).toBe(Date.UTC(2017, 11, 15, 3, 45));
    expect(candleTimestampToEpochMs('2017-12-14T23:15:00-0430')).toBe(Date.UTC(2017, 11, 15, 3, 45));
  });

  it('formats the from/to parameters in IST', () => {
    expect(formatIstTimestamp(Date.UTC(2026, 10, 23, 3, 45))).toBe('2026-11-23 09:15:00');
  });

  it('gives the same instants on a host in America/New_York (child process)', () => {
    const module = fileURLToPath(new URL('./kite-time.ts', import.meta.url));
    const code = `
      const t = await import(${JSON.stringify(module)});
      console.log(JSON.stringify([
        new Date(2026, 0, 1).getTimezoneOffset(),
        t.readIstField('2021-07-05 10:41:27'),
        t.candleTimestampToEpochMs('2026-03-09T09:15:00+0530'),
        t.formatIstTimestamp(Date.UTC(2026, 2, 8, 7, 30)),
      ]));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      env: { ...process.env, TZ: 'America/New_York' },
      encoding: 'utf8',
    });
    const [offset, wall, candle, formatted] = JSON.parse(out.trim()) as [number, number, number, string];
    expect(offset).toBe(300); // the child really runs at UTC−5
    expect(wall).toBe(Date.UTC(2021, 6, 5, 5, 11, 27));
    expect(candle).toBe(Date.UTC(2026, 2, 9, 3, 45));
    expect(formatted).toBe('2026-03-08 13:00:00');
  });
});
