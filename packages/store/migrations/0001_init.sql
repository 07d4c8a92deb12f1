-- KitePilot schema, version 1 (DESIGN.md §5). Runs unchanged on PGlite and on PostgreSQL 15+.
-- Conventions: money and prices are bigint integer paise; quantities integer/bigint; every time is timestamptz (UTC);
-- every account-owned table has account_id NOT NULL with a foreign key to accounts, and child rows reference their
-- parent through (account_id, id) so that a row can never point at another account's row.
-- A landed migration is never edited: add 0002_… instead (the migrator checks sha256 checksums).

-- Accounts and users -------------------------------------------------------------------------------------------------

CREATE TABLE accounts (
  id          text PRIMARY KEY CHECK (id ~ '^acc_[0-9A-Za-z]{1,40}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id             text PRIMARY KEY CHECK (id ~ '^usr_[0-9A-Za-z]{1,40}$'),
  account_id     text NOT NULL REFERENCES accounts (id),
  email          text NOT NULL,
  display_name   text NOT NULL,
  role           text NOT NULL CHECK (role IN ('owner', 'trader', 'viewer')),
  password_hash  text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, email)
);

-- Broker credentials are stored only encrypted (AES-256-GCM, DESIGN.md §5): ciphertext with the 16-byte GCM tag
-- appended, the 12-byte nonce, and the id of the key that encrypted them (for key rotation). Never plaintext.
CREATE TABLE broker_connections (
  id                       bigserial PRIMARY KEY,
  account_id               text NOT NULL REFERENCES accounts (id),
  broker                   text NOT NULL CHECK (broker IN ('zerodha', 'fyers', 'dhan', 'angelone')),
  broker_user_id           text NOT NULL,
  credentials_ciphertext   bytea NOT NULL CHECK (octet_length(credentials_ciphertext) > 16),
  credentials_nonce        bytea NOT NULL CHECK (octet_length(credentials_nonce) = 12),
  credentials_key_id       text NOT NULL CHECK (length(credentials_key_id) > 0),
  session_expires_at       timestamptz,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, broker, broker_user_id)
);

-- Instruments: one row per instrument per daily version (the broker's instrument dump of that day) -------------------

CREATE TABLE instruments (
  instrument_id    text NOT NULL CHECK (instrument_id ~ '^\S+\.(NSE|BSE|NFO|BFO)$'),
  valid_from       date NOT NULL,
  exchange         text NOT NULL CHECK (exchange IN ('NSE', 'BSE', 'NFO', 'BFO')),
  instrument_type  text NOT NULL CHECK (instrument_type IN ('EQ', 'FUT', 'CE', 'PE', 'INDEX')),
  trading_symbol   text NOT NULL,
  name             text NOT NULL,
  token            bigint NOT NULL CHECK (token > 0),
  exchange_token   bigint NOT NULL,
  tick_size_paise  bigint NOT NULL CHECK (tick_size_paise > 0),
  lot_size         integer NOT NULL CHECK (lot_size >= 1),
  freeze_qty       integer CHECK (freeze_qty IS NULL OR freeze_qty >= 1),
  expiry           date,
  strike_paise     bigint CHECK (strike_paise IS NULL OR strike_paise > 0),
  underlying       text,
  PRIMARY KEY (instrument_id, valid_from),
  CHECK (instrument_type NOT IN ('FUT', 'CE', 'PE') OR expiry IS NOT NULL),
  CHECK (instrument_type NOT IN ('CE', 'PE') OR strike_paise IS NOT NULL)
);
CREATE INDEX instruments_token_idx ON instruments (token, valid_from);
CREATE INDEX instruments_underlying_idx ON instruments (underlying, expiry) WHERE underlying IS NOT NULL;

-- Ticks: append-only, range-partitioned by UTC day on ts; simulated data lives in its own namespace (invariant 9) ----

CREATE TABLE ticks (
  namespace               text NOT NULL CHECK (namespace IN ('real', 'simulated')),
  instrument_id           text NOT NULL,
  -- ts is the exchange timestamp when the packet has one, else the receive time; it is the partition key.
  ts                      timestamptz NOT NULL,
  seq                     bigserial NOT NULL,
  token                   bigint NOT NULL,
  mode                    text NOT NULL CHECK (mode IN ('ltp', 'quote', 'full')),
  tradable                boolean NOT NULL,
  last_price_paise        bigint NOT NULL,
  last_traded_qty         bigint,
  avg_traded_price_paise  bigint,
  volume                  bigint,
  total_buy_qty           bigint,
  total_sell_qty          bigint,
  open_paise              bigint,
  high_paise              bigint,
  low_paise               bigint,
  close_paise             bigint,
  change_paise            bigint,
  last_trade_time         timestamptz,
  oi                      bigint,
  oi_day_high             bigint,
  oi_day_low              bigint,
  exchange_ts             timestamptz,
  depth                   jsonb,
  received_at             timestamptz NOT NULL
) PARTITION BY RANGE (ts);
CREATE INDEX ticks_instrument_ts_idx ON ticks (namespace, instrument_id, ts, seq);

-- Rows whose day has no partition yet land here, so that no insert ever fails for a missing partition.
CREATE TABLE ticks_default PARTITION OF ticks DEFAULT;

-- Creates the partition of ticks for one UTC day if it does not exist (returns true when it created it), moving any
-- rows of that day out of the default partition first so that ATTACH PARTITION can validate.
CREATE FUNCTION create_ticks_partition(day date) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  part text := 'ticks_' || to_char(day, 'YYYYMMDD');
  lo   text := to_char(day, 'YYYY-MM-DD') || ' 00:00:00+00';
  hi   text := to_char(day + 1, 'YYYY-MM-DD') || ' 00:00:00+00';
BEGIN
  IF to_regclass(part) IS NOT NULL THEN
    RETURN false;
  END IF;
  -- Two sessions creating the same day wait for each other; the second then sees the table and returns false.
  PERFORM pg_advisory_xact_lock(hashtext('kitepilot.ticks_partition'), hashtext(part));
  IF to_regclass(part) IS NOT NULL THEN
    RETURN false;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE ticks INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
  EXECUTE format(
    'WITH moved AS (DELETE FROM ticks_default WHERE ts >= %L::timestamptz AND ts < %L::timestamptz RETURNING *) '
    'INSERT INTO %I SELECT * FROM moved', lo, hi, part);
  EXECUTE format('ALTER TABLE ticks ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
  RETURN true;
END
$$;

-- Bars ---------------------------------------------------------------------------------------------------------------

CREATE TABLE bars (
  namespace      text NOT NULL CHECK (namespace IN ('real', 'simulated')),
  instrument_id  text NOT NULL,
  bar_interval   text NOT NULL CHECK (bar_interval IN ('1s', '1m', '3m', '5m', '10m', '15m', '30m', '60m', '1d')),
  start_at       timestamptz NOT NULL,
  open_paise     bigint NOT NULL,
  high_paise     bigint NOT NULL,
  low_paise      bigint NOT NULL,
  close_paise    bigint NOT NULL,
  volume         bigint NOT NULL CHECK (volume >= 0),
  oi             bigint,
  origin         text NOT NULL CHECK (origin IN ('live', 'historical', 'repaired')),
  PRIMARY KEY (namespace, instrument_id, bar_interval, start_at),
  CHECK (low_paise <= open_paise AND low_paise <= close_paise AND high_paise >= open_paise AND high_paise >= close_paise)
);

-- Runs: a backtest, paper or live session with the exact configuration it ran with -----------------------------------

CREATE TABLE runs (
  id           text PRIMARY KEY CHECK (id ~ '^run_[0-9A-Za-z]{1,40}$'),
  account_id   text NOT NULL REFERENCES accounts (id),
  environment  text NOT NULL CHECK (environment IN ('backtest', 'paper', 'live')),
  strategy_id  text NOT NULL,
  config       jsonb NOT NULL,
  config_hash  text NOT NULL CHECK (config_hash ~ '^[0-9a-f]{64}$'),
  status       text NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'aborted')),
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  summary      jsonb,
  UNIQUE (account_id, id)
);
CREATE INDEX runs_account_started_idx ON runs (account_id, started_at DESC);

-- Order intents, orders, raw order events, fills, positions -----------------------------------------------------------

CREATE TABLE order_intents (
  id                   text PRIMARY KEY CHECK (id ~ '^int_[0-9A-Za-z]{1,18}$'),
  account_id           text NOT NULL REFERENCES accounts (id),
  strategy_id          text NOT NULL,
  run_id               text NOT NULL,
  instrument_id        text NOT NULL,
  side                 text NOT NULL CHECK (side IN ('BUY', 'SELL')),
  qty                  integer NOT NULL CHECK (qty > 0),
  order_type           text NOT NULL CHECK (order_type IN ('MARKET', 'LIMIT', 'SL', 'SL-M')),
  product              text NOT NULL CHECK (product IN ('MIS', 'CNC', 'NRML', 'MTF')),
  validity             text NOT NULL CHECK (validity IN ('DAY', 'IOC', 'TTL')),
  validity_ttl_minutes integer CHECK (validity_ttl_minutes IS NULL OR validity_ttl_minutes > 0),
  limit_price_paise    bigint CHECK (limit_price_paise IS NULL OR limit_price_paise > 0),
  trigger_price_paise  bigint CHECK (trigger_price_paise IS NULL OR trigger_price_paise > 0),
  stop_loss_paise      bigint CHECK (stop_loss_paise IS NULL OR stop_loss_paise > 0),
  reason               text NOT NULL,
  ts_event             timestamptz NOT NULL,
  ts_init              timestamptz NOT NULL,
  UNIQUE (account_id, id),
  FOREIGN KEY (account_id, run_id) REFERENCES runs (account_id, id)
);
CREATE INDEX order_intents_account_ts_idx ON order_intents (account_id, ts_event);
CREATE INDEX order_intents_run_idx ON order_intents (account_id, run_id);

CREATE TABLE orders (
  client_order_id      text PRIMARY KEY CHECK (client_order_id ~ '^ord_[0-9A-Za-z]{1,40}$'),
  account_id           text NOT NULL REFERENCES accounts (id),
  intent_id            text NOT NULL,
  strategy_id          text NOT NULL,
  run_id               text NOT NULL,
  instrument_id        text NOT NULL,
  side                 text NOT NULL CHECK (side IN ('BUY', 'SELL')),
  qty                  integer NOT NULL CHECK (qty > 0),
  order_type           text NOT NULL CHECK (order_type IN ('MARKET', 'LIMIT', 'SL', 'SL-M')),
  product              text NOT NULL CHECK (product IN ('MIS', 'CNC', 'NRML', 'MTF')),
  validity             text NOT NULL CHECK (validity IN ('DAY', 'IOC', 'TTL')),
  validity_ttl_minutes integer,
  variety              text NOT NULL CHECK (variety IN ('regular', 'amo', 'co', 'iceberg', 'auction')),
  limit_price_paise    bigint,
  trigger_price_paise  bigint,
  venue_order_id       text,
  status               text NOT NULL CHECK (status IN ('INITIALIZED', 'SUBMITTED', 'ACCEPTED', 'TRIGGER_PENDING', 'OPEN',
                         'PARTIALLY_FILLED', 'PENDING_MODIFY', 'PENDING_CANCEL', 'FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED')),
  venue_status         text,
  filled_qty           integer NOT NULL CHECK (filled_qty >= 0),
  filled_value_paise   bigint NOT NULL CHECK (filled_value_paise >= 0),
  cancelled_qty        integer NOT NULL CHECK (cancelled_qty >= 0),
  status_message       text,
  -- Ids of the order events already applied, oldest first (the state machine's dedupe list).
  applied_event_ids    jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(applied_event_ids) = 'array'),
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL,
  UNIQUE (account_id, client_order_id),
  CHECK (filled_qty + cancelled_qty <= qty),
  FOREIGN KEY (account_id, intent_id) REFERENCES order_intents (account_id, id),
  FOREIGN KEY (account_id, run_id) REFERENCES runs (account_id, id)
);
-- Invariant 3: an intent has at most one order that is live or filled; a new order for the same intent is possible
-- only after the previous one was cancelled, rejected or expired.
CREATE UNIQUE INDEX orders_one_live_per_intent ON orders (intent_id)
  WHERE status NOT IN ('CANCELLED', 'REJECTED', 'EXPIRED');
CREATE UNIQUE INDEX orders_venue_order_id_idx ON orders (account_id, venue_order_id) WHERE venue_order_id IS NOT NULL;
CREATE INDEX orders_account_status_idx ON orders (account_id, status);
CREATE INDEX orders_intent_idx ON orders (account_id, intent_id);

-- Every raw broker message about an order (postback, WS order update, orderbook poll), kept verbatim.
CREATE TABLE order_events (
  id               bigserial PRIMARY KEY,
  account_id       text NOT NULL REFERENCES accounts (id),
  client_order_id  text,
  venue_order_id   text,
  source           text NOT NULL CHECK (source IN ('postback', 'websocket', 'orderbook', 'rest')),
  venue_status     text,
  payload          jsonb NOT NULL,
  received_at      timestamptz NOT NULL,
  FOREIGN KEY (account_id, client_order_id) REFERENCES orders (account_id, client_order_id)
);
CREATE INDEX order_events_order_idx ON order_events (account_id, client_order_id, id);
CREATE INDEX order_events_venue_idx ON order_events (account_id, venue_order_id, id);

CREATE TABLE fills (
  id               text PRIMARY KEY CHECK (id ~ '^fil_[0-9A-Za-z]{1,40}$'),
  account_id       text NOT NULL REFERENCES accounts (id),
  client_order_id  text NOT NULL,
  venue_trade_id   text NOT NULL,
  instrument_id    text NOT NULL,
  product          text NOT NULL CHECK (product IN ('MIS', 'CNC', 'NRML', 'MTF')),
  side             text NOT NULL CHECK (side IN ('BUY', 'SELL')),
  qty              integer NOT NULL CHECK (qty > 0),
  price_paise      bigint NOT NULL CHECK (price_paise > 0),
  ts_event         timestamptz NOT NULL,
  ts_init          timestamptz NOT NULL,
  UNIQUE (account_id, venue_trade_id),
  FOREIGN KEY (account_id, client_order_id) REFERENCES orders (account_id, client_order_id)
);
CREATE INDEX fills_order_idx ON fills (account_id, client_order_id);
CREATE INDEX fills_account_ts_idx ON fills (account_id, ts_event);

-- Invariant 2: at most one position per account × instrument × product (the primary key).
CREATE TABLE positions (
  account_id          text NOT NULL REFERENCES accounts (id),
  instrument_id       text NOT NULL,
  product             text NOT NULL CHECK (product IN ('MIS', 'CNC', 'NRML', 'MTF')),
  net_qty             bigint NOT NULL,
  cost_basis_paise    bigint NOT NULL,
  realised_pnl_paise  bigint NOT NULL,
  updated_at          timestamptz NOT NULL,
  PRIMARY KEY (account_id, instrument_id, product)
);

-- Risk -----------------------------------------------------------------------------------------------------------------

CREATE TABLE risk_profiles (
  id                     text PRIMARY KEY CHECK (id ~ '^rsk_[0-9A-Za-z]{1,40}$'),
  account_id             text NOT NULL REFERENCES accounts (id),
  name                   text NOT NULL,
  daily_loss_cap_paise   bigint NOT NULL CHECK (daily_loss_cap_paise > 0),
  max_order_value_paise  bigint CHECK (max_order_value_paise IS NULL OR max_order_value_paise > 0),
  max_open_positions     integer CHECK (max_open_positions IS NULL OR max_open_positions >= 0),
  limits                 jsonb NOT NULL DEFAULT '{}'::jsonb,
  active                 boolean NOT NULL DEFAULT false,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, name)
);
CREATE UNIQUE INDEX risk_profiles_one_active ON risk_profiles (account_id) WHERE active;

-- Invariant 1: every risk decision, allowed or denied, with its reason.
CREATE TABLE risk_decisions (
  id               bigserial PRIMARY KEY,
  account_id       text NOT NULL REFERENCES accounts (id),
  intent_id        text NOT NULL,
  risk_profile_id  text REFERENCES risk_profiles (id),
  decision         text NOT NULL CHECK (decision IN ('allow', 'deny')),
  reason           text NOT NULL,
  details          jsonb NOT NULL DEFAULT '{}'::jsonb,
  decided_at       timestamptz NOT NULL,
  FOREIGN KEY (account_id, intent_id) REFERENCES order_intents (account_id, id)
);
CREATE INDEX risk_decisions_account_idx ON risk_decisions (account_id, decided_at);
CREATE INDEX risk_decisions_intent_idx ON risk_decisions (account_id, intent_id);

-- Models and signals ---------------------------------------------------------------------------------------------------

CREATE TABLE models (
  id            text PRIMARY KEY CHECK (id ~ '^mdl_[0-9A-Za-z]{1,40}$'),
  name          text NOT NULL,
  version       text NOT NULL,
  format        text NOT NULL CHECK (format IN ('xgboost-json', 'lightgbm-text', 'onnx')),
  sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  artifact_uri  text NOT NULL,
  metadata      jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (name, version)
);

CREATE TABLE signals (
  id             text PRIMARY KEY CHECK (id ~ '^sig_[0-9A-Za-z]{1,40}$'),
  account_id     text NOT NULL REFERENCES accounts (id),
  run_id         text NOT NULL,
  strategy_id    text NOT NULL,
  instrument_id  text NOT NULL,
  model_id       text REFERENCES models (id),
  direction      text NOT NULL CHECK (direction IN ('LONG', 'SHORT', 'FLAT')),
  strength       double precision,
  features       jsonb,
  ts_event       timestamptz NOT NULL,
  FOREIGN KEY (account_id, run_id) REFERENCES runs (account_id, id)
);
CREATE INDEX signals_run_idx ON signals (account_id, run_id, ts_event);

-- Audit: append-only hash chain (invariant 8). seq is gap-free from 1; hash = sha256(prev_hash || canonical record). --

CREATE TABLE audit_events (
  seq         bigint PRIMARY KEY CHECK (seq >= 1),
  -- NULL for system events that belong to no account (migrations, configuration reloads).
  account_id  text REFERENCES accounts (id),
  ts          timestamptz NOT NULL,
  kind        text NOT NULL CHECK (length(kind) > 0),
  actor       text NOT NULL,
  payload     jsonb NOT NULL,
  prev_hash   text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash        text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX audit_events_account_idx ON audit_events (account_id, seq) WHERE account_id IS NOT NULL;

CREATE FUNCTION audit_events_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'KP001';
END
$$;

CREATE TRIGGER audit_events_no_update_delete
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_reject_change();

CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_reject_change();

-- Scheduled jobs (seed "JobRunLog"): one row per phase of a job run ---------------------------------------------------

CREATE TABLE job_runs (
  job_run_id   text NOT NULL CHECK (job_run_id ~ '^job_[0-9A-Za-z]{1,40}$'),
  job          text NOT NULL,
  phase        text NOT NULL,
  message      text NOT NULL DEFAULT '',
  is_error     boolean NOT NULL DEFAULT false,
  retries      integer NOT NULL DEFAULT 0 CHECK (retries >= 0),
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  PRIMARY KEY (job_run_id, phase),
  CHECK (finished_at IS NULL OR finished_at >= started_at)
);
CREATE INDEX job_runs_job_started_idx ON job_runs (job, started_at DESC);
