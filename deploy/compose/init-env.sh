#!/bin/sh
# Writes the secrets docker-compose.yml needs to a new .env (or to the file given), so the
# stack starts in production mode without any public default:
#   deploy/compose/init-env.sh && docker compose up -d
# Never overwrites: an existing file holds the passwords the database volume was made with.
# Needs openssl (1.1.1 or later, for the Ed25519 audit signing key).
set -eu

target="${1:-$(cd "$(dirname "$0")/../.." && pwd)/.env}"
if [ -e "$target" ]; then
  echo "init-env: $target exists; keep it (it matches your volumes) or move it away first" >&2
  exit 1
fi
command -v openssl >/dev/null || { echo "init-env: openssl is needed" >&2; exit 1; }

# Hex keeps passwords safe inside URLs (DATABASE_URL) and YAML without quoting. NATS's ones
# start with letters: nats-server parses a $VARIABLE's value as a config value, so hex such
# as 12e4ab... (a malformed number) or all digits would stop it from starting.
hex() { openssl rand -hex "$1"; }
signing_key="$(openssl genpkey -algorithm ed25519 -outform DER | openssl base64 -A)"

umask 077
cat > "$target" <<ENV
# Watchfloor secrets for docker compose, made by deploy/compose/init-env.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ).
# Keep this file private and back it up with the volumes: the database was initialised with
# these passwords, the webhook secrets are encrypted with NOTIFICATION_SECRET_KEY, and the
# audit checkpoints are signed with AUDIT_SIGNING_KEY. See deploy/compose/README.md.
POSTGRES_PASSWORD=$(hex 24)
INTAKE_DB_PASSWORD=$(hex 24)
TRIAGE_DB_PASSWORD=$(hex 24)
NOTIFICATION_DB_PASSWORD=$(hex 24)
AUDIT_DB_PASSWORD=$(hex 24)
NATS_PASSWORD_INTAKE=wf$(hex 24)
NATS_PASSWORD_TRIAGE=wf$(hex 24)
NATS_PASSWORD_NOTIFICATION=wf$(hex 24)
NATS_PASSWORD_AUDIT=wf$(hex 24)
AUTH_DEV_SECRET=$(hex 32)
NOTIFICATION_SECRET_KEY=$(openssl rand -base64 32)
AUDIT_SIGNING_KEY=$signing_key
ENV
echo "init-env: wrote $target"
