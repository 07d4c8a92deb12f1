import { createHash } from 'node:crypto';

/** The canonical JSON of a value (sorted keys, no whitespace): core's, re-exported for the store's callers. */
export { canonicalJson } from '@kitepilot/core';

/** Returns the sha256 of a UTF-8 text, hex. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
