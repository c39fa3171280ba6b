#!/usr/bin/env bash
# Runs the benchmark (bench/Pool.Bench, pool-bench) in Release against the project's PostgreSQL, which it
# starts first (installing it if needed) the way scripts/test.sh does, unless the only scenario is otp (code
# extraction, no database). Options go to pool-bench:
#
#   bench/run.sh all                      # every scenario, scaling to 1,000,000 numbers, inbound at 500/s and at
#                                         # capacity; rewrites the results section of docs/benchmarks.md
#   bench/run.sh                          # every scenario once with the smaller defaults: a few minutes, no rewrite
#   bench/run.sh --duration 30s --workers 32
#   bench/run.sh --scenarios scaling --scaling-sizes 1000,1000000
#   bench/run.sh --scenarios verify-cycle,upsert
#   bench/run.sh --scenarios otp          # code extraction only: no PostgreSQL started
#   bench/run.sh --json > results.json    # progress goes to stderr, results to stdout
#   bench/run.sh --help
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

command -v dotnet >/dev/null || { echo "bench: the .NET SDK (dotnet) is required: https://dot.net" >&2; exit 1; }

help=0
all=0          # the word all: every scenario, whatever --scenarios says
scenarios=()   # the values of --scenarios (none: the default set, which needs PostgreSQL)
in_scenarios=0
for arg in "$@"; do
  if [[ "$in_scenarios" == 1 && "$arg" != -* ]]; then
    scenarios+=("$arg")
    continue
  fi
  in_scenarios=0
  case "$arg" in
    -h|--help|-\?) help=1 ;;
    --scenarios) in_scenarios=1 ;;
    --scenarios=*) scenarios+=("${arg#--scenarios=}") ;;
    all) all=1 ;;
  esac
done

# Every scenario but otp needs PostgreSQL: with --scenarios otp alone, none is started ("all" among the
# scenarios, or as the word all, includes the others).
needs_db=1
if [[ "$all" == 0 && ${#scenarios[@]} -gt 0 ]]; then
  needs_db=0
  for value in "${scenarios[@]}"; do
    IFS=',' read -r -a parts <<< "$value"
    for part in "${parts[@]}"; do
      part="$(tr '[:upper:]' '[:lower:]' <<< "${part//[[:space:]]/}")"
      [[ -z "$part" || "$part" == otp ]] || needs_db=1
    done
  done
fi

if [[ "$help" == 0 ]]; then
  if [[ "$needs_db" == 1 ]]; then
    # The benchmark creates and drops its own databases on this server; the schema step of db.sh is not needed.
    POOL_SKIP_SCHEMA=1 scripts/db.sh start >&2
    export POOL_TEST_PG="Host=127.0.0.1;Port=${POOL_PG_PORT:-7432};Database=${POOL_PG_DATABASE:-pool};Username=${POOL_PG_USER:-pool}"
  fi

  # Results say which code they measured.
  if [[ -z "${POOL_BENCH_REVISION:-}" ]] && revision="$(git rev-parse --short HEAD 2>/dev/null)"; then
    if [[ -n "$(git status --porcelain -- src deploy tests/Testing tests/Sms.Tests/Otp bench 2>/dev/null)" ]]; then
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
