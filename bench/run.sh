#!/usr/bin/env bash
# Pingan HTTP benchmarks, with nginx on this machine as the physical reference.
#
#   bench/run.sh                 # all runs, 10 s each
#   DURATION=5 bench/run.sh      # shorter
#   THREADS=8 bench/run.sh       # pingan worker threads (default: config default)
#   ONLY=events bench/run.sh     # only issue 5: intake, and queues on EVENTS events
#
# Builds the demo county into a temp dir, starts the release build of pingan
# and an nginx answering a fixed JSON body, and runs the same wrk load
# against each. Prints a Markdown table (requests/s, p50, p99, errors) and
# the ratios to nginx. wrk, nginx and pingan share the machine's cores.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
BIN=${BIN:-build/pingan}
[ -x "$BIN" ] || { echo "build $BIN first (make)"; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing: scripts/install-deps.sh"; exit 1; }
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "nginx missing: scripts/install-deps.sh"; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d /tmp/pingan-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "# $(lscpu | awk -F: '/Model name/ {gsub(/^ +/,"",$2); print $2}')"
echo "# pingan $($BIN version), wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), nginx $($NGINX -v 2>&1 | sed 's/.*\///')"

$BIN demo --db "$work/pingan.db" >/dev/null
PPORT=$(free_port)
extra=()
[ -n "${THREADS:-}" ] && extra+=(--threads "$THREADS")
$BIN serve --db "$work/pingan.db" --port "$PPORT" --log-level info "${extra[@]}" \
  >"$work/pingan.out" 2>"$work/pingan.log" &
pids+=($!)

# The same server without the response cache: every area read renders anew.
CPORT=$(free_port)
$BIN serve --db "$work/pingan.db" --port "$CPORT" --log-level info --response-cache 0 "${extra[@]}" \
  >"$work/pingan-nocache.out" 2>"$work/pingan-nocache.log" &
pids+=($!)

NPORT=$(free_port)
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes $(nproc);
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NPORT;
    location / { default_type application/json; return 200 '{"status":"ok","version":"0.1.0"}'; }
  }
}
CONF
$NGINX -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)

for i in $(seq 50); do
  curl -fs "http://127.0.0.1:$PPORT/api/v1/health" >/dev/null 2>&1 && \
  curl -fs "http://127.0.0.1:$CPORT/api/v1/health" >/dev/null 2>&1 && \
  curl -fs "http://127.0.0.1:$NPORT/" >/dev/null 2>&1 && break
  sleep 0.1
done
TOKEN=$(curl -fs -XPOST "http://127.0.0.1:$PPORT/api/v1/auth/login" \
  -d '{"username":"admin","password":"Pingan@2026"}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')
CTOKEN=$(curl -fs -XPOST "http://127.0.0.1:$CPORT/api/v1/auth/login" \
  -d '{"username":"admin","password":"Pingan@2026"}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')
AREA=/api/v1/areas/411624001   # a township with its 23 villages

# run NAME CONNECTIONS URL [wrk args...] -> "rps p50 p99 errors"
run() {
  local name=$1 conns=$2 url=$3; shift 3
  local out
  out=$(wrk -t2 -c"$conns" -d"${DURATION}s" --latency "$@" "$url" 2>&1)
  echo "$out" > "$work/wrk-$name-$conns.txt"
  local rps p50 p99 errs
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errs=$(echo "$out" | awk '/Non-2xx|Socket errors/ {printf "%s ", $0}')
  echo "$rps $p50 $p99 ${errs:-none}"
}

if [ "${ONLY:-}" != events ]; then
declare -A R
printf '\n| run | connections | requests/s | p50 | p99 | errors |\n|---|---|---|---|---|---|\n'
for c in 64 256; do
  for t in nginx health area area_nocache locate; do
    case $t in
      nginx)  res=$(run nginx "$c" "http://127.0.0.1:$NPORT/") ;;
      health) res=$(run health "$c" "http://127.0.0.1:$PPORT/api/v1/health") ;;
      area)   res=$(run area "$c" "http://127.0.0.1:$PPORT$AREA" -H "Authorization: Bearer $TOKEN") ;;
      area_nocache) res=$(run area_nocache "$c" "http://127.0.0.1:$CPORT$AREA" -H "Authorization: Bearer $CTOKEN") ;;
      locate) res=$(TOKEN=$TOKEN run locate "$c" "http://127.0.0.1:$PPORT" -s bench/locate.lua) ;;
    esac
    R[$t-$c]=$(echo "$res" | awk '{print $1}')
    read -r rps p50 p99 errs <<<"$res"
    printf '| %s | %s | %s | %s | %s | %s |\n' "$t" "$c" "$rps" "$p50" "$p99" "$errs"
  done
done

echo
for c in 64 256; do
  python3 - "${R[nginx-$c]}" "${R[health-$c]}" "${R[area-$c]}" "${R[area_nocache-$c]}" "${R[locate-$c]}" "$c" <<'PY'
import sys
n, h, a, u, l, c = map(float, sys.argv[1:7])
print(f"ratio at {int(c)} connections: health/nginx = {h/n*100:.1f} %, "
      f"area/nginx = {a/n*100:.1f} %, area without cache/nginx = {u/n*100:.1f} %, "
      f"locate/health = {l/h*100:.1f} %")
PY
done
echo "# access-log lines written by pingan: $(grep -c ' \[access\] ' "$work/pingan.log")"
echo "# locate answers: $(grep -c 'areas/locate.* 200 ' "$work/pingan.log") found, $(grep -c 'areas/locate.* 404 ' "$work/pingan.log") outside"

echo
echo "## in-process locate and the demo tree"
if [ -x build/bench/locate_bench ]; then
  build/bench/locate_bench "$work/pingan.db" 1000000 2>/dev/null || echo "locate_bench failed (rebuild it: make build/bench/locate_bench)"
else
  echo "build/bench/locate_bench is missing: run make bench"
fi
/usr/bin/time -f "demo build: %e s wall, %M KB peak" $BIN demo --db "$work/demo2.db" 2>&1 >/dev/null | grep -v migration || true
/usr/bin/time -f "check-grids: %e s wall, %M KB peak" $BIN check-grids --db "$work/demo2.db" 2>&1 | grep -v migration || true
$BIN export grids --db "$work/demo2.db" --code 411624 --out "$work/county.geojson" 2>/dev/null
echo "exported the county tree: $(du -h "$work/county.geojson" | cut -f1)"
/usr/bin/time -f "import of the county tree into a new database: %e s wall, %M KB peak" \
  $BIN import grids --db "$work/import.db" "$work/county.geojson" 2>&1 | grep -v migration || true

echo
echo "## import of a population ledger (issue 4: goal 100,000 rows/s)"
IMPORT_ROWS=${IMPORT_ROWS:-1000000}
$BIN demo --db "$work/import-people.db" --people 0 >/dev/null 2>&1
python3 bench/gen_people.py "$work/import-people.db" "$IMPORT_ROWS" "$work/people.csv"
/usr/bin/time -f "import people: %e s wall, %M KB peak" \
  $BIN import people --db "$work/import-people.db" "$work/people.csv" 2>&1 | grep -v migration || true

fi

echo
echo "## issue 5: intake (goal 2,000 events/s) and queues with ${EVENTS:=1000000} events (goal p99 < 10 ms)"
# Intake: each request a new event at a located point, durable on return;
# in the same run as health, against a server of its own on a fresh copy.
cp "$work/pingan.db" "$work/intake.db"
IPORT=$(free_port)
$BIN serve --db "$work/intake.db" --port "$IPORT" --log-level warn "${extra[@]}" \
  >"$work/intake.out" 2>"$work/intake.log" &
pids+=($!)
for i in $(seq 50); do curl -fs "http://127.0.0.1:$IPORT/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
ITOKEN=$(curl -fs -XPOST "http://127.0.0.1:$IPORT/api/v1/auth/login" \
  -d '{"username":"admin","password":"Pingan@2026"}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')
python3 bench/points.py "http://127.0.0.1:$IPORT" "$ITOKEN" 1000 "$work/points.txt"
ICONNS=${ICONNS:-64}
printf '\n| run | connections | requests/s | p50 | p99 | errors |\n|---|---|---|---|---|---|\n'
read -r hr hp50 hp99 herrs <<<"$(run health-i "$ICONNS" "http://127.0.0.1:$IPORT/api/v1/health")"
printf '| health | %s | %s | %s | %s | %s |\n' "$ICONNS" "$hr" "$hp50" "$hp99" "$herrs"
read -r ir ip50 ip99 ierrs <<<"$(TOKEN=$ITOKEN POINTS=$work/points.txt RUN=1 run intake "$ICONNS" "http://127.0.0.1:$IPORT" -s bench/intake.lua)"
printf '| intake (POST /api/v1/events) | %s | %s | %s | %s | %s |\n' "$ICONNS" "$ir" "$ip50" "$ip99" "$ierrs"
read -r ir1 ip501 ip991 ierrs1 <<<"$(TOKEN=$ITOKEN POINTS=$work/points.txt RUN=2 run intake1 1 "http://127.0.0.1:$IPORT" -t1 -s bench/intake.lua)"
printf '| intake, one client | 1 | %s | %s | %s | %s |\n' "$ir1" "$ip501" "$ip991" "$ierrs1"
python3 -c "import sys; print(f'\nintake/health at $ICONNS connections = {float(sys.argv[1])/float(sys.argv[2])*100:.2f} %')" "$ir" "$hr"
echo "# events in the intake database: $(sqlite3 "$work/intake.db" 'SELECT count(*) FROM event')"

# Queues and lists on a year of events.
cp "$work/pingan.db" "$work/events.db"
/usr/bin/time -f "gen_events: %e s wall, %M KB peak" build/bench/gen_events "$work/events.db" "$EVENTS" 2>&1
QPORT=$(free_port)
$BIN serve --db "$work/events.db" --port "$QPORT" --log-level warn "${extra[@]}" \
  >"$work/events.out" 2>"$work/events.log" &
pids+=($!)
for i in $(seq 100); do curl -fs "http://127.0.0.1:$QPORT/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
qtoken() { curl -fs -XPOST "http://127.0.0.1:$QPORT/api/v1/auth/login" -d "{\"username\":\"$1\",\"password\":\"Pingan@2026\"}" \
  | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])'; }
DISP=$(qtoken dispatcher); POLICE=$(qtoken handler); GW=$(qtoken g411624001200001)
QCONNS=${QCONNS:-"1 8"}
printf '\n| endpoint (as) | connections | requests/s | p50 | p99 | errors | answer |\n|---|---|---|---|---|---|---|\n'
for q in "inbox (dispatcher, county)|$DISP|/api/v1/inbox" \
         "inbox (handler, 公安)|$POLICE|/api/v1/inbox" \
         "inbox (grid worker)|$GW|/api/v1/inbox" \
         "events?status=accepted&light=red (dispatcher)|$DISP|/api/v1/events?status=accepted&light=red" \
         "events?status=dispatched,accepted (handler)|$POLICE|/api/v1/events?status=dispatched,accepted" \
         "events?area=411624001 (dispatcher, a township)|$DISP|/api/v1/events?area=411624001" \
         "events (dispatcher, the county)|$DISP|/api/v1/events"; do
  IFS='|' read -r name tok path <<<"$q"
  answer=$(curl -fs -H "Authorization: Bearer $tok" "http://127.0.0.1:$QPORT$path" | python3 -c \
    'import sys,json;d=json.load(sys.stdin);print("total %s%s, %d items" % (d["total"], "+" if d.get("total_capped") else "", len(d["items"])))')
  for c in $QCONNS; do
    read -r rps p50 p99 errs <<<"$(run queue "$c" "http://127.0.0.1:$QPORT$path" -t$(( c < 2 ? 1 : 2 )) -H "Authorization: Bearer $tok")"
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$c" "$rps" "$p50" "$p99" "$errs" "$answer"
  done
done
