#!/usr/bin/env bash
# Creates the Watchfloor service roles and schemas (create-service-roles.psql) with passwords
# from the environment: INTAKE_DB_PASSWORD, TRIAGE_DB_PASSWORD, NOTIFICATION_DB_PASSWORD,
# AUDIT_DB_PASSWORD (and WATCHFLOOR_ROLE_PREFIX, default watchfloor_).
#
# - In the postgres image it runs once, from /docker-entrypoint-initdb.d, when the data
#   volume is first initialised (POSTGRES_USER / POSTGRES_DB say where).
# - By hand, on any Postgres: connect with the usual libpq variables, as a role that may
#   create roles, e.g.  PGHOST=db.example PGUSER=admin PGDATABASE=watchfloor \
#                        INTAKE_DB_PASSWORD=... ... deploy/postgres/create-service-roles.sh
#
# The postgres image sources (rather than runs) an init script that is not executable, so
# this file sets no shell options and never calls `exit` on success.

watchfloor_create_service_roles() {
  local here
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)" || return 1
  local missing=()
  local name
  for name in INTAKE_DB_PASSWORD TRIAGE_DB_PASSWORD NOTIFICATION_DB_PASSWORD AUDIT_DB_PASSWORD; do
    [ -n "${!name:-}" ] || missing+=("$name")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "create-service-roles: set ${missing[*]} (deploy/compose/init-env.sh writes them to .env)" >&2
    return 1
  fi
  psql --no-psqlrc --quiet --set ON_ERROR_STOP=1 \
    --username "${PGUSER:-${POSTGRES_USER:-postgres}}" \
    --dbname "${PGDATABASE:-${POSTGRES_DB:-postgres}}" \
    --set role_prefix="${WATCHFLOOR_ROLE_PREFIX:-watchfloor_}" \
    --set intake_password="$INTAKE_DB_PASSWORD" \
    --set triage_password="$TRIAGE_DB_PASSWORD" \
    --set notification_password="$NOTIFICATION_DB_PASSWORD" \
    --set audit_password="$AUDIT_DB_PASSWORD" \
    --file "$here/create-service-roles.psql"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  watchfloor_create_service_roles || exit 1
else
  # Sourced by the postgres image's entrypoint, which stops on a failed command (set -e).
  watchfloor_create_service_roles
fi
