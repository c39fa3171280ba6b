#!/usr/bin/env bash
# Runs Pool as a cluster on this machine: N silos (pool-silo, role all: silo + gRPC API) and optional
# API-only front ends (role api), all on the project's PostgreSQL (scripts/db.sh), each process on its
# own loopback ports, with pid files and logs under .data/cluster/.
#
#   scripts/cluster.sh start [N] [--api M]   build if needed, start the database, then N silos (default 3)
#                                            and M API front ends (default 0); waits until each is ready
#   scripts/cluster.sh stop                  SIGTERM every process, SIGKILL what is left after a bound
#   scripts/cluster.sh status                each process: pid, ports, readiness (/readyz)
#
# Ports: silo i uses BASE+10i (silo), +1 (gateway), +2 (gRPC), +3 (HTTP: health, dashboard, carriers);
# API front end j uses BASE+100+10j (gRPC) and +1 (HTTP). Settings (environment): POOL_CLUSTER_PORT
# (BASE, 7500), POOL_CLUSTER_ID (pool-local: the same cluster as scripts/run.sh, so the two never split
# one service's grains), POOL_CLUSTER_STOP_TIMEOUT (seconds before SIGKILL, 15), and db.sh's
# POOL_PG_PORT / POOL_PG_DIR. More settings for every process: POOL_CLUSTER_ARGS, e.g.
# "--Pool:Cluster:Membership:MinProbeTimeout=00:00:02".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BASE="${POOL_CLUSTER_PORT:-7500}"
CLUSTER_ID="${POOL_CLUSTER_ID:-pool-local}"
STOP_TIMEOUT="${POOL_CLUSTER_STOP_TIMEOUT:-15}"
DIR="$ROOT/.data/cluster"
SILO_DLL="$ROOT/src/Silo/bin/Release/net10.0/pool-silo.dll"

say() { printf 'cluster: %s\n' "$*"; }
die() { printf 'cluster: error: %s\n' "$*" >&2; exit 1; }

# /readyz answers 200 once a silo is active in its cluster (an API front end: once it reaches a gateway).
ready() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 && head -n1 <&3 | grep -q ' 200 ') 2>/dev/null
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The pid in NAME.pid, if that process is still one of ours (a pid can be reused by anything else).
live_pid() {
  local file="$DIR/$1.pid" pid
  [[ -s "$file" ]] || return 1
  pid="$(cat "$file")"
  [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q 'pool-silo.dll' && echo "$pid"
}

# NAME's ports as "silo gateway grpc http" (silo and gateway are "-" for an API front end).
ports_of() {
  local kind="${1%%-*}" index="${1##*-}"
  if [[ "$kind" == silo ]]; then
    local first=$((BASE + 10 * index))
    echo "$first $((first + 1)) $((first + 2)) $((first + 3))"
  else
    local first=$((BASE + 100 + 10 * index))
    echo "- - $first $((first + 1))"
  fi
}

# The local secrets scripts/run.sh also uses: an admin key for scripts/poolctl, the HTTP carrier
# "local" and the verification keys. Created when missing; passed to the processes in the environment.
prepare_secrets() {
  local connection="$1" key_file="$ROOT/.data/admin.key" key_id
  key_id="$( [[ -s "$key_file" ]] && cut -c1-17 "$key_file" || true )"
  if [[ -z "$key_id" || "$(scripts/db.sh sql "SELECT count(*) FROM api_keys WHERE key_id = '$key_id' AND revoked_at IS NULL")" != "1" ]]; then
    (umask 077 && dotnet "$SILO_DLL" keys create-admin "--Pool:Database:ConnectionString=$connection" > "$key_file")
    say "created an admin API key for tenant 'operators' in .data/admin.key"
  fi
  if [[ ! -s "$ROOT/.data/carrier.secret" ]]; then
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$ROOT/.data/carrier.secret")
  fi
  if [[ ! -s "$ROOT/.data/verification.keys" ]]; then
    (umask 077 && { head -c 32 /dev/urandom | base64 -w0; echo; head -c 32 /dev/urandom | base64 -w0; echo; } > "$ROOT/.data/verification.keys")
  fi
}

# Starts NAME in the background (its own session, so it outlives this script) unless it is running.
launch() {
  local name="$1" connection="$2" silo gateway grpc http port pid
  read -r silo gateway grpc http <<< "$(ports_of "$name")"
  if pid="$(live_pid "$name")"; then
    say "$name already running (pid $pid)"
    return
  fi
  for port in $silo $gateway $grpc $http; do
    if [[ "$port" != "-" ]] && port_taken "$port"; then
      die "port $port (for $name) is taken by another process; set POOL_CLUSTER_PORT to a free range"
    fi
  done

  local args=("--Pool:Database:ConnectionString=$connection" "--Pool:Cluster:ClusterId=$CLUSTER_ID"
              "--Pool:Api:GrpcPort=$grpc" "--Pool:Api:HttpPort=$http")
  if [[ "$silo" == "-" ]]; then
    args+=("--Pool:Role=api")
  else
    args+=("--Pool:Cluster:SiloPort=$silo" "--Pool:Cluster:GatewayPort=$gateway")
  fi
  # shellcheck disable=SC2206 # extra settings are split on spaces on purpose
  args+=(${POOL_CLUSTER_ARGS:-})

  # Secrets go in through the environment (readable by this user only), never the command line.
  Pool__Carriers__local__Secret="$(cat "$ROOT/.data/carrier.secret")" \
  Pool__Verification__EncryptionKey="$(sed -n 1p "$ROOT/.data/verification.keys")" \
  Pool__Verification__IndexKey="$(sed -n 2p "$ROOT/.data/verification.keys")" \
  setsid dotnet "$SILO_DLL" "${args[@]}" > "$DIR/$name.log" 2>&1 < /dev/null &
  echo $! > "$DIR/$name.pid"
  say "started $name (pid $!): gRPC 127.0.0.1:$grpc, HTTP 127.0.0.1:$http$([[ "$silo" != "-" ]] && echo ", silo $silo, gateway $gateway"); log .data/cluster/$name.log"
}

# Waits (bounded) until each named process answers /readyz with 200.
await_ready() {
  local name http pid
  for name in "$@"; do
    http="$(ports_of "$name" | cut -d' ' -f4)"
    for _ in $(seq 1 180); do
      if ready "$http"; then break; fi
      pid="$(live_pid "$name")" || { tail -20 "$DIR/$name.log" >&2; die "$name exited during start-up (log: .data/cluster/$name.log)"; }
      sleep 0.5
    done
    ready "$http" || die "$name did not become ready within 90 s (log: .data/cluster/$name.log)"
    say "$name ready"
  done
}

start() {
  local silos=3 apis=0
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --api) apis="${2:?--api needs a count}"; shift 2 ;;
      [0-9]*) silos="$1"; shift ;;
      *) die "unknown argument '$1' (usage: scripts/cluster.sh start [N] [--api M])" ;;
    esac
  done
  [[ "$silos" =~ ^[1-9][0-9]?$ && "$apis" =~ ^[0-9]$ ]] || die "N must be 1 to 99 silos and M 0 to 9 API front ends"

  command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is required: https://dot.net"
  export CONFIGURATION=Release
  dotnet build src/Silo/Pool.Silo.csproj -c Release -nologo -v quiet -clp:NoSummary
  scripts/db.sh start
  local connection
  connection="$(scripts/db.sh url)"
  mkdir -p "$DIR"
  prepare_secrets "$connection"

  # The first silo alone (it creates the cluster's membership rows), then the others together.
  launch silo-0 "$connection"
  await_ready silo-0
  local names=() i
  for ((i = 1; i < silos; i++)); do names+=("silo-$i"); launch "silo-$i" "$connection"; done
  await_ready "${names[@]}"
  names=()
  for ((i = 0; i < apis; i++)); do names+=("api-$i"); launch "api-$i" "$connection"; done
  await_ready "${names[@]}"
  echo
  status
  cat <<MSG

  Try:  scripts/poolctl --api http://127.0.0.1:$((BASE + 2)) pools list
        scripts/cluster.sh status
        kill -9 \$(cat .data/cluster/silo-1.pid)      # a crash; the others declare it dead in ~3-4 s
        scripts/cluster.sh start $silos               # starts what is missing again
        scripts/cluster.sh stop
MSG
}

# API front ends first (they stop taking calls), then the silos, last one first.
stop() {
  local names=() name pid waited
  [[ -d "$DIR" ]] || { say "nothing to stop"; return; }
  mapfile -t names < <(cd "$DIR" && ls -1 -- *.pid 2>/dev/null | sed 's/\.pid$//' | sort -t- -k1,1 -k2,2nr)
  for name in "${names[@]}"; do
    if pid="$(live_pid "$name")"; then
      kill -TERM "$pid" 2>/dev/null || true
      waited=0
      while kill -0 "$pid" 2>/dev/null && ((waited < STOP_TIMEOUT * 10)); do sleep 0.1; waited=$((waited + 1)); done
      if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
        say "$name (pid $pid) did not stop within $STOP_TIMEOUT s: killed"
      else
        say "$name (pid $pid) stopped in $(awk "BEGIN { printf \"%.1f\", $waited / 10 }") s"
      fi
    fi
    rm -f "$DIR/$name.pid"
  done
  say "stopped (the database keeps running: scripts/db.sh stop stops it)"
}

status() {
  local names=() name pid silo gateway grpc http state running=0 unready=0
  [[ -d "$DIR" ]] && mapfile -t names < <(cd "$DIR" && ls -1 -- *.pid 2>/dev/null | sed 's/\.pid$//' | sort -t- -k1,1r -k2,2n)
  if [[ ${#names[@]} -eq 0 ]]; then
    say "not running"
    return 3
  fi
  printf '%-8s %-8s %-6s %-8s %-6s %-6s %s\n' PROCESS PID SILO GATEWAY GRPC HTTP STATE
  for name in "${names[@]}"; do
    read -r silo gateway grpc http <<< "$(ports_of "$name")"
    if pid="$(live_pid "$name")"; then
      running=$((running + 1))
      if ready "$http"; then state="ready"; else state="not ready"; unready=$((unready + 1)); fi
    else
      pid="-"; state="not running"; unready=$((unready + 1))
    fi
    printf '%-8s %-8s %-6s %-8s %-6s %-6s %s\n' "$name" "$pid" "$silo" "$gateway" "$grpc" "$http" "$state"
  done
  ((running > 0)) || return 3
  ((unready == 0)) || return 1
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: scripts/cluster.sh start [N] [--api M] | stop | status" >&2; exit 64 ;;
esac
