// Composition of the simulator: one node:http server on 127.0.0.1 carrying REST, the login redirect and the
// ticker upgrade; a synthetic market, an order book, postbacks and fault injection. A test double and a demo
// backend only: nothing in it may be wired into a production trading path.
import { SystemClock } from '@kitepilot/runtime';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultState } from './fault-state.ts';
import { createRestHandler } from './http/rest-handler.ts';
import { GttStore } from './http/gtt-store.ts';
import { RateLimiter, KITE_RATE_LIMITS } from './http/rate-limiter.ts';
import { ACCOUNT_ROUTES } from './http/routes-account.ts';
import { MARKET_ROUTES } from './http/routes-market.ts';
import { ORDER_ROUTES } from './http/routes-orders.ts';
import { SESSION_ROUTES } from './http/routes-session.ts';
import type { Route, SimContext } from './http/route-types.ts';
import { SessionStore } from './http/session-store.ts';
import type { KiteSim, KiteSimOptions } from './kite-sim-types.ts';
import { stringId } from './market/hash.ts';
import { SyntheticMarket } from './market/synthetic-market.ts';
import { OrderBook } from './matching/order-book.ts';
import { Portfolio, type SimHolding } from './matching/portfolio.ts';
import { PostbackSender } from './postback/postback-sender.ts';
import { TickerServer } from './ws/ticker-server.ts';

/** The simulated account's user id. */
export const SIM_USER_ID = 'SIM001';
const DEFAULT_CASH_PAISE = 100_000_000;

const LOGIN_COMPLETE: Route = {
  method: 'GET',
  pattern: /^\/sim\/login-complete$/,
  rateClass: null,
  auth: 'none',
  handle: (_ctx, req) => ({
    raw: true,
    status: 200,
    contentType: 'text/plain',
    body: `Simulated Kite login complete (SIMULATOR — not Zerodha). request_token=${req.query.get('request_token') ?? ''}\n`,
  }),
};

function holdingsOf(market: SyntheticMarket): SimHolding[] {
  const find = (symbol: string) => market.modelByKey(`NSE:${symbol}`)?.instrument;
  const out: SimHolding[] = [];
  const infy = find('SIMINFY');
  const itc = find('SIMITC');
  if (infy !== undefined) out.push({ instrument: infy, quantity: 10, averagePricePaise: 142_050 });
  if (itc !== undefined) out.push({ instrument: itc, quantity: 100, averagePricePaise: 39_820 });
  return out;
}

/** Starts a simulator on 127.0.0.1 and resolves when it listens. */
export async function startKiteSim(options: KiteSimOptions = {}): Promise<KiteSim> {
  const clock = options.clock ?? new SystemClock();
  const apiKey = options.apiKey ?? 'kpsim_key';
  const apiSecret = options.apiSecret ?? 'kpsim_secret';
  const seed = options.seed ?? 1;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 1000;
  if (heartbeatIntervalMs >= 5000) {
    throw new RangeError(
      `heartbeatIntervalMs ${heartbeatIntervalMs} must be below 5000 (official clients drop after 5 s)`,
    );
  }
  const tickIntervalMs = options.tickIntervalMs ?? 250;
  const cashPaise = options.cashPaise ?? DEFAULT_CASH_PAISE;
  if (!Number.isSafeInteger(cashPaise)) throw new RangeError(`cashPaise ${cashPaise} must be an integer`);

  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, run: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      run();
    }, ms);
    timers.add(t);
  };
  const realNow = (): number => performance.now();
  const internalErrors: unknown[] = [];
  let handler: Parameters<typeof createServer>[1] = (_req, res) => res.end();
  const server = createServer((req, res) => handler?.(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const restUrl = `http://127.0.0.1:${port}`;

  const market = new SyntheticMarket(seed, clock.now());
  const sessions = new SessionStore();
  const portfolio = new Portfolio(holdingsOf(market));
  const postbacks = new PostbackSender({
    url: options.postbackUrl ?? null,
    apiSecret,
    appId: stringId(apiKey) % 100_000,
    userId: SIM_USER_ID,
    later,
  });
  const ticker = new TickerServer({
    clock,
    market,
    apiKey,
    sessions,
    tickIntervalMs,
    heartbeatIntervalMs,
    realNow,
  });
  const book = new OrderBook({
    market,
    portfolio,
    userId: SIM_USER_ID,
    cashPaise,
    publish: (order) => {
      ticker.broadcastOrder(order);
      postbacks.send(order);
    },
  });
  const ctx: SimContext = {
    clock,
    apiKey,
    apiSecret,
    userId: SIM_USER_ID,
    cashPaise,
    redirectUrl: options.redirectUrl ?? `${restUrl}/sim/login-complete`,
    market,
    book,
    portfolio,
    sessions,
    gtt: new GttStore(SIM_USER_ID),
  };
  const faults = new FaultState();
  handler = createRestHandler({
    ctx,
    routes: [...SESSION_ROUTES, ...MARKET_ROUTES, ...ORDER_ROUTES, ...ACCOUNT_ROUTES, LOGIN_COMPLETE],
    faults,
    limiter: options.enforceRateLimits === false ? null : new RateLimiter(KITE_RATE_LIMITS, realNow),
    later,
    onInternalError: (error) => internalErrors.push(error),
  });
  server.on('upgrade', (req, socket, head) => ticker.handleUpgrade(req, socket, head));
  // Resting orders fill as the market moves, not only when a request arrives: their order updates and
  // postbacks are pushed from here.
  const matcher = setInterval(() => {
    try {
      book.advance(clock.now());
    } catch (error) {
      internalErrors.push(error);
    }
  }, tickIntervalMs);
  matcher.unref();

  return {
    restUrl,
    wsUrl: `ws://127.0.0.1:${port}`,
    apiKey,
    apiSecret,
    createRequestToken: (userId = SIM_USER_ID) => sessions.issueRequestToken(userId, clock.now()),
    createAccessToken: (userId = SIM_USER_ID) =>
      sessions.exchange(sessions.issueRequestToken(userId, clock.now()), clock.now()).accessToken,
    instruments: market.instruments,
    faults: {
      dropSockets: () => ticker.dropAll(),
      stallSockets: (ms) => ticker.stall(ms),
      failNextRequests: (n, status, pathPrefix) => faults.arm({ kind: 'fail', status }, n, pathPrefix),
      rateLimitNextRequests: (n, pathPrefix) => faults.arm({ kind: 'rate-limit' }, n, pathPrefix),
      delayNextResponses: (n, ms, pathPrefix) => faults.arm({ kind: 'delay', ms }, n, pathPrefix),
      expireTokens: () => sessions.expireAll(),
      delayPostbacks: (ms) => postbacks.delay(ms),
      losePostbacks: (n) => postbacks.lose(n),
    },
    flushPostbacks: () => postbacks.drain(),
    postbackStats: () => postbacks.stats(),
    internalErrors: () => [...internalErrors],
    close: async () => {
      clearInterval(matcher);
      ticker.close();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
