// The time bounds of the reads (`--from`/`--to`, `from=`/`to=`): IST unless an offset is given.
import { addDays, istToEpochMs } from '@kitepilot/core';

/** Thrown when a time bound is malformed or a range is empty. */
export class TimeBoundError extends Error {
  override name = 'TimeBoundError';
}

const DATE_ONLY = /^(\d{4}-\d{2}-\d{2})$/;
const LOCAL = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Returns the epoch ms of a bound: `YYYY-MM-DD` (IST midnight starting that day for `from`, the midnight ending it
 * for `to`, so `--to 2026-11-20` includes the whole day), `YYYY-MM-DDTHH:MM[:SS]` (IST), or ISO 8601 with `Z` or an
 * offset; throws TimeBoundError naming the text.
 */
export function parseTimeBound(text: string, edge: 'from' | 'to'): number {
  const s = text.trim();
  try {
    const date = DATE_ONLY.exec(s);
    if (date !== null) {
      const day = date[1] as string;
      return istToEpochMs(edge === 'from' ? day : addDays(day, 1), '00:00');
    }
    const local = LOCAL.exec(s);
    if (local !== null) return istToEpochMs(local[1] as string, local[2] as string);
    if (WITH_OFFSET.test(s) && addDays(s.slice(0, 10), 0) === s.slice(0, 10)) {
      const ms = Date.parse(s);
      if (Number.isSafeInteger(ms)) return ms;
    }
  } catch (error) {
    throw new TimeBoundError(`${edge} ${JSON.stringify(text)} is not a valid date or time`, { cause: error });
  }
  throw new TimeBoundError(
    `${edge} ${JSON.stringify(text)} is not YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (IST) or ISO 8601 with an offset`,
  );
}

/** Returns [fromMs, toMs) of two bounds; throws TimeBoundError when the range is empty. */
export function parseTimeRange(from: string, to: string): { readonly fromMs: number; readonly toMs: number } {
  const fromMs = parseTimeBound(from, 'from');
  const toMs = parseTimeBound(to, 'to');
  if (toMs <= fromMs)
    throw new TimeBoundError(`to ${JSON.stringify(to)} is not after from ${JSON.stringify(from)}`);
  return { fromMs, toMs };
}
