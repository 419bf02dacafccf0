#!/usr/bin/env bash
# Statistics rollups under load (issue 9): p50/p99 of /api/v1/stats/... for the
# county, a township and a grid, with /api/v1/health measured in the same run as
# the reference. Builds a demo county with EVENTS events (bench/gen_events)
# unless DB names an existing database.
#   bench/stats.sh                      # 1,000,000 events
#   EVENTS=200000 DURATION=10 bench/stats.sh
#   DB=/path/to/city.db AREAS="411600 411602 411602001" bench/stats.sh
#   CACHE=0 bench/stats.sh              # without the response cache (response_cache = 0)
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${EVENTS:-1000000}
DURATION=${DURATION:-10}
CONNS=${CONNS:-8}
PORT=${PORT:-18097}
BIN=build/pingan
command -v wrk >/dev/null || { echo "wrk missing: scripts/install-deps.sh"; exit 1; }
make -s all build/bench/gen_events

work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
if [ -z "${DB:-}" ]; then
  DB=$work/stats.db
  $BIN demo --db "$DB" --people 0 --orgs 0 >/dev/null
  /usr/bin/time -f "gen_events: %e s wall" build/bench/gen_events "$DB" "$EVENTS"
fi
AREAS=${AREAS:-"411624 411624001 411624001200"}
PINGAN_RESPONSE_CACHE=${CACHE:-1} PINGAN_SWEEP_SECONDS=0 $BIN serve --db "$DB" --port "$PORT" >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
TOKEN=$(curl -fs -XPOST "http://127.0.0.1:$PORT/api/v1/auth/login" \
  -d '{"username":"admin","password":"Pingan@2026"}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')
year=$(date -u +%Y)
month=$(date -u +%Y-%m)

run() {
  local out
  out=$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$1" 2>&1)
  printf '| `%s` | %s | %s | %s | %s |\n' "$1" \
    "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
    "$(echo "$out" | awk '$1=="50%" {print $2}')" \
    "$(echo "$out" | awk '$1=="99%" {print $2}')" \
    "$(echo "$out" | awk '/Non-2xx|Socket errors/ {printf "%s ", $0}' | sed 's/^$/none/')"
}

echo "# $($BIN version), $(nproc) cores, $CONNS connections, ${DURATION} s each, response cache ${CACHE:-1}, load $(cut -d' ' -f1 /proc/loadavg), $(date -u +%FT%TZ)"
printf '| request | requests/s | p50 | p99 | errors |\n|---|---|---|---|---|\n'
run /api/v1/health
for a in $AREAS; do
  run "/api/v1/stats/events?area=$a&from=$year-01&to=$month"
  run "/api/v1/stats/events?area=$a&from=$year-01&to=$month&by=status,light,source,major,minor,child"
done
first=${AREAS%% *}
run "/api/v1/stats/events/series?area=$first&from=$year-01-01&to=$(date -u +%F)&grain=day"
run "/api/v1/stats/registry?area=$first"
run "/api/v1/rankings?kind=township&area=$first&from=$year-01&to=$month"
echo
echo "database: $(du -h "$DB" | cut -f1); server RSS: $(ps -o rss= -p "$pid" | awk '{printf "%.0f MB", $1/1024}')"
