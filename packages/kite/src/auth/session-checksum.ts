import { createHash } from 'node:crypto';

/** Returns hex(SHA-256(apiKey + requestToken + apiSecret)), the checksum of the token exchange (kite-connect.md §1). */
export function sessionChecksum(apiKey: string, requestToken: string, apiSecret: string): string {
  return createHash('sha256')
    .update(apiKey + requestToken + apiSecret, 'utf8')
    .digest('hex');
}
