# Shared set-up for the portal's scripts: each function installs one thing
# when it is missing and does nothing when it is already there.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
loud() { printf '\n\033[1;33m!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n!!! %s\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\033[0m\n\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

APT_UPDATED=
apt_install() {
  command -v apt-get >/dev/null || return 1
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq || return 1; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# rustfmt and clippy, the wasm32 target, cargo-leptos and the wasm-bindgen
# CLI of exactly the version in Cargo.lock (see ../shared/docs/toolchain.md
# for why these versions and flags).
ensure_rust_tools() {
  if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    say "Adding rustfmt and clippy"
    rustup component add rustfmt clippy
  fi
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "Adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version >/dev/null 2>&1; then
    say "Installing cargo-leptos 0.3.10 (about 13 minutes, once)"
    cargo install cargo-leptos --version 0.3.10 --locked
  fi
  local wanted
  wanted=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wanted" ]; then
    say "Installing wasm-bindgen-cli $wanted (about 4 minutes, once)"
    cargo install wasm-bindgen-cli --version "$wanted" --force
  fi
}

# wasm-opt, which release builds need and cargo-leptos cannot download here.
ensure_wasm_opt() {
  if ! command -v wasm-opt >/dev/null; then
    say "Installing wasm-opt (binaryen) from npm"
    as_root npm install -g --silent binaryen@132
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    say "Installing Chromium from Debian"
    apt_install chromium
  fi
}

ensure_end2end_packages() {
  if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ] || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
    say "Installing the end-to-end test packages"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
}

# The newest PostgreSQL installed from Debian, whose cluster the tests use.
postgres_version() { ls /usr/lib/postgresql | sort -V | tail -n 1; }

# Starts a PostgreSQL server on loopback (installing it from Debian when
# needed) and exports TEST_POSTGRES_URL for the integration tests. Returns
# non-zero when PostgreSQL cannot be had on this machine.
ensure_postgres() {
  if [ -n "${TEST_POSTGRES_URL:-}" ]; then return 0; fi
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    say "Installing PostgreSQL from Debian"
    apt_install postgresql || return 1
  fi
  local version
  version=$(postgres_version)
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$version main"; then
    as_root pg_createcluster "$version" main >/dev/null || return 1
  fi
  if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -qx online; then
    say "Starting PostgreSQL $version"
    # After an unclean stop PostgreSQL first fsyncs its whole data folder,
    # which takes minutes with many test databases: pg_ctl's default wait of
    # 60 s gave up while the server was still coming up.
    as_root pg_ctlcluster "$version" main start -- -t 600 || return 1
  fi
  local port
  port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
  as_root su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_roles WHERE rolname = 'portal_test'\" | grep -q 1 || psql -q -p $port -c \"CREATE ROLE portal_test LOGIN CREATEDB PASSWORD 'portal_test'\"" || return 1
  # Databases left by earlier runs.
  as_root su postgres -c "psql -q -p $port -tAc \"SELECT datname FROM pg_database WHERE datname LIKE 'portal_test_%'\"" \
    | while read -r db; do [ -n "$db" ] && as_root su postgres -c "dropdb -p $port --if-exists $db" >/dev/null 2>&1 || true; done
  export TEST_POSTGRES_URL="postgres://portal_test:portal_test@127.0.0.1:$port/postgres"
}

# Benchmarks: figures read from wrk's --latency output, and budgets.
# `wrk_figures OUT` sets RPS, and P50, P99 and MAX in milliseconds.
wrk_figures() {
  local out=$1
  RPS=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  P50=$(awk '$1 == "50%" {print $2}' <<<"$out" | to_ms)
  P99=$(awk '$1 == "99%" {print $2}' <<<"$out" | to_ms)
  # The thread statistics' line, not the "Latency Distribution" heading.
  MAX=$(awk '$1 == "Latency" && $2 ~ /[0-9]/ {print $4; exit}' <<<"$out" | to_ms)
}

# wrk writes 850.00us, 2.31ms, 1.20s or 1.05m: milliseconds, two decimals.
to_ms() {
  awk '{ v = $1; n = v + 0;
         if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000;
         printf "%.2f\n", n }'
}

# `budget WHAT VALUE LIMIT [min]`: prints the figure beside its budget and
# remembers a miss, so that the script can fail at the end (`budgets_met`).
# A budget is a ceiling unless its fourth word is `min`.
BUDGET_MISSES=0
budget() {
  local what=$1 value=$2 limit=$3 kind=${4:-max} ok
  if [ "$kind" = min ]; then
    ok=$(awk -v v="$value" -v l="$limit" 'BEGIN { print (v + 0 >= l + 0) ? 1 : 0 }')
    printf '%s: %s (budget: at least %s) %s\n' "$what" "$value" "$limit" "$([ "$ok" = 1 ] && echo ok || echo MISSED)"
  else
    ok=$(awk -v v="$value" -v l="$limit" 'BEGIN { print (v + 0 <= l + 0) ? 1 : 0 }')
    printf '%s: %s (budget: at most %s) %s\n' "$what" "$value" "$limit" "$([ "$ok" = 1 ] && echo ok || echo MISSED)"
  fi
  [ "$ok" = 1 ] || BUDGET_MISSES=$((BUDGET_MISSES + 1))
}

budgets_met() {
  if [ "$BUDGET_MISSES" -gt 0 ]; then
    echo "$BUDGET_MISSES figure(s) missed their budget" >&2
    return 1
  fi
  echo "every figure within its budget"
}

# The server on core 1 and the load generator on core 0, so that a figure
# is the server's own and not the time it waited for wrk.
SERVER_CORE=${SERVER_CORE:-1}
LOAD_CORE=${LOAD_CORE:-0}
# `exec`, so that a server started in the background with `&` has the
# server's own process id in `$!` (for its memory), not a subshell's.
pinned_server() { exec taskset -c "$SERVER_CORE" "$@"; }
pinned_load() { taskset -c "$LOAD_CORE" "$@"; }
# PostgreSQL's processes are the server's side too: they share its core
# during a run (`pin_postgres "$SERVER_CORE"`), and are given every core
# back after it (`pin_postgres all`).
pin_postgres() {
  local cores=$1
  [ "$cores" = all ] && cores="0-$(($(nproc) - 1))"
  # A process may end between the listing and the pinning.
  for pid in $(pgrep -x postgres); do taskset -pc "$cores" "$pid" >/dev/null 2>&1 || true; done
}

# The seeded database a benchmark of a large history measures:
# SEEDED_URL=postgres://… (seeded earlier with `server seed`, its key in
# DATA_KEY_FILE), SEEDED_DB=/path/portal.db (SQLite, seeded earlier), or a
# fresh SQLite file `fresh` (seeded by the caller). Exports DATABASE_URL.
seeded_database() {
  if [ -n "${SEEDED_URL:-}" ]; then
    export DATABASE_URL="$SEEDED_URL"
  else
    export DATABASE_URL="sqlite://${SEEDED_DB:-$1}"
  fi
}

# One value from the benchmark's database: `db_value "select count(*) from requests"`.
db_value() {
  case "$DATABASE_URL" in
    postgres*) psql -qtAX "$DATABASE_URL" -c "$1" ;;
    *) python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' \
         "${DATABASE_URL#sqlite://}" "$1" ;;
  esac
}

# Brings PostgreSQL's statistics up to date before a measurement, as its
# autovacuum does in service some time after a bulk load. Without them the
# planner guesses, and a guess once made the name search look fast (it walked
# the due dates by luck); with them the same search scanned the whole table.
# SQLite keeps no statistics here.
analyze_postgres() {
  case "$DATABASE_URL" in
    postgres*) psql -qX "$DATABASE_URL" -c "ANALYZE" ;;
  esac
}

# The benchmark database's size on disk, in MB.
db_megabytes() {
  case "$DATABASE_URL" in
    postgres*) db_value "select pg_database_size(current_database()) / 1048576" ;;
    *) du -m "${DATABASE_URL#sqlite://}" | cut -f1 ;;
  esac
}
