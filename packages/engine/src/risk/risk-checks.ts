import { checkDailyLossCap, checkMargin } from './checks/capital-checks.ts';
import type { RiskCheck } from './checks/check-context.ts';
import {
  checkInstrumentExposure,
  checkMaxOpenPositions,
  checkTotalExposure,
} from './checks/exposure-checks.ts';
import {
  checkKillSwitch,
  checkPositionClosing,
  checkTradingHalted,
  checkTradingWindow,
} from './checks/gate-checks.ts';
import {
  checkFreezeQuantity,
  checkInstrumentAllowed,
  checkInstrumentUnknown,
  checkLotSize,
  checkPriceBand,
  checkTickSize,
} from './checks/instrument-checks.ts';
import { checkOrderValue, checkOrdersPerDay, checkOrdersPerSecond } from './checks/rate-checks.ts';
import { checkStopLossInvalid, checkStopLossRequired } from './checks/stop-loss-checks.ts';

/**
 * The pre-trade checks in the order of RISK_CHECK_CODES. System orders (flatten, square-off, loss-cap exit) run
 * only `every-order` checks; strategy exits also run `strategy-orders`; strategy entries run all of them.
 */
export const RISK_CHECKS: readonly RiskCheck[] = [
  { code: 'kill-switch', scope: 'strategy-orders', run: checkKillSwitch },
  { code: 'position-closing', scope: 'strategy-orders', run: checkPositionClosing },
  { code: 'trading-halted', scope: 'strategy-entries', run: checkTradingHalted },
  { code: 'trading-window', scope: 'strategy-entries', run: checkTradingWindow },
  { code: 'instrument-unknown', scope: 'every-order', run: checkInstrumentUnknown },
  { code: 'instrument-not-allowed', scope: 'every-order', run: checkInstrumentAllowed },
  { code: 'quantity-lot-size', scope: 'every-order', run: checkLotSize },
  { code: 'price-tick-size', scope: 'every-order', run: checkTickSize },
  { code: 'freeze-quantity', scope: 'every-order', run: checkFreezeQuantity },
  { code: 'price-band', scope: 'every-order', run: checkPriceBand },
  { code: 'stop-loss-required', scope: 'strategy-entries', run: checkStopLossRequired },
  { code: 'stop-loss-invalid', scope: 'strategy-entries', run: checkStopLossInvalid },
  { code: 'order-value', scope: 'strategy-entries', run: checkOrderValue },
  { code: 'orders-per-second', scope: 'strategy-orders', run: checkOrdersPerSecond },
  { code: 'orders-per-day', scope: 'strategy-orders', run: checkOrdersPerDay },
  { code: 'max-open-positions', scope: 'strategy-entries', run: checkMaxOpenPositions },
  { code: 'instrument-exposure', scope: 'strategy-entries', run: checkInstrumentExposure },
  { code: 'total-exposure', scope: 'strategy-entries', run: checkTotalExposure },
  { code: 'daily-loss-cap', scope: 'strategy-entries', run: checkDailyLossCap },
  { code: 'margin', scope: 'strategy-entries', run: checkMargin },
];
