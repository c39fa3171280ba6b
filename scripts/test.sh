#!/usr/bin/env bash
# Runs Pool's whole test suite: starts the project's PostgreSQL (installing it if needed), builds with
# warnings as errors, runs every test project, and ends with one line "tests: N passed, N failed".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

command -v dotnet >/dev/null || { echo "test: the .NET SDK (dotnet) is required: https://dot.net" >&2; exit 1; }

# Tests create and drop their own databases on this server; the schema step of db.sh is not needed.
POOL_SKIP_SCHEMA=1 scripts/db.sh start
export POOL_TEST_PG="Host=127.0.0.1;Port=${POOL_PG_PORT:-7432};Database=${POOL_PG_DATABASE:-pool};Username=${POOL_PG_USER:-pool}"

# The end-to-end tests also drive Pool from Node.js (examples/node): install Node.js and the example's packages.
if ! command -v node >/dev/null; then
  echo "test: Node.js not found; installing Debian's nodejs and npm packages"
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null
fi

# The observability tests: the Orleans Dashboard in Debian's chromium, headless (Playwright downloads no
# browser of its own), and promtool (Debian's prometheus package) checking the alert rules and the dashboard's PromQL.
sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/promtool ]]; then
  echo "test: installing Debian's chromium and prometheus (for promtool) packages"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
fi
if [[ ! -x /usr/bin/chromium ]]; then
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
if [[ ! -x /usr/bin/promtool ]]; then
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi

# Screenshots of the Orleans Dashboard and the scraped /metrics land here (git-ignored).
export POOL_TEST_ARTIFACTS="${POOL_TEST_ARTIFACTS:-$ROOT/tests/artifacts}"
mkdir -p "$POOL_TEST_ARTIFACTS"

npm ci --prefix examples/node --no-audit --no-fund --silent
npm ci --prefix tests/Carriers.Tests/interop --no-audit --no-fund --silent
npm ci --prefix tests/EndToEnd.Tests/smsactivate-client --no-audit --no-fund --silent

dotnet build Pool.sln -c Release -warnaserror -nologo -clp:NoSummary

# The container images' inputs, checked by tests/Deploy.Tests: what each Dockerfile's build stage publishes
# (deploy/docker/*.Dockerfile, the same command), dockerfilelint, and the manifests rendered by kubectl when
# it is installed. The tests render deploy/k8s themselves either way: Debian's kubectl (1.20) embeds a
# kustomize older than the `labels` field kustomization.yaml uses, and npm has no current kubectl.
rm -rf artifacts/publish
dotnet publish src/Silo/Pool.Silo.csproj -c Release -o artifacts/publish/pool-silo -nologo -clp:NoSummary
dotnet publish src/Cli/Pool.Cli.csproj -c Release -o artifacts/publish/poolctl -nologo -clp:NoSummary
npm ci --prefix tests/Deploy.Tests/lint --no-audit --no-fund --silent
if command -v kubectl >/dev/null; then
  kubectl kustomize deploy/k8s >/dev/null
fi

# The Pool.Client NuGet package (git-ignored); tests/Client.Tests opens the one found here.
rm -rf "$ROOT/artifacts/packages"
dotnet pack src/Client/Pool.Client.csproj -c Release --no-build -nologo -o "$ROOT/artifacts/packages"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test Pool.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

# Sum the per-assembly summaries ("Passed!  - Failed: 0, Passed: 50, Skipped: 0, ...").
read -r passed failed skipped < <(awk '
  /(Passed|Failed)!  - Failed:/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  { f += $(i+1) }
      if ($i == "Passed:")  { p += $(i+1) }
      if ($i == "Skipped:") { s += $(i+1) }
    }
  }
  END { printf "%d %d %d\n", p, f, s }' "$log")

# A fixture's cleanup check (e.g. the log privacy scan) fails its class without failing a test: count it.
cleanup_failures=$(grep -c "Cleanup Failure" "$log" || true)
failed=$((failed + cleanup_failures))

if [[ "$passed" -eq 0 && "$status" -eq 0 ]]; then
  echo "test: no test ran" >&2
  status=1
fi
echo "test: artifacts (Orleans Dashboard screenshots orleans-dashboard-*.png, the scraped metrics.txt) are in $POOL_TEST_ARTIFACTS"
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
