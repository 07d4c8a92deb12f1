// Kite sends IST wall-clock strings without a zone (`2024-01-02 09:15:00`) and candle times with an offset
// (`2017-12-15T09:15:00+0530`), kite-connect.md §2.1. Both are converted with integer arithmetic only, so the
// host's time zone never matters (unlike the official client, §8.6).
import { IST_OFFSET_MS, istDate, istTime, istToEpochMs } from '@kitepilot/core';
import { parseIstTimestamp } from '../parse/ist-timestamp.ts';

const WITH_OFFSET = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/** Returns the epoch ms of an IST string, or null for null, undefined and the empty string. */
export function readIstField(s: unknown): number | null {
  if (s === null || s === undefined || s === '') return null;
  if (typeof s !== 'string') throw new RangeError(`timestamp ${JSON.stringify(s)} is not a string`);
  return parseIstTimestamp(s);
}

/** Returns the epoch ms of an ISO timestamp with an explicit offset (`2017-12-15T09:15:00+0530`, `…Z`). */
export function candleTimestampToEpochMs(s: string): number {
  const m = WITH_OFFSET.exec(s);
  if (m === null) throw new RangeError(`timestamp ${JSON.stringify(s)} is not ISO 8601 with an offset`);
  const zone = m[3] ?? 'Z';
  let offsetMs = 0;
  if (zone !== 'Z') {
    const digits = zone.replace(':', '');
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 14 || minutes > 59) throw new RangeError(`timestamp ${JSON.stringify(s)} has offset ${zone}`);
    offsetMs = (digits.startsWith('-') ? -1 : 1) * (hours * 60 + minutes) * 60_000;
  }
  // istToEpochMs reads the wall time as IST; shift it to the string's own offset.
  return istToEpochMs(m[1] ?? '', m[2] ?? '') + IST_OFFSET_MS - offsetMs;
}

/** Returns the IST wall-clock string `YYYY-MM-DD HH:MM:SS` of an instant (the `from`/`to` format of §2.3). */
export function formatIstTimestamp(epochMs: number): string {
  return `${istDate(epochMs)} ${istTime(epochMs)}`;
}
