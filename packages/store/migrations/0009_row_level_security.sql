-- Row-level security: the database's backstop of account scoping (DESIGN.md §5, docs/decisions/0010-row-level-security.md).
-- The application enters an account's scope with `SET LOCAL ROLE kitepilot_app` and
-- `set_config('kitepilot.account_id', <id>, true)` inside one transaction (packages/store/src/rls); the policies below
-- then let that transaction see and write only the rows of that account, whatever the query's WHERE says.
-- The owner of the tables (the role that runs migrations and the engine) is not subject to these policies.
-- Runs unchanged on PGlite and PostgreSQL 15+.

-- The scope role. Roles belong to the whole PostgreSQL cluster, so it may already exist (another database of the
-- same server, or created beforehand by an administrator when the migrating role may not create roles).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kitepilot_app') THEN
    BEGIN
      CREATE ROLE kitepilot_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
    EXCEPTION
      -- Another database's migration created it between the check and CREATE ROLE.
      WHEN duplicate_object OR unique_violation THEN NULL;
      WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'role % may not create the role kitepilot_app needed for row-level security', current_user
          USING HINT = 'as an administrator run once: CREATE ROLE kitepilot_app NOLOGIN; GRANT kitepilot_app TO '
            || quote_ident(current_user) || ';';
    END;
  END IF;
  -- A superuser or BYPASSRLS role would ignore every policy: refuse to go on rather than protect nothing.
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kitepilot_app' AND (rolsuper OR rolbypassrls)) THEN
    RAISE EXCEPTION 'role kitepilot_app is a superuser or has BYPASSRLS, so row-level security would not apply to it'
      USING HINT = 'ALTER ROLE kitepilot_app NOSUPERUSER NOBYPASSRLS;';
  END IF;
  -- SET ROLE needs membership; a superuser may set any role and needs none.
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND rolsuper) THEN
    BEGIN
      EXECUTE format('GRANT kitepilot_app TO %I', current_user);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE EXCEPTION 'role % cannot be made a member of kitepilot_app, so it could not enter an account scope',
        current_user
        USING HINT = 'as an administrator run once: GRANT kitepilot_app TO ' || quote_ident(current_user) || ';';
    END;
  END IF;
END
$$;

-- Privileges: what the application does inside a scope (read and write rows) on every table of the schema, present
-- and future; no DDL, no TRUNCATE. Tables without account_id keep these plain grants (market data, instruments,
-- watchlist, models, job_runs, trading_controls, and the auth tables keyed by user).
DO $$
DECLARE
  schema_name text := current_schema();
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO kitepilot_app', schema_name);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO kitepilot_app', schema_name);
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO kitepilot_app', schema_name);
  -- Tables and sequences created later by the migrating role (migrations 0010+, the daily ticks partitions).
  EXECUTE format(
    'ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO kitepilot_app',
    schema_name);
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO kitepilot_app',
    schema_name);
END
$$;

-- Only the migrator writes the schema history; the audit log is append-only (its triggers refuse the rest anyway).
REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM kitepilot_app;
REVOKE UPDATE, DELETE ON audit_events FROM kitepilot_app;

-- Accounts: a scope sees and writes its own account row only.
ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY account_scope ON accounts TO kitepilot_app
  USING (id = current_setting('kitepilot.account_id', true))
  WITH CHECK (id = current_setting('kitepilot.account_id', true));

-- Every table with an account_id column present now (0001–0008, whatever 0007 and 0008 added): rows of the scope's
-- account only. Rows whose account_id is NULL (system audit events, users without a home account) are invisible in
-- a scope and cannot be written from one. Partitions are included: a query naming a partition directly does not go
-- through its parent's policies. A table added by a later migration needs its own ENABLE ROW LEVEL SECURITY and
-- policy; packages/store/src/rls/row-level-security-coverage test fails until it has them.
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT c.relname
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'account_id' AND NOT a.attisdropped
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
    ORDER BY c.relname
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.relname);
    EXECUTE format(
      'CREATE POLICY account_scope ON %I TO kitepilot_app '
      'USING (account_id = current_setting(%L, true)) WITH CHECK (account_id = current_setting(%L, true))',
      t.relname, 'kitepilot.account_id', 'kitepilot.account_id');
  END LOOP;
END
$$;
