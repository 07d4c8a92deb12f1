-- Authentication (docs/decisions/0009-auth.md): installation users with one role each, the accounts they may act on,
-- browser sessions and API tokens. No secret is stored in plain text: passwords as argon2id PHC strings, TOTP secrets
-- encrypted (AES-256-GCM under the master key, purpose 'totp'), session ids and API tokens as SHA-256 hashes.

-- Users become installation-wide: account_id stays as an optional home account, the email is unique across the
-- installation (case-insensitive), and the roles are renamed (trader → operator, viewer → readonly).
ALTER TABLE users ALTER COLUMN account_id DROP NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_account_id_email_key;
ALTER TABLE users DROP CONSTRAINT users_role_check;
UPDATE users SET role = CASE role WHEN 'trader' THEN 'operator' WHEN 'viewer' THEN 'readonly' ELSE role END;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('owner', 'operator', 'readonly'));
ALTER TABLE users ADD CONSTRAINT users_email_check CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254);
ALTER TABLE users ADD CONSTRAINT users_password_hash_check
  CHECK (password_hash IS NULL OR password_hash LIKE '$argon2id$%');
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

ALTER TABLE users
  ADD COLUMN totp_ciphertext  bytea CHECK (totp_ciphertext IS NULL OR octet_length(totp_ciphertext) > 16),
  ADD COLUMN totp_nonce       bytea CHECK (totp_nonce IS NULL OR octet_length(totp_nonce) = 12),
  ADD COLUMN totp_key_id      text,
  -- A stored secret with totp_enabled = false is an enrolment not yet confirmed by a valid code.
  ADD COLUMN totp_enabled     boolean NOT NULL DEFAULT false,
  -- The last 30-second step whose code was accepted: a code of that step or an earlier one is refused (no replay).
  ADD COLUMN totp_last_step   bigint,
  ADD COLUMN failed_logins    integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  ADD COLUMN locked_until     timestamptz,
  ADD COLUMN disabled_at      timestamptz,
  ADD CONSTRAINT users_totp_complete_check CHECK (
    (totp_ciphertext IS NULL AND totp_nonce IS NULL AND totp_key_id IS NULL AND NOT totp_enabled)
    OR (totp_ciphertext IS NOT NULL AND totp_nonce IS NOT NULL AND totp_key_id IS NOT NULL)
  );

-- The accounts a user may act on (an owner may act on every account without rows here).
CREATE TABLE user_accounts (
  user_id     text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  account_id  text NOT NULL REFERENCES accounts (id),
  granted_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, account_id)
);
CREATE INDEX user_accounts_account_idx ON user_accounts (account_id);
-- Users from before this migration keep acting on their account.
INSERT INTO user_accounts (user_id, account_id, granted_at)
SELECT id, account_id, created_at FROM users WHERE account_id IS NOT NULL;

-- Browser sessions. id is the SHA-256 (hex) of the cookie's secret, never the secret; the CSRF token is derived
-- from the secret, so nothing else about it is stored.
CREATE TABLE auth_sessions (
  id            text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
  user_id       text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  revoked_at    timestamptz,
  ip            text,
  user_agent    text CHECK (user_agent IS NULL OR length(user_agent) <= 512),
  CHECK (expires_at > created_at)
);
CREATE INDEX auth_sessions_user_idx ON auth_sessions (user_id);

-- API tokens (`Authorization: Bearer kp_…`). token_hash is the SHA-256 (hex) of the whole token; prefix is its first
-- characters, shown in lists so that a user can tell tokens apart. account_ids null = every account of the user.
CREATE TABLE api_tokens (
  id            text PRIMARY KEY CHECK (id ~ '^tok_[0-9A-Za-z]{1,40}$'),
  user_id       text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  role          text NOT NULL CHECK (role IN ('owner', 'operator', 'readonly')),
  account_ids   text[],
  token_hash    text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  prefix        text NOT NULL CHECK (length(prefix) BETWEEN 4 AND 16),
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz,
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  CHECK (expires_at IS NULL OR expires_at > created_at)
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);
