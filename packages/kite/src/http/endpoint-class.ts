/** The rate-limit classes of Kite endpoints (kite-connect.md §4, market-rules.md §5.2). */
export const ENDPOINT_CLASSES = ['quote', 'historical', 'orders', 'other'] as const;

/** One endpoint class; each has its own limits and its own circuit breaker. */
export type EndpointClass = (typeof ENDPOINT_CLASSES)[number];

/** Returns the class of a request: `/quote*`, `/instruments/historical/*`, order writes, or everything else. */
export function endpointClassOf(method: string, path: string): EndpointClass {
  if (path === '/quote' || path.startsWith('/quote/')) return 'quote';
  if (path.startsWith('/instruments/historical/')) return 'historical';
  // Only place/modify/cancel count against the order limits; reading the orderbook is an "other" call.
  if (path.startsWith('/orders/') && method !== 'GET') return 'orders';
  return 'other';
}
