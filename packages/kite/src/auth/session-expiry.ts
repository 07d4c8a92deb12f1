import { IST_OFFSET_MS } from '@kitepilot/core';

const DAY_MS = 86_400_000;
const SIX_AM_MS = 6 * 3_600_000;

/**
 * Returns when an access token issued at `loginMs` expires: the first 06:00 IST strictly after it (kite-connect.md
 * §1; a login at 05:00 IST expires at 06:00 the same day, one at 09:00 at 06:00 the next day).
 */
export function accessTokenExpiry(loginMs: number): number {
  if (!Number.isSafeInteger(loginMs)) throw new RangeError(`login time ${loginMs} is not integer epoch ms`);
  const local = loginMs + IST_OFFSET_MS;
  const midnight = Math.floor(local / DAY_MS) * DAY_MS;
  const sixToday = midnight + SIX_AM_MS;
  return (local < sixToday ? sixToday : sixToday + DAY_MS) - IST_OFFSET_MS;
}
