// Kite sends wall-clock timestamps in IST without a zone (kite-connect.md §2.1); the official client
// parses them in the host's zone (§8.6). These helpers read them as IST (UTC+05:30, no DST) on any host,
// with the calendar's integer date arithmetic.
import { istToEpochMs } from '@kitepilot/core';

const IST_WALL = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/;

/** Signals a timestamp string that is not an IST wall-clock time `YYYY-MM-DD HH:MM:SS`. */
export class IstTimestampError extends Error {
  override name = 'IstTimestampError';
}

/** Returns the epoch ms of an IST wall-clock string `YYYY-MM-DD HH:MM:SS`; throws IstTimestampError otherwise. */
export function parseIstTimestamp(s: string): number {
  const m = IST_WALL.exec(s);
  if (m === null) {
    throw new IstTimestampError(`timestamp ${JSON.stringify(s)} is not an IST "YYYY-MM-DD HH:MM:SS"`);
  }
  try {
    return istToEpochMs(m[1] ?? '', m[2] ?? '');
  } catch (cause) {
    throw new IstTimestampError(`timestamp ${JSON.stringify(s)} is not a valid date and time`, { cause });
  }
}

/** Returns the epoch ms of an IST wall-clock string, or null for null, undefined or an empty string. */
export function parseOptionalIstTimestamp(s: string | null | undefined): number | null {
  return s === null || s === undefined || s === '' ? null : parseIstTimestamp(s);
}
