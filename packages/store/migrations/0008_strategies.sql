-- Stored strategy definitions: strategies added through the API (the config's [[trading.strategies]] stay in the
-- file). `kind` names a registered built-in strategy; `params` are its parameters other than symbol, qty and product,
-- already validated by that strategy's own parameter parser; the stop-loss is checked by the API before a row is
-- written (every kind must express one). An enabled definition runs from the next trading start. Runs unchanged on
-- PGlite and PostgreSQL 15+.
CREATE TABLE strategy_definitions (
  account_id     text NOT NULL REFERENCES accounts (id),
  id             text NOT NULL CHECK (id ~ '^str_[0-9A-Za-z]{1,40}$'),
  kind           text NOT NULL CHECK (kind ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  instrument_id  text NOT NULL CHECK (instrument_id ~ '^\S(.*\S)?\.(NSE|BSE|NFO|BFO)$'),
  qty            integer NOT NULL CHECK (qty > 0),
  product        text NOT NULL CHECK (product IN ('MIS', 'CNC', 'NRML')),
  params         jsonb NOT NULL CHECK (jsonb_typeof(params) = 'object'),
  enabled        boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  PRIMARY KEY (account_id, id),
  CHECK (updated_at >= created_at)
);
CREATE INDEX strategy_definitions_enabled_idx ON strategy_definitions (account_id) WHERE enabled;
