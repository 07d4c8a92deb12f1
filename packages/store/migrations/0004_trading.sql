-- Trading persistence: the trading controls that survive restarts, and the fields the engine's Signal and
-- RiskDecision carry that version 1 of signals and risk_decisions did not. Runs unchanged on PGlite and PostgreSQL 15+.

-- Trading controls: one row (id = 1) for the whole process. `halted` maps an account id to the reason it was halted;
-- halts apply to `halted_day` (an IST date) only, so a halt of an earlier day is void.
CREATE TABLE trading_controls (
  id                    integer PRIMARY KEY CHECK (id = 1),
  kill_switch           boolean NOT NULL DEFAULT false,
  halted                jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(halted) = 'object'),
  halted_day            date,
  live_acknowledged_day date,
  updated_at            timestamptz NOT NULL DEFAULT now()
);

-- Signals: why the strategy decided (shown in the journal) and when the process created the record. Rows written
-- before this migration have an empty reason and no ts_init.
ALTER TABLE signals ADD COLUMN reason text NOT NULL DEFAULT '';
ALTER TABLE signals ADD COLUMN ts_init timestamptz;
CREATE INDEX signals_account_ts_idx ON signals (account_id, ts_event);

-- Risk decisions: the code of the first failing check (core RISK_CHECK_CODES, `ok` when allowed), the strategy, and
-- the child quantities when an order above the freeze quantity is sliced. Rows written before this migration have
-- no code. The list below must equal RISK_CHECK_CODES (the store contract suite checks every code is accepted).
ALTER TABLE risk_decisions ADD COLUMN code text CHECK (code IS NULL OR code IN (
  'kill-switch', 'trading-halted', 'trading-window', 'instrument-unknown', 'instrument-not-allowed',
  'quantity-lot-size', 'price-tick-size', 'freeze-quantity', 'price-band', 'stop-loss-required', 'stop-loss-invalid',
  'order-value', 'orders-per-second', 'orders-per-day', 'max-open-positions', 'instrument-exposure',
  'total-exposure', 'daily-loss-cap', 'margin', 'ok'));
ALTER TABLE risk_decisions ADD COLUMN strategy_id text;
ALTER TABLE risk_decisions ADD COLUMN slices jsonb CHECK (slices IS NULL OR jsonb_typeof(slices) = 'array');

-- Reads of one account's orders by creation day (kitepilot orders, recovery of today's intents).
CREATE INDEX orders_account_created_idx ON orders (account_id, created_at);
