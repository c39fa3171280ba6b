#!/usr/bin/env bash
# Runs the benchmark (bench/Pool.Bench, pool-bench) in Release against the project's PostgreSQL, which it
# starts first (installing it if needed) the way scripts/test.sh does. Options go to pool-bench:
#
#   bench/run.sh                          # defaults: a few minutes
#   bench/run.sh --duration 30s --workers 32
#   bench/run.sh --scenarios scaling --scaling-sizes 1000,1000000
#   bench/run.sh --json > results.json    # progress goes to stderr, results to stdout
#   bench/run.sh --help
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

command -v dotnet >/dev/null || { echo "bench: the .NET SDK (dotnet) is required: https://dot.net" >&2; exit 1; }

help=0
for arg in "$@"; do
  case "$arg" in -h|--help|-\?) help=1 ;; esac
done

if [[ "$help" == 0 ]]; then
  # The benchmark creates and drops its own databases on this server; the schema step of db.sh is not needed.
  POOL_SKIP_SCHEMA=1 scripts/db.sh start >&2
  export POOL_TEST_PG="Host=127.0.0.1;Port=${POOL_PG_PORT:-7432};Database=${POOL_PG_DATABASE:-pool};Username=${POOL_PG_USER:-pool}"

  # Results say which code they measured.
  if [[ -z "${POOL_BENCH_REVISION:-}" ]] && revision="$(git rev-parse --short HEAD 2>/dev/null)"; then
    if [[ -n "$(git status --porcelain -- src deploy tests/Testing bench 2>/dev/null)" ]]; then
      revision+=" + uncommitted changes"
    fi
    export POOL_BENCH_REVISION="$revision"
  fi
fi

if ! build="$(dotnet build bench/Pool.Bench/Pool.Bench.csproj -c Release -warnaserror -nologo -v quiet -tl:off 2>&1)"; then
  printf '%s\n' "$build" >&2
  echo "bench: the build failed" >&2
  exit 1
fi
exec dotnet bench/Pool.Bench/bin/Release/net10.0/pool-bench.dll "$@"
