#!/bin/sh
# Creates the Secrets listed in required-secrets.yaml with kubectl, generating what can be
# generated (NATS passwords, the notification key, the audit signing key). Run it once per
# namespace, before the first `kubectl apply -k`; it refuses to overwrite an existing Secret.
# Keep a copy of the generated values in your vault (README.md, "Secrets").
#
#   NAMESPACE=watchfloor \
#   INTAKE_DATABASE_URL=postgres://watchfloor_intake:...@db:5432/watchfloor \
#   TRIAGE_DATABASE_URL=... NOTIFICATION_DATABASE_URL=... AUDIT_DATABASE_URL=... \
#   SMTP_URL=smtps://user:password@smtp.example.org:465 \
#   TLS_CERT=cert.pem TLS_KEY=key.pem \
#   sh deploy/kubernetes/secrets.example.sh
#
# Leave TLS_CERT/TLS_KEY unset when cert-manager issues watchfloor-tls.
set -eu

namespace=${NAMESPACE:-watchfloor}
: "${INTAKE_DATABASE_URL:?set it to intake's postgres:// URL (its role from deploy/postgres)}"
: "${TRIAGE_DATABASE_URL:?set it to triage's postgres:// URL (its role from deploy/postgres)}"
: "${NOTIFICATION_DATABASE_URL:?set it to notification's postgres:// URL (its role from deploy/postgres)}"
: "${AUDIT_DATABASE_URL:?set it to audit's postgres:// URL (its role from deploy/postgres)}"
: "${SMTP_URL:?set it to the smtp:// or smtps:// URL of your mail relay}"

kubectl_ns() { kubectl --namespace "$namespace" "$@"; }

# NATS passwords start with letters: nats-server parses a $VARIABLE's value in nats.conf, so
# bare hex such as 12e4ab... (a malformed number) or all digits would stop it from starting.
kubectl_ns create secret generic watchfloor-nats-users \
  --from-literal=intake="wf$(openssl rand -hex 24)" \
  --from-literal=triage="wf$(openssl rand -hex 24)" \
  --from-literal=notification="wf$(openssl rand -hex 24)" \
  --from-literal=audit="wf$(openssl rand -hex 24)"

kubectl_ns create secret generic watchfloor-intake --from-literal=DATABASE_URL="$INTAKE_DATABASE_URL"
kubectl_ns create secret generic watchfloor-triage --from-literal=DATABASE_URL="$TRIAGE_DATABASE_URL"
kubectl_ns create secret generic watchfloor-audit --from-literal=DATABASE_URL="$AUDIT_DATABASE_URL"

# Without this key the webhook signing secrets stored by notification cannot be read: back it up.
kubectl_ns create secret generic watchfloor-notification \
  --from-literal=DATABASE_URL="$NOTIFICATION_DATABASE_URL" \
  --from-literal=NOTIFICATION_SECRET_KEY="$(openssl rand -base64 32)" \
  --from-literal=NOTIFICATION_SMTP_URL="$SMTP_URL"

# The private key only passes through a private temporary directory.
key_dir=$(mktemp -d)
trap 'rm -rf "$key_dir"' EXIT
openssl genpkey -algorithm ed25519 -out "$key_dir/signing-key.pem"
kubectl_ns create secret generic watchfloor-audit-signing-key --from-file=signing-key.pem="$key_dir/signing-key.pem"

if [ -n "${TLS_CERT:-}" ] && [ -n "${TLS_KEY:-}" ]; then
  kubectl_ns create secret tls watchfloor-tls --cert="$TLS_CERT" --key="$TLS_KEY"
else
  echo "watchfloor-tls not created: set TLS_CERT and TLS_KEY, or let cert-manager issue it" >&2
fi
