#!/usr/bin/env bash
# One command from a fresh clone to the whole test suite (ruff, mypy, pytest on SQLite and
# PostgreSQL, browser tests in Debian's chromium). Installs everything it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
APT_EXTRA="chromium postgresql-client" EXTRAS=test bash scripts/bootstrap.sh

# PostgreSQL on 127.0.0.1:5432 (PRISONWATCH_TEST_PG); start the local cluster if it is down.
if command -v pg_isready >/dev/null && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
fi

.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks
.venv/bin/mypy
.venv/bin/pytest "$@"
