// Kite's time formats: JSON timestamps are IST wall-clock strings `YYYY-MM-DD HH:MM:SS` (no zone) and candle
// timestamps are ISO with a `+0530` offset (kite-connect.md §2.1).
import { istDate, istTime, istToEpochMs } from '@kitepilot/core';

/** Returns an instant as Kite's IST string `YYYY-MM-DD HH:MM:SS`. */
export function kiteTimestamp(epochMs: number): string {
  return `${istDate(epochMs)} ${istTime(epochMs)}`;
}

/** Returns an instant as a Kite candle timestamp `YYYY-MM-DDTHH:MM:SS+0530`. */
export function candleTimestamp(epochMs: number): string {
  return `${istDate(epochMs)}T${istTime(epochMs)}+0530`;
}

const IST_DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?$/;

/** Returns the epoch ms of an IST `YYYY-MM-DD[ HH:MM[:SS]]` string, or null when it does not parse. */
export function parseIstDateTime(text: string): number | null {
  const match = IST_DATE_TIME.exec(text.trim());
  if (match === null || match[1] === undefined) return null;
  try {
    return istToEpochMs(match[1], match[2] ?? '00:00:00');
  } catch (error) {
    // An impossible date or time (2026-02-30, 25:00) is a bad parameter, reported by the caller.
    if (error instanceof RangeError) return null;
    throw error;
  }
}
