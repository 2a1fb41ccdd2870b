#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers at 127.0.0.1:5432 for the PostgreSQL tests: starts
# Debian's cluster when it is stopped, installs it when missing (as root with apt-get), or
# stops with one line saying what to do.
set -euo pipefail
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
ready && exit 0
if ! command -v pg_ctlcluster >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's PostgreSQL for the PostgreSQL tests…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if command -v pg_ctlcluster >/dev/null; then
  for cluster in $(pg_lsclusters -h 2>/dev/null | awk '{print $1 "/" $2}'); do pg_ctlcluster "${cluster%/*}" "${cluster#*/}" start 2>/dev/null || true; done
  for _ in $(seq 1 30); do ready && exit 0; sleep 0.5; done
fi
echo "PostgreSQL is not answering at 127.0.0.1:5432: install and start it ('sudo apt-get install -y postgresql'), allow the postgres role to connect from 127.0.0.1 (trust or TEST_DATABASE_URL with a password), and run the tests again." >&2
exit 1
