#!/usr/bin/env bash
# Installs what PrisonWatch needs into ./.venv. Sourced by demo.sh and test.sh.
#   EXTRAS=test  also installs the test tools.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

apt_install() {
  # Debian packages: ICU headers to build PyICU; chromium for the browser tests.
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
    elif command -v sudo >/dev/null; then
      sudo apt-get update -qq && sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "Please install these Debian packages first: ${missing[*]}" >&2
      exit 1
    fi
  fi
}

if command -v dpkg >/dev/null 2>&1; then
  apt_install pkg-config libicu-dev ${APT_EXTRA:-}
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ -n "${EXTRAS:-}" ]; then
  .venv/bin/python -m pip install -q -e ".[${EXTRAS}]"
else
  .venv/bin/python -m pip install -q -e .
fi
