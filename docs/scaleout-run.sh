#!/usr/bin/env bash
# The side-by-side run in docs/performance.md ("Scale-out: three servers on
# PostgreSQL + Redis vs one on SQLite"):
#   (a) sqlite    one `starling serve` on SQLite;
#   (b) scaleout  three `starling serve` on one PostgreSQL database and one
#                 Redis, behind nginx running deploy/nginx/starling.conf with
#                 the app servers on loopback ports and without TLS.
# Each setup gets a freshly generated community (same seed and sizes) and the
# same phases of `starling bench`. Each phase is its own bench run, so that
# between phases the script can read the CPU time of every process involved
# from /proc and every server's /metrics.
#
#   docs/scaleout-run.sh             both setups, one after the other
#   docs/scaleout-run.sh sqlite      (a) only
#   docs/scaleout-run.sh scaleout    (b) only
#
# Needs go, curl, jq, nginx, redis-server, psql and a PostgreSQL server on
# which $PG's user may create databases. It creates the database $PGDB
# (dropped at the end unless KEEP_DB=1), starts its own Redis on $REDIS_PORT
# (no persistence) and its own nginx, and stops everything it started.
# Results land in $OUT/<setup>/: summary.tsv (the table), bench output and
# JSON per phase, /metrics of each server before and after each phase,
# Redis command counts, logs. While it runs, /tmp/measuring tells others on
# a shared machine to hold back heavy work.
set -euo pipefail
setups=${1:-both}
case "$setups" in
  both) setups="sqlite scaleout" ;;
  sqlite | scaleout) ;;
  *) echo "usage: $0 [both|sqlite|scaleout]" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin:/usr/sbin"

WORK=${WORK:-/tmp/starling-scaleout}
OUT=${OUT:-$WORK/results-$(date +%Y%m%d-%H%M%S)}
ACCOUNTS=${ACCOUNTS:-10000}
POSTS=${POSTS:-200000}
READERS=${READERS:-1000}
TOKENS=${TOKENS:-200}
SEED=${SEED:-1}
DURATION=${DURATION:-30s}
CONCURRENCY=${CONCURRENCY:-32}
PHASES=${PHASES:-"baseline home hashtag account compose interact mixed freshness"}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
PGDB=${PGDB:-starling_scaleout}
DBURL="$PG/$PGDB?sslmode=disable"
REDIS_PORT=${REDIS_PORT:-16379}
PREFIX=${PREFIX:-scaleout:}
SQLITE_PORT=18500          # its /metrics on 18501
NGINX_PORT=18510           # the three app servers on 18511-18513, /metrics on 18521-18523
APP_PORTS=(18511 18512 18513)
HZ=$(getconf CLK_TCK)
mkdir -p "$WORK" "$OUT"

if [ -z "${BIN:-}" ]; then
  go build -o "$WORK/starling" ./cmd/starling
  BIN=$WORK/starling
fi
{ git rev-parse HEAD; git status --porcelain --untracked-files=no; } > "$OUT/commit.txt" 2>/dev/null || true

started=()    # processes to stop on exit
marked=
cleanup() {
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; done
  started=()
  [ -n "$marked" ] && rm -f /tmp/measuring
  if [ -z "${KEEP_DB:-}" ] && [[ " $setups " == *" scaleout "* ]]; then
    psql "$PG/postgres?sslmode=disable" -qc "DROP DATABASE IF EXISTS $PGDB" || true
  fi
}
trap cleanup EXIT
if [ -e /tmp/measuring ]; then
  echo "warning: /tmp/measuring exists: someone else is measuring on this machine, and the figures will show it" >&2
else
  touch /tmp/measuring; marked=1
fi

# ticks PID: its user + system CPU time in clock ticks.
ticks() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12 + $13}'; }

# The processes of each group, one PID a line.
pids_of() {
  case "$1" in
    starling) printf '%s\n' "${servers[@]}" ;;
    postgres) [ "$setup" = scaleout ] && psql "$PG/postgres?sslmode=disable" -Atc \
      "SELECT pid FROM pg_stat_activity WHERE datname = '$PGDB' OR backend_type <> 'client backend'" ;;
    redis) [ "$setup" = scaleout ] && echo "$redis_pid" ;;
    nginx) [ "$setup" = scaleout ] && { echo "$nginx_pid"; pgrep -P "$nginx_pid"; } ;;
  esac
  return 0
}

# snap FILE: CPU ticks of every process of every group, and of the machine.
snap() {
  for g in starling postgres redis nginx; do
    pids_of $g | while read -r pid; do t=$(ticks "$pid"); [ -n "$t" ] && echo "$g $pid $t"; done
  done > "$1"
  awk '/^cpu /{print "machine 0", $2+$3+$4+$7+$8+$9}' /proc/stat >> "$1"   # busy: all but idle and iowait
}

# cpu BEFORE AFTER GROUP: seconds of CPU the group used between two snaps;
# a process that started in between counts from zero.
cpu() {
  awk -v g="$3" -v hz="$HZ" '$1 != g {next} FNR == NR {b[$2] = $3; next} {s += $3 - ($2 in b ? b[$2] : 0)} END {printf "%.2f", s / hz}' "$1" "$2"
}

# metrics WHEN PHASE: every server's /metrics.
metrics() {
  local i=0
  for m in "${metric_ports[@]}"; do
    i=$((i + 1))
    curl -sf "http://127.0.0.1:$m/metrics" > "$OUT/$setup/metrics/$2-$1-$i.txt" || true
  done
  if [ "$setup" = scaleout ]; then
    redis-cli -p "$REDIS_PORT" info commandstats > "$OUT/$setup/redis/$2-$1.txt"
    psql "$PG/postgres?sslmode=disable" -Atc "SELECT xact_commit, xact_rollback, blks_read, blks_hit, tup_returned, tup_fetched, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = '$PGDB'" \
      > "$OUT/$setup/pg/$2-$1.txt"
  fi
}

# mdelta PHASE: from the /metrics of all servers, summed: HTTP requests and
# their mean time, statements per request and their mean time, transactions
# and their mean time, jobs run.
mdelta() {
  cat "$OUT/$setup/metrics/$1-before-"*.txt | sed 's/^/B /' > "$OUT/$setup/.m"
  cat "$OUT/$setup/metrics/$1-after-"*.txt | sed 's/^/A /' >> "$OUT/$setup/.m"
  awk '
    function add(k, v) { if ($1 == "A") d[k] += v; else d[k] -= v }
    $2 ~ /^starling_http_request_duration_seconds_sum/ { add("hs", $NF) }
    $2 ~ /^starling_http_request_duration_seconds_count/ { add("hc", $NF) }
    $2 ~ /^starling_db_statement_duration_seconds_sum/ { add("ss", $NF) }
    $2 ~ /^starling_db_statement_duration_seconds_count/ { add("sc", $NF) }
    $2 ~ /^starling_db_transaction_duration_seconds_sum/ { add("ts", $NF) }
    $2 ~ /^starling_db_transaction_duration_seconds_count/ { add("tc", $NF) }
    $2 ~ /^starling_jobs_run_total/ { add("jobs", $NF) }
    END {
      hc = d["hc"] > 0 ? d["hc"] : 1; sc = d["sc"] > 0 ? d["sc"] : 1; tc = d["tc"] > 0 ? d["tc"] : 1
      printf "%d\t%.2f\t%.1f\t%.3f\t%.1f\t%d\t%.2f\t%d", d["hc"], 1000 * d["hs"] / hc, d["sc"] / hc, 1000 * d["ss"] / sc, d["ss"], d["tc"], 1000 * d["ts"] / tc, d["jobs"]
    }' "$OUT/$setup/.m"
}

# redis_calls PHASE: Redis commands the phase cost (all kinds).
redis_calls() {
  if [ "$setup" != scaleout ]; then printf -- '-'; return; fi
  awk -F'[:=,]' '/^cmdstat_/ { if (FILENAME ~ /after/) s += $3; else s -= $3 } END { printf "%d", s }' \
    "$OUT/$setup/redis/$1-before.txt" "$OUT/$setup/redis/$1-after.txt"
}

# A background sampler of the servers' summed RssAnon (KiB), twice a second.
rss_sampler() {
  local files=()
  for p in "${servers[@]}"; do files+=("/proc/$p/status"); done
  while :; do
    awk '/^RssAnon/ {s += $2} END {print s}' "${files[@]}" 2>/dev/null || true
    sleep 0.5
  done
}

wait_healthy() {
  for _ in $(seq 1 300); do curl -sf "$1/healthz" > /dev/null && return 0; sleep 0.1; done
  echo "no healthy answer from $1" >&2; return 1
}

generate() {  # generate NAME [--db URL]
  local name=$1; shift
  rm -rf "$WORK/data-$name"
  "$BIN" generate --data "$WORK/data-$name" "$@" --accounts "$ACCOUNTS" --posts "$POSTS" --readers "$READERS" \
    --tokens "$TOKENS" --tokens-out "$WORK/tokens-$name.txt" --seed "$SEED" | tee "$OUT/$setup/generate.txt"
}

for setup in $setups; do
  mkdir -p "$OUT/$setup/metrics" "$OUT/$setup/redis" "$OUT/$setup/pg"
  servers=(); metric_ports=()
  if [ "$setup" = sqlite ]; then
    generate sqlite
    STARLING_RATE_LIMITS=off "$BIN" serve --data "$WORK/data-sqlite" --listen 127.0.0.1:$SQLITE_PORT --metrics-listen 127.0.0.1:$((SQLITE_PORT + 1)) \
      --auth-rate 0 > "$OUT/$setup/serve.log" 2>&1 &
    servers=($!); started+=($!); metric_ports=($((SQLITE_PORT + 1)))
    url=http://127.0.0.1:$SQLITE_PORT
  else
    psql "$PG/postgres?sslmode=disable" -qc "DROP DATABASE IF EXISTS $PGDB"
    psql "$PG/postgres?sslmode=disable" -qc "CREATE DATABASE $PGDB"
    generate postgres --db "$DBURL"
    # What autovacuum does within minutes of a bulk load (and what to run
    # after `starling migrate-db`): statistics for the planner, and the
    # visibility map for index-only scans. Without it the hashtag query
    # plans a scan of all recent statuses (4.4 ms instead of 0.3 ms).
    psql "$DBURL" -qc 'VACUUM ANALYZE'
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no > "$OUT/$setup/redis.log" 2>&1 &
    redis_pid=$!; started+=($!)
    until redis-cli -p "$REDIS_PORT" ping > /dev/null 2>&1; do sleep 0.1; done
    for i in 0 1 2; do
      port=${APP_PORTS[$i]}
      STARLING_RATE_LIMITS=off "$BIN" serve --data "$WORK/data-postgres-$port" --db "$DBURL" --redis "redis://127.0.0.1:$REDIS_PORT/0" \
        --redis-prefix "$PREFIX" --domain 127.0.0.1:$NGINX_PORT --listen 127.0.0.1:$port \
        --metrics-listen 127.0.0.1:$((port + 10)) --auth-rate 0 > "$OUT/$setup/serve-$port.log" 2>&1 &
      servers+=($!); started+=($!); metric_ports+=($((port + 10)))
      wait_healthy "http://127.0.0.1:$port"
    done
    # deploy/nginx/starling.conf with the app servers on loopback ports,
    # plain HTTP on $NGINX_PORT, no access log.
    mkdir -p "$WORK/nginx/acme"
    sed -e "s#app\([123]\)\.internal:8080#127.0.0.1:1851\1#" \
      -e "s#listen 80;#listen 127.0.0.1:$((NGINX_PORT + 9));#" -e '/listen \[::\]/d' \
      -e "s#listen 443 ssl http2;#listen 127.0.0.1:$NGINX_PORT;#" -e '/^ *ssl_/d' \
      -e "s#/var/www/acme#$WORK/nginx/acme#" deploy/nginx/starling.conf > "$WORK/nginx/starling.conf"
    cat > "$WORK/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    include $WORK/nginx/starling.conf;
}
EOF
    cp "$WORK/nginx/starling.conf" "$OUT/$setup/nginx-starling.conf"
    nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx/" -g 'daemon off;' &
    nginx_pid=$!; started+=($!)
    url=http://127.0.0.1:$NGINX_PORT
  fi
  wait_healthy "$url"
  tokens=$WORK/tokens-$([ "$setup" = sqlite ] && echo sqlite || echo postgres).txt

  # Warm-up, not measured: every reader's first home read (on Redis, it
  # builds the feed from the database) and the caches.
  "$BIN" bench --url "$url" --tokens "$tokens" --setup none --phases home --duration 5s --concurrency "$CONCURRENCY" \
    --seed 99 > "$OUT/$setup/warmup.txt" 2>&1
  sleep 2

  rss_sampler > "$OUT/$setup/rss.log" &
  sampler=$!; started+=($!)
  printf 'phase\treq_per_s\tp50_ms\tp90_ms\tp99_ms\trequests\terrors\tfresh_p99_ms\tstarling_cpu_s\tpostgres_cpu_s\tredis_cpu_s\tnginx_cpu_s\tbench_cpu_s\tmachine_cpu_s\tstarling_us_per_req\tserver_side_us_per_req\tstarling_rssanon_peak_mib\thttp_requests\thttp_mean_ms\tstatements_per_req\tstatement_mean_ms\tstatement_total_s\ttransactions\ttx_mean_ms\tjobs\tredis_commands\tload_before\n' \
    > "$OUT/$setup/summary.tsv"
  for phase in $PHASES; do
    load=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')
    echo "$(date +%T) $setup $phase: $(uptime)" >> "$OUT/uptime.txt"
    metrics before "$phase"
    snap "$OUT/$setup/cpu-$phase-before.txt"
    rss_from=$(wc -l < "$OUT/$setup/rss.log")
    TIMEFORMAT='%U %S'
    { time "$BIN" bench --url "$url" --tokens "$tokens" --setup none --phases "$phase" --duration "$DURATION" \
        --concurrency "$CONCURRENCY" --server-pid "${servers[0]}" --json "$OUT/$setup/bench-$phase.json" \
        > "$OUT/$setup/bench-$phase.txt" 2>> "$OUT/$setup/bench.log"; } 2> "$OUT/$setup/bench-$phase.time"
    snap "$OUT/$setup/cpu-$phase-after.txt"
    rss_to=$(wc -l < "$OUT/$setup/rss.log")
    metrics after "$phase"
    b="$OUT/$setup/cpu-$phase-before.txt"; a="$OUT/$setup/cpu-$phase-after.txt"
    s=$(cpu "$b" "$a" starling); p=$(cpu "$b" "$a" postgres); r=$(cpu "$b" "$a" redis); n=$(cpu "$b" "$a" nginx)
    m=$(cpu "$b" "$a" machine)
    bc_s=$(awk '{printf "%.2f", $1 + $2}' "$OUT/$setup/bench-$phase.time")
    peak=$(sed -n "$((rss_from + 1)),${rss_to}p" "$OUT/$setup/rss.log" | awk 'm < $1 {m = $1} END {printf "%.1f", m / 1024}')
    j="$OUT/$setup/bench-$phase.json"
    reqs=$(jq '.phases[0].requests' "$j")
    row=$(jq -r '.phases[0] | [.phase, (.rps | floor), .latency_ms.p50, .latency_ms.p90, .latency_ms.p99, .requests, .error_count,
      (if .freshness then .freshness.delay_ms.p99 else "-" end)] | @tsv' "$j")
    per=$(awk -v s="$s" -v p="$p" -v r="$r" -v n="$n" -v q="$reqs" 'BEGIN {printf "%.0f\t%.0f", 1e6 * s / q, 1e6 * (s + p + r + n) / q}')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$row" "$s" "$p" "$r" "$n" "$bc_s" "$m" "$per" "$peak" \
      "$(mdelta "$phase")" "$(redis_calls "$phase")" "$load" >> "$OUT/$setup/summary.tsv"
    tail -1 "$OUT/$setup/summary.tsv"
  done
  kill "$sampler" 2>/dev/null || true
  if [ "$setup" = scaleout ]; then
    redis-cli -p "$REDIS_PORT" info memory | grep -E '^used_memory:|^used_memory_human:' > "$OUT/$setup/redis-memory.txt"
    redis-cli -p "$REDIS_PORT" --scan --pattern "${PREFIX}feeds:*:built" | wc -l | sed 's/^/built feeds: /' >> "$OUT/$setup/redis-memory.txt"
    psql "$PG/postgres?sslmode=disable" -Atc "SELECT 'database size: ' || pg_size_pretty(pg_database_size('$PGDB'))" >> "$OUT/$setup/redis-memory.txt"
  fi
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; done
  started=()
  echo "== $setup"; column -t -s $'\t' "$OUT/$setup/summary.tsv"
done
echo "results in $OUT"
