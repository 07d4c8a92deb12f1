-- Research results: the full result document of a backtest run, and walk-forward studies with their windows.
-- Runs unchanged on PGlite and PostgreSQL 15+. Child rows reference their parent through (account_id, id), as in
-- 0001, so that a row can never point at another account's row.

-- The result of a backtest run (one per run): trades, daily equity, equity curve, counts, warnings, metrics. The run
-- itself (config snapshot, status, times) stays in runs; deleting the run deletes its result.
CREATE TABLE backtest_results (
  run_id           text PRIMARY KEY,
  account_id       text NOT NULL REFERENCES accounts (id),
  strategy         text NOT NULL CHECK (length(strategy) BETWEEN 1 AND 200),
  params           jsonb NOT NULL CHECK (jsonb_typeof(params) = 'object'),
  metrics          jsonb NOT NULL CHECK (jsonb_typeof(metrics) = 'object'),
  result           jsonb NOT NULL CHECK (jsonb_typeof(result) = 'object'),
  order_list_hash  text NOT NULL CHECK (order_list_hash ~ '^[0-9a-f]{64}$'),
  data_from        timestamptz,
  data_to          timestamptz,
  created_at       timestamptz NOT NULL,
  UNIQUE (account_id, run_id),
  CHECK (data_from IS NULL OR data_to IS NULL OR data_from <= data_to),
  FOREIGN KEY (account_id, run_id) REFERENCES runs (account_id, id) ON DELETE CASCADE
);
CREATE INDEX backtest_results_account_created_idx ON backtest_results (account_id, created_at DESC, run_id DESC);
CREATE INDEX backtest_results_account_strategy_idx
  ON backtest_results (account_id, strategy, created_at DESC, run_id DESC);

-- A walk-forward study: `windows` train/test windows planned from `config`; each stored window is finished (done or
-- failed), so a study resumed after a crash recomputes only the windows it has no row for.
CREATE TABLE walk_forward_studies (
  id           text PRIMARY KEY CHECK (id ~ '^wf_[0-9A-Za-z]{1,40}$'),
  account_id   text NOT NULL REFERENCES accounts (id),
  strategy     text NOT NULL CHECK (length(strategy) BETWEEN 1 AND 200),
  config       jsonb NOT NULL,
  config_hash  text NOT NULL CHECK (config_hash ~ '^[0-9a-f]{64}$'),
  status       text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  windows      integer NOT NULL CHECK (windows > 0),
  created_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  summary      jsonb,
  UNIQUE (account_id, id),
  CHECK ((status = 'running') = (finished_at IS NULL))
);
CREATE INDEX walk_forward_studies_account_created_idx ON walk_forward_studies (account_id, created_at DESC, id DESC);

-- One finished window of a study. A done window holds the chosen parameters and its out-of-sample result; a failed
-- one holds the error. The test period never starts before the training period ends.
CREATE TABLE walk_forward_windows (
  account_id    text NOT NULL REFERENCES accounts (id),
  study_id      text NOT NULL,
  window_index  integer NOT NULL CHECK (window_index >= 0),
  train_from    timestamptz NOT NULL,
  train_to      timestamptz NOT NULL,
  test_from     timestamptz NOT NULL,
  test_to       timestamptz NOT NULL,
  status        text NOT NULL CHECK (status IN ('done', 'failed')),
  best_params   jsonb,
  train_score   double precision CHECK (train_score NOT IN ('NaN', 'Infinity', '-Infinity')),
  candidates    integer CHECK (candidates IS NULL OR candidates >= 0),
  test_result   jsonb,
  error         text,
  finished_at   timestamptz NOT NULL,
  PRIMARY KEY (study_id, window_index),
  FOREIGN KEY (account_id, study_id) REFERENCES walk_forward_studies (account_id, id) ON DELETE CASCADE,
  CHECK (train_from < train_to AND train_to <= test_from AND test_from < test_to),
  CHECK (status <> 'done' OR (best_params IS NOT NULL AND test_result IS NOT NULL)),
  CHECK (status <> 'failed' OR (error IS NOT NULL AND length(error) > 0))
);
