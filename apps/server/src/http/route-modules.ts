// The route modules that take only the route context, in the order the server registers them. The server adds the
// modules that need more (broker login, config reload, trading start/stop); tests build the same set from here.
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from './route-context.ts';
import { registerAuditRoutes } from './routes/audit.ts';
import { registerBackfillRoutes } from './routes/backfill.ts';
import { registerBacktestRoutes } from './routes/backtests.ts';
import { registerInstrumentRoutes } from './routes/instruments.ts';
import { registerJobRoutes } from './routes/jobs.ts';
import { registerKitePostbackRoutes } from './routes/kite-postback.ts';
import { registerLiveRoutes } from './routes/live.ts';
import { registerMarketDataRoutes } from './routes/market-data.ts';
import { registerRiskProfileRoutes } from './routes/risk-profiles.ts';
import { registerSignalRoutes } from './routes/signals.ts';
import { registerSlippageRoutes } from './routes/slippage.ts';
import { registerStrategyRoutes } from './routes/strategies.ts';
import { registerTradingControlRoutes } from './routes/trading-control.ts';
import { registerTradingReadRoutes } from './routes/trading-reads.ts';
import { registerWalkForwardRoutes } from './routes/walk-forward.ts';
import { registerWatchlistRoutes } from './routes/watchlist.ts';

/** A route module over the route context. */
export type RouteModule = (app: FastifyInstance, ctx: RouteContext) => void;

/** Every route module that needs only the route context. */
export const ROUTE_MODULES: readonly RouteModule[] = [
  registerMarketDataRoutes,
  registerInstrumentRoutes,
  registerWatchlistRoutes,
  registerBackfillRoutes,
  registerKitePostbackRoutes,
  registerTradingReadRoutes,
  registerSignalRoutes,
  registerTradingControlRoutes,
  registerRiskProfileRoutes,
  registerStrategyRoutes,
  registerJobRoutes,
  registerAuditRoutes,
  registerBacktestRoutes,
  registerWalkForwardRoutes,
  registerSlippageRoutes,
  registerLiveRoutes,
];
