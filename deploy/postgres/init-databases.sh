#!/usr/bin/env bash
# Runs once, when PostgreSQL's data volume is first initialised (mounted into
# /docker-entrypoint-initdb.d by deploy/compose.yaml): one database per service, each owned
# by a login role of its own, so that a service can reach only its own tables — the same
# split as production (docs/operations.md). The passwords come from deploy/.env.
# No `set -u`: the image's entrypoint sources scripts that are not executable.
set -eo pipefail

create_service_database() {
  local database=$1 password=$2
  # psql variables (:"name" quotes an identifier, :'name' a literal), so that no value is
  # pasted into SQL text.
  psql --no-psqlrc -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v database="$database" -v password="$password" <<'SQL'
CREATE ROLE :"database" LOGIN PASSWORD :'password';
CREATE DATABASE :"database" OWNER :"database";
REVOKE CONNECT, TEMPORARY ON DATABASE :"database" FROM PUBLIC;
SQL
}

create_service_database wren_users "${WREN_USERS_DB_PASSWORD:?}"
create_service_database wren_posts "${WREN_POSTS_DB_PASSWORD:?}"
create_service_database wren_notifications "${WREN_NOTIFICATIONS_DB_PASSWORD:?}"
