#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised: a read-only role for Grafana. KitePilot's migrations
# create the tables later as the owner `kitepilot`; the default privileges let grafana_reader SELECT each of them.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v reader_password="$GRAFANA_DB_PASSWORD" <<'SQL'
CREATE ROLE grafana_reader LOGIN PASSWORD :'reader_password';
GRANT CONNECT ON DATABASE kitepilot TO grafana_reader;
GRANT USAGE ON SCHEMA public TO grafana_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE kitepilot IN SCHEMA public GRANT SELECT ON TABLES TO grafana_reader;
SQL
