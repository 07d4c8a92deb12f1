// Kite sends wall-clock timestamps in IST without a zone (kite-connect.md §2.1); the official client
// parses them in the host's zone (§8.6). These helpers read them as IST (UTC+05:30, no DST) on any host.

const IST_OFFSET_MS = (5 * 60 + 30) * 60 * 1000;
const IST_WALL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

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
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, se);
  const back = new Date(utc);
  // Date.UTC rolls 2026-02-30 over to March; a round trip exposes such impossible dates.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) {
    throw new IstTimestampError(`timestamp ${JSON.stringify(s)} is not a valid date and time`);
  }
  return utc - IST_OFFSET_MS;
}

/** Returns the epoch ms of an IST wall-clock string, or null for null, undefined or an empty string. */
export function parseOptionalIstTimestamp(s: string | null | undefined): number | null {
  return s === null || s === undefined || s === '' ? null : parseIstTimestamp(s);
}
