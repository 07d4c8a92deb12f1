import type {
  AccountRepository,
  AuditRepository,
  AuthRepository,
  BacktestResultRepository,
  BarRepository,
  FillRepository,
  InstrumentRepository,
  JobRunRepository,
  OrderEventRepository,
  OrderIntentRepository,
  OrderRepository,
  PositionRepository,
  RiskDecisionRepository,
  RunRepository,
  SignalRepository,
  TickQuarantineRepository,
  TickRepository,
  TradingControlsRepository,
  WalkForwardRepository,
  WatchlistRepository,
} from '@kitepilot/core';
import type { SqlDriver } from './driver/sql-driver.ts';
import { SqlAccountRepository } from './repositories/account-repository.ts';
import { SqlAuditRepository } from './repositories/audit-repository.ts';
import { SqlAuthRepository } from './repositories/auth-repository.ts';
import { SqlBacktestResultRepository } from './repositories/backtest-result-repository.ts';
import { SqlBarRepository } from './repositories/bar-repository.ts';
import { SqlFillRepository } from './repositories/fill-repository.ts';
import { SqlInstrumentRepository } from './repositories/instrument-repository.ts';
import { SqlJobRunRepository } from './repositories/job-run-repository.ts';
import { SqlOrderEventRepository } from './repositories/order-event-repository.ts';
import { SqlOrderIntentRepository } from './repositories/order-intent-repository.ts';
import { SqlOrderRepository } from './repositories/order-repository.ts';
import { SqlPositionRepository } from './repositories/position-repository.ts';
import { SqlRiskDecisionRepository } from './repositories/risk-decision-repository.ts';
import { SqlRunRepository } from './repositories/run-repository.ts';
import { SqlSignalRepository } from './repositories/signal-repository.ts';
import { SqlTickQuarantineRepository } from './repositories/tick-quarantine-repository.ts';
import { SqlTickRepository } from './repositories/tick-repository.ts';
import { SqlTradingControlsRepository } from './repositories/trading-controls-repository.ts';
import { SqlWalkForwardRepository } from './repositories/walk-forward-repository.ts';
import { SqlWatchlistRepository } from './repositories/watchlist-repository.ts';

/** The store: every repository over one driver. */
export interface Store {
  readonly driver: SqlDriver;
  readonly accounts: AccountRepository;
  readonly instruments: InstrumentRepository;
  readonly ticks: TickRepository;
  readonly tickQuarantine: TickQuarantineRepository;
  readonly bars: BarRepository;
  readonly intents: OrderIntentRepository;
  readonly orders: OrderRepository;
  readonly orderEvents: OrderEventRepository;
  readonly fills: FillRepository;
  readonly positions: PositionRepository;
  readonly riskDecisions: RiskDecisionRepository;
  readonly signals: SignalRepository;
  readonly tradingControls: TradingControlsRepository;
  readonly runs: RunRepository;
  readonly audit: AuditRepository;
  readonly jobRuns: JobRunRepository;
  readonly watchlist: WatchlistRepository;
  readonly backtests: BacktestResultRepository;
  readonly walkForward: WalkForwardRepository;
  /** Users, their accounts, sessions and API tokens. */
  readonly auth: AuthRepository;
  /** Closes the driver. */
  close(): Promise<void>;
}

/** Returns the store over `driver`; the schema must already be migrated (see `migrate`). */
export function createStore(driver: SqlDriver): Store {
  return {
    driver,
    accounts: new SqlAccountRepository(driver),
    instruments: new SqlInstrumentRepository(driver),
    ticks: new SqlTickRepository(driver),
    tickQuarantine: new SqlTickQuarantineRepository(driver),
    bars: new SqlBarRepository(driver),
    intents: new SqlOrderIntentRepository(driver),
    orders: new SqlOrderRepository(driver),
    orderEvents: new SqlOrderEventRepository(driver),
    fills: new SqlFillRepository(driver),
    positions: new SqlPositionRepository(driver),
    riskDecisions: new SqlRiskDecisionRepository(driver),
    signals: new SqlSignalRepository(driver),
    tradingControls: new SqlTradingControlsRepository(driver),
    runs: new SqlRunRepository(driver),
    audit: new SqlAuditRepository(driver),
    jobRuns: new SqlJobRunRepository(driver),
    watchlist: new SqlWatchlistRepository(driver),
    backtests: new SqlBacktestResultRepository(driver),
    walkForward: new SqlWalkForwardRepository(driver),
    auth: new SqlAuthRepository(driver),
    close: () => driver.close(),
  };
}
