#!/usr/bin/env bash
# Runs the measurements in docs/performance.md on this machine:
#   docs/perf-run.sh 1m            10,000 accounts, 1,000,000 posts, SQLite
#   docs/perf-run.sh 10m           100,000 accounts, 10,000,000 posts, SQLite
#   DB=postgres://postgres@127.0.0.1:5432/starling_perf docs/perf-run.sh 1m
# It generates the community (unless the data folder or database exists),
# starts a server on it, times start-up, runs every phase of starling bench
# with the server's CPU and memory read from /proc, then the same home and
# hashtag reads and /healthz with wrk. Results land in $OUT.
set -euo pipefail
size=${1:-1m}
case "$size" in
  1m) accounts=10000; posts=1000000 ;;
  10m) accounts=100000; posts=10000000 ;;
  *) echo "usage: $0 1m|10m" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
WORK=${WORK:-/tmp/starling-perf}
OUT=${OUT:-$WORK/results-$size${DB:+-postgres}}
DATA=$WORK/data-$size
DURATION=${DURATION:-30s}
mkdir -p "$WORK" "$OUT"
go build -o "$WORK/starling" ./cmd/starling
bin=$WORK/starling
dbflag=()
[ -n "${DB:-}" ] && dbflag=(--db "$DB")

if [ ! -f "$WORK/tokens-$size${DB:+-postgres}" ]; then
  "$bin" generate --data "$DATA" "${dbflag[@]}" --accounts $accounts --posts $posts --follows 100 \
    --readers 2000 --tokens 2000 --tokens-out "$WORK/tokens-$size${DB:+-postgres}" | tee "$OUT/generate.txt"
fi
tokens=$WORK/tokens-$size${DB:+-postgres}

port=18190
start=$(date +%s.%N)
STARLING_RATE_LIMITS=off "$bin" serve --data "$DATA" "${dbflag[@]}" --listen 127.0.0.1:$port --metrics-listen 127.0.0.1:$((port+1)) --auth-rate 0 \
  > "$OUT/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -sf http://127.0.0.1:$port/healthz >/dev/null; do sleep 0.01; done
end=$(date +%s.%N)
echo "start-up to first healthy answer: $(echo "$end - $start" | bc) s" | tee "$OUT/startup.txt"
grep -E 'RssAnon|VmHWM' /proc/$pid/status | tee -a "$OUT/startup.txt"

"$bin" bench --url http://127.0.0.1:$port --tokens "$tokens" --setup none --duration "$DURATION" --concurrency 32 \
  --server-pid $pid --json "$OUT/bench.json" | tee "$OUT/bench.txt"

for target in healthz "api/v1/timelines/home?limit=20" "api/v1/timelines/tag/socialcare?limit=20"; do
  name=$(echo "$target" | cut -d'?' -f1 | tr '/' '_')
  TOKENS=$tokens wrk -t2 -c32 -d"$DURATION" --latency -s docs/wrk-tokens.lua "http://127.0.0.1:$port/$target" \
    | tee "$OUT/wrk-$name.txt"
done
