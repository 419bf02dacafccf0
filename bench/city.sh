#!/usr/bin/env bash
# Pingan at city scale (issue 9): 周口市 built by `pingan demo --scale city`,
# then, against it and against the demo county in the same run:
#   - statistics rollups (GET /api/v1/stats/events and /series) at the city,
#     county, township and grid level under wrk load (target p99 < 10 ms),
#   - registry search (GET /api/v1/people?q=),
#   - event intake (POST /api/v1/events) on the full database,
#   - the server's resident memory (VmRSS) after the load.
#
#   bench/city.sh                           # build the city (~9 M residents, 1 M events), run all
#   CITY_DB=/path/city.db bench/city.sh     # reuse a city built before (its .key beside it)
#   COUNTY_DB=/path/county.db bench/city.sh # reuse a county demo with its events (gen_events)
#   CITY_ARGS="--counties 2 --people 500000 --events 100000" bench/city.sh   # a smaller city
#   DURATION=10 CONNS=16 COUNTY_EVENTS=1000000 bench/city.sh
#
# The intake run adds its events to the city database (a reused CITY_DB too).
# Prints Markdown tables; wrk's full outputs stay in $KEEP (default a temp dir
# that is removed) for checking.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
CONNS=${CONNS:-8}
COUNTY_EVENTS=${COUNTY_EVENTS:-1000000}
BIN=${BIN:-build/pingan}
LEVELS='city=市,county=县,township=乡镇,village=村社区,grid=网格,microgrid=微网格'
[ -x "$BIN" ] || { echo "build $BIN first (make)"; exit 1; }
[ -x build/bench/gen_events ] || { echo "build build/bench/gen_events first (make build/bench/gen_events)"; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk"; exit 1; }

work=$(mktemp -d /tmp/pingan-city.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] && cp "$work"/*.txt "$KEEP"/ 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "# $(lscpu | awk -F: '/Model name/ {gsub(/^ +/,"",$2); print $2}')"
echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# pingan $($BIN version), wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), $DURATION s a run, $CONNS connections, 2 wrk threads"

# ---- the city ----
if [ -n "${CITY_DB:-}" ]; then
  CITY=$CITY_DB
  echo "# city: reusing $CITY"
else
  CITY=$work/city.db
  echo
  echo "## building the city: pingan demo --scale city ${CITY_ARGS:-}"
  # shellcheck disable=SC2086
  /usr/bin/time -f "demo --scale city: %e s wall, %U s user, %M KB peak" \
    $BIN demo --scale city --db "$CITY" ${CITY_ARGS:-} 2>&1 | grep -v migration
fi
echo "# city database: $(du -h "$CITY" | cut -f1) ($(stat -c %s "$CITY") bytes)"
sq() { sqlite3 "$1" "$2"; }
echo "# city: $(sq "$CITY" "SELECT group_concat(level || ' ' || n, ', ') FROM (SELECT level, count(*) n FROM area GROUP BY level ORDER BY min(depth))"), $(sq "$CITY" 'SELECT count(*) FROM person') residents, $(sq "$CITY" 'SELECT count(*) FROM event') events"

# ---- the county, in the same run ----
if [ -n "${COUNTY_DB:-}" ]; then
  COUNTY=$COUNTY_DB
  echo "# county: reusing $COUNTY"
else
  COUNTY=$work/county.db
  $BIN demo --db "$COUNTY" --people 0 --orgs 0 >/dev/null 2>&1
  build/bench/gen_events "$COUNTY" "$COUNTY_EVENTS" | sed 's/^/# county: /'
fi
echo "# county: $(sq "$COUNTY" 'SELECT count(*) FROM area') areas, $(sq "$COUNTY" 'SELECT count(*) FROM event') events"

start() { # start NAME DB [env...] -> sets PORT_NAME, PID_NAME
  local name=$1 db=$2; shift 2
  local port; port=$(free_port)
  env "$@" "$BIN" serve --db "$db" --port "$port" --log-level warn >"$work/$name.out" 2>"$work/$name.log" &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 300); do curl -fs "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
  printf -v "PORT_$name" %s "$port"
  printf -v "PID_$name" %s "$pid"
}
start city "$CITY" PINGAN_AREA_LEVELS="$LEVELS"
start county "$COUNTY"
token() { curl -fs -XPOST "http://127.0.0.1:$1/api/v1/auth/login" -d "{\"username\":\"$2\",\"password\":\"Pingan@2026\"}" \
  | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])'; }
CT=$(token "$PORT_city" leader); KT=$(token "$PORT_county" leader)

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

# The areas of each level the rollups cycle through (up to 1,000 of each).
areas() { sq "$1" "SELECT code FROM area WHERE level = '$2' ORDER BY code LIMIT 1000" >"$work/$3.codes"; }
areas "$CITY" city c-city; areas "$CITY" county c-county; areas "$CITY" township c-township; areas "$CITY" grid c-grid
areas "$COUNTY" county k-county; areas "$COUNTY" township k-township; areas "$COUNTY" grid k-grid
TO=$(date -u +%Y-%m); FROM=$(date -u -d "$(date -u +%Y-%m-01) -11 months" +%Y-%m)
DTO=$(date -u +%Y-%m-%d); DFROM=$(date -u -d '-89 days' +%Y-%m-%d)
ROLLUP="/api/v1/stats/events?area=%s&from=$FROM&to=$TO&by=status,source,major,light,child"
SERIES="/api/v1/stats/events/series?area=%s&from=$DFROM&to=$DTO"

echo
echo "## rollups under load ($FROM..$TO by status, source, major, light, child; series: $DFROM..$DTO by day)"
printf '\n| database | query | level (areas cycled) | requests/s | p50 | p99 | errors |\n|---|---|---|---|---|---|---|\n'
for db in city county; do
  port_var=PORT_$db; port=${!port_var}
  tok=$CT; p=c; [ $db = county ] && { tok=$KT; p=k; }
  for q in rollup series; do
    query=$ROLLUP; [ $q = series ] && query=$SERIES
    for level in city county township grid; do
      [ -f "$work/$p-$level.codes" ] || continue
      n=$(wc -l <"$work/$p-$level.codes")
      read -r rps p50 p99 errs <<<"$(TOKEN=$tok QUERY=$query AREAS=$work/$p-$level.codes \
        run "$db-$q-$level" "$CONNS" "http://127.0.0.1:$port" -s bench/stats.lua)"
      printf '| %s | %s | %s (%s) | %s | %s | %s | %s |\n' "$db" "$q" "$level" "$n" "$rps" "$p50" "$p99" "$errs"
    done
  done
done
echo
echo "one city rollup: $(curl -fs -H "Authorization: Bearer $CT" "http://127.0.0.1:$PORT_city$(printf "$ROLLUP" "$(head -1 "$work/c-city.codes")")" \
  | python3 -c 'import sys,json;d=json.load(sys.stdin);print("reported %d, %d children" % (d["totals"]["reported"], len(d["by"]["child"])))')"

echo
echo "## registry search (GET /api/v1/people?q=, admin of the whole database)"
CA=$(token "$PORT_city" admin)
printf '\n| query | total | requests/s | p50 | p99 | errors |\n|---|---|---|---|---|---|\n'
for q in 王伟 张秀英 刘庄 第3微网格 "$(sq "$CITY" 'SELECT substr(current_address, 1, 6) FROM person WHERE id = 4242')"; do
  enc=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))' "$q")
  total=$(curl -fs -H "Authorization: Bearer $CA" "http://127.0.0.1:$PORT_city/api/v1/people?q=$enc" \
    | python3 -c 'import sys,json;d=json.load(sys.stdin);print("%s%s" % (d["total"], "+" if d.get("total_capped") else ""))')
  read -r rps p50 p99 errs <<<"$(run "search-$enc" "$CONNS" "http://127.0.0.1:$PORT_city/api/v1/people?q=$enc" -H "Authorization: Bearer $CA")"
  printf '| %s | %s | %s | %s | %s | %s |\n' "$q" "$total" "$rps" "$p50" "$p99" "$errs"
done

echo
echo "## event intake at city scale (POST /api/v1/events at located points; each answer after the commit)"
read -r x0 y0 x1 y1 <<<"$(sq "$CITY" "SELECT min_lng, min_lat, max_lng, max_lat FROM area WHERE level = 'city'" | tr '|' ' ')"
python3 bench/points.py "http://127.0.0.1:$PORT_city" "$CA" 1000 "$work/points.txt" "$x0" "$y0" "$x1" "$y1"
before=$(sq "$CITY" 'SELECT count(*) FROM event')
printf '\n| database | connections | requests/s | p50 | p99 | errors |\n|---|---|---|---|---|---|\n'
read -r rps p50 p99 errs <<<"$(TOKEN=$CA POINTS=$work/points.txt RUN=$$ run intake-city "$CONNS" "http://127.0.0.1:$PORT_city" -s bench/intake.lua)"
printf '| city | %s | %s | %s | %s | %s |\n' "$CONNS" "$rps" "$p50" "$p99" "$errs"
KA=$(token "$PORT_county" admin)
python3 bench/points.py "http://127.0.0.1:$PORT_county" "$KA" 1000 "$work/kpoints.txt"
read -r rps p50 p99 errs <<<"$(TOKEN=$KA POINTS=$work/kpoints.txt RUN=$$ run intake-county "$CONNS" "http://127.0.0.1:$PORT_county" -s bench/intake.lua)"
printf '| county | %s | %s | %s | %s | %s |\n' "$CONNS" "$rps" "$p50" "$p99" "$errs"
echo "# events added to the city by the intake run: $(( $(sq "$CITY" 'SELECT count(*) FROM event') - before ))"

echo
echo "## server memory after the runs (VmRSS / VmHWM)"
for db in city county; do
  pid_var=PID_$db
  echo "- $db: $(awk '/VmRSS|VmHWM/ {printf "%s %d MB  ", $1, $2/1024}' "/proc/${!pid_var}/status")"
done
