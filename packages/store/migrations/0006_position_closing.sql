-- A new risk check code: `position-closing` — a strategy order on a position the system is closing (square-off,
-- flatten, loss-cap exit) is refused until that close has ended, so the two can never both fill and reverse the
-- position. The list must equal core RISK_CHECK_CODES (the store contract suite checks every code is accepted).
ALTER TABLE risk_decisions DROP CONSTRAINT risk_decisions_code_check;
ALTER TABLE risk_decisions ADD CONSTRAINT risk_decisions_code_check CHECK (code IS NULL OR code IN (
  'kill-switch', 'position-closing', 'trading-halted', 'trading-window', 'instrument-unknown',
  'instrument-not-allowed', 'quantity-lot-size', 'price-tick-size', 'freeze-quantity', 'price-band',
  'stop-loss-required', 'stop-loss-invalid', 'order-value', 'orders-per-second', 'orders-per-day',
  'max-open-positions', 'instrument-exposure', 'total-exposure', 'daily-loss-cap', 'margin', 'ok'));
