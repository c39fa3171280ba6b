#!/usr/bin/env bash
# Runs Pool locally: PostgreSQL (installed and started if needed, schema applied), then one process
# with the silo, the gRPC API and the dashboard; seeds a demo pool and prints where everything is.
# Ctrl-C stops Pool; the database keeps running (scripts/db.sh stop stops it).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
command -v dotnet >/dev/null || { echo "run: the .NET SDK (dotnet) is required: https://dot.net" >&2; exit 1; }

GRPC_PORT="${POOL_GRPC_PORT:-7400}"
HTTP_PORT="${POOL_HTTP_PORT:-7401}"
export CONFIGURATION=Release

dotnet build Pool.sln -c Release -nologo -v quiet -clp:NoSummary
scripts/db.sh start

connection="$(scripts/db.sh url)"
silo_dll="src/Silo/bin/Release/net10.0/pool-silo.dll"

# The local operator key (admin scope), kept beside the database; scripts/poolctl uses it.
key_file="$ROOT/.data/admin.key"
key_id="$( [[ -s "$key_file" ]] && cut -c1-17 "$key_file" || true )"
if [[ -z "$key_id" || "$(scripts/db.sh sql "SELECT count(*) FROM api_keys WHERE key_id = '$key_id' AND revoked_at IS NULL")" != "1" ]]; then
  (umask 077 && dotnet "$silo_dll" keys create-admin "--Pool:Database:ConnectionString=$connection" > "$key_file")
  echo "run: created an admin API key for tenant 'operators' in .data/admin.key"
fi
# A local HTTP carrier ("local") for injecting inbound SMS, with a random signing secret.
carrier_file="$ROOT/.data/carrier.secret"
if [[ ! -s "$carrier_file" ]]; then
  (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$carrier_file")
fi

# Keys for outbound verification: AES-256-GCM for end users' numbers, HMAC for their index.
verify_file="$ROOT/.data/verification.keys"
if [[ ! -s "$verify_file" ]]; then
  (umask 077 && { head -c 32 /dev/urandom | base64 -w0; echo; head -c 32 /dev/urandom | base64 -w0; echo; } > "$verify_file")
fi

# Secrets go in through the environment (readable by this user only), never the command line (any
# user's `ps` shows it). The embedded carrier simulator: SMSCs sim-a and sim-b that the silo binds over
# SMPP, and the HTTP carrier sim-http.
Pool__Carriers__local__Secret="$(cat "$carrier_file")" \
Pool__Verification__EncryptionKey="$(sed -n 1p "$verify_file")" \
Pool__Verification__IndexKey="$(sed -n 2p "$verify_file")" \
dotnet "$silo_dll" \
  "--Pool:Database:ConnectionString=$connection" \
  "--Pool:Simulator:Enabled=true" \
  "--Pool:Api:GrpcPort=$GRPC_PORT" "--Pool:Api:HttpPort=$HTTP_PORT" &
silo=$!
trap 'kill "$silo" 2>/dev/null; wait "$silo" 2>/dev/null' INT TERM EXIT

# /readyz answers 200 once the silo is active (plain bash: no curl needed).
ready() {
  (exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT" && printf 'GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 && head -n1 <&3 | grep -q ' 200 ') 2>/dev/null
}
for _ in $(seq 1 120); do
  if ready; then break; fi
  kill -0 "$silo" 2>/dev/null || { echo "run: Pool exited during start-up" >&2; exit 1; }
  sleep 0.5
done
ready || { echo "run: Pool did not become ready" >&2; exit 1; }

# A demo pool: twenty Hong Kong mobile numbers (adding them again is harmless).
demo=()
for i in $(seq -w 0 19); do demo+=("+8525123$((4000 + 10#$i))"); done
scripts/poolctl --api "http://127.0.0.1:$GRPC_PORT" numbers add --country HK --pool demo-hk "${demo[@]}" >/dev/null

# Outbound routes over the simulator: every country through sim-a, with sim-b behind it (idempotent).
ctl=(scripts/poolctl --api "http://127.0.0.1:$GRPC_PORT")
"${ctl[@]}" routes set sim-a --connection sim-a --country HK,US,GB,ES,CN --cost 0.004 >/dev/null
"${ctl[@]}" routes set sim-b --connection sim-b --country HK,US,GB,ES,CN --cost 0.006 >/dev/null
for country in HK US GB ES CN; do
  "${ctl[@]}" routes table "$country" --primary sim-a --secondary sim-b >/dev/null
done

cat <<MSG

  Pool is running.
    gRPC API    http://127.0.0.1:$GRPC_PORT   (pool.v1, reflection and grpc.health.v1 served)
    Dashboard   http://127.0.0.1:$HTTP_PORT/dashboard
    Health      http://127.0.0.1:$HTTP_PORT/healthz   http://127.0.0.1:$HTTP_PORT/readyz
    Database    $connection
    Demo pool   demo-hk (20 numbers, HK)
    Admin key   .data/admin.key (scripts/poolctl uses it; tenants get their own keys)
    Carrier     POST http://127.0.0.1:$HTTP_PORT/carriers/local/messages (secret in .data/carrier.secret)
    Simulator   SMSCs sim-a and sim-b on loopback, bound over SMPP; routes for HK US GB ES CN (primary sim-a)

  Try:  scripts/poolctl lease --country HK --service telegram
        scripts/poolctl inbound send --to <the leased number> --text "Your Telegram code is 48213"
        scripts/poolctl verify start --to +85251234567   (then: scripts/poolctl sim handset sim-a)
  Ctrl-C stops Pool.

MSG
wait "$silo"
