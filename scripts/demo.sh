#!/usr/bin/env bash
# One command from a fresh clone to a running PrisonWatch on SQLite with synthetic demo data:
# installs into ./.venv, builds demo.db (once), creates an admin account (once, password
# printed), prints a first view of the registry and serves it at http://127.0.0.1:8000/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export PRISONWATCH_DB="${PRISONWATCH_DB:-sqlite:///demo.db}"
PW=.venv/bin/prisonwatch
if [ ! -f demo.db ] || ! $PW people --limit 1 --format json >/dev/null 2>&1; then
  rm -f demo.db demo.db-wal demo.db-shm
  $PW demo
fi
if ! $PW user list 2>/dev/null | grep -q '\badmin\b'; then
  PASS="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(12))')"
  printf "%s\n" "$PASS" | $PW user add admin --role admin --password-stdin >/dev/null
  echo "Created the web account 'admin' with password: $PASS  (keep it: it is shown only once)"
fi
echo "== Held today, from the registry's own events =="
$PW status --on "$(date +%F)"
echo "== Has anything changed? 12 months before vs after the release of 2025-09-11 =="
$PW changes compare --around 2025-09-11
exec $PW serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
