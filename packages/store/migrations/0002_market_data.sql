-- Market data (ingest, instruments master, watchlist): quarantined ticks, simulated instruments kept in their own
-- namespace, index symbols with spaces, and the watchlist.

-- Instruments carry the namespace of the data they describe, so a simulated universe never mixes with the real
-- master (DESIGN.md invariant 9).
ALTER TABLE instruments ADD COLUMN namespace text NOT NULL DEFAULT 'real' CHECK (namespace IN ('real', 'simulated'));
ALTER TABLE instruments ALTER COLUMN namespace DROP DEFAULT;
ALTER TABLE instruments DROP CONSTRAINT instruments_pkey;
ALTER TABLE instruments ADD PRIMARY KEY (namespace, instrument_id, valid_from);
-- Index symbols contain inner spaces (`NIFTY 50.NSE`); the id is SYMBOL.EXCHANGE without leading/trailing space.
ALTER TABLE instruments DROP CONSTRAINT instruments_instrument_id_check;
ALTER TABLE instruments ADD CONSTRAINT instruments_instrument_id_check
  CHECK (instrument_id ~ '^\S(.*\S)?\.(NSE|BSE|NFO|BFO)$');
DROP INDEX instruments_token_idx;
CREATE INDEX instruments_token_idx ON instruments (namespace, token, valid_from);

-- Ticks that failed validation: never stored as good, never silently dropped. `raw` keeps the decoded tick.
CREATE TABLE tick_quarantine (
  id             bigserial PRIMARY KEY,
  namespace      text NOT NULL CHECK (namespace IN ('real', 'simulated')),
  token          bigint NOT NULL,
  instrument_id  text,
  ts             timestamptz NOT NULL,
  received_at    timestamptz NOT NULL,
  reason_code    text NOT NULL,
  reason         text NOT NULL,
  raw            jsonb NOT NULL
);
CREATE INDEX tick_quarantine_received_idx ON tick_quarantine (namespace, received_at);
CREATE INDEX tick_quarantine_reason_idx ON tick_quarantine (namespace, reason_code, received_at);

-- The instruments whose ticks are recorded, with the ticker mode to subscribe in.
CREATE TABLE watchlist (
  namespace      text NOT NULL CHECK (namespace IN ('real', 'simulated')),
  instrument_id  text NOT NULL,
  mode           text NOT NULL DEFAULT 'full' CHECK (mode IN ('ltp', 'quote', 'full')),
  added_at       timestamptz NOT NULL,
  PRIMARY KEY (namespace, instrument_id)
);
