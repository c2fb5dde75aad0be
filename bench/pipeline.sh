#!/usr/bin/env bash
# pipeline.sh — images per minute through the whole running system (upload -> SQS -> worker -> S3 ->
# DynamoDB) and upload-to-processed latency on an idle system, next to the worker's standalone rate.
#
# usage: bench/pipeline.sh [BASE_URL]   (default http://127.0.0.1:8080; start the system first, ONE worker,
#        persistent, as S3Proxy in memory cannot hold many 17.9 MP results:
#        java -jar imagery-local/target/imagery-local.jar --workers=1)
# env:   PHOTO=<file> (default the 8.0 MP photo)  IMAGES=20  UPLOADERS=2  THROUGHPUT_WARMUP=$IMAGES
#        SYSTEM_WARMUP=300 small uploads first, of WARMUP_PHOTO (default: the corpus's 320 x 240 progressive JPEG)
#        LATENCY_RUNS=9  LATENCY_WARMUP=10  POLL=0.25  WORKER_PORT=8081  API_PORT (from BASE_URL)
#        STANDALONE=1 (0: skip the in-process standalone run)  STANDALONE_FORKS=3 (JVMs, the median taken)
# Latency is the server's own clock: processed.updated - uploaded.updated (no polling error).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE=${1:-http://127.0.0.1:8080}
PHOTO=$(readlink -f "${PHOTO:-$ROOT/../shared/corpus/photos/large_8.0MP_iphone_hdr_NO.jpg}")
IMAGES=${IMAGES:-20}
THROUGHPUT_WARMUP=${THROUGHPUT_WARMUP:-$IMAGES}
SYSTEM_WARMUP=${SYSTEM_WARMUP:-300}
WARMUP_PHOTO=${WARMUP_PHOTO:-$ROOT/../shared/corpus/edge/progressive_cat.jpg}
UPLOADERS=${UPLOADERS:-2}
LATENCY_RUNS=${LATENCY_RUNS:-9}
POLL=${POLL:-0.25}
LATENCY_WARMUP=${LATENCY_WARMUP:-10}
STANDALONE_FORKS=${STANDALONE_FORKS:-3}
WORKER_PORT=${WORKER_PORT:-8081}
API_PORT=${API_PORT:-$(echo "$BASE" | sed -E 's#.*:([0-9]+).*#\1#')}
JAR=$ROOT/imagery-bench/target/imagery-bench.jar
TMP=$(mktemp -d /tmp/imagery-pipeline.XXXXXX); trap 'rm -rf "$TMP"' EXIT
curl -fsS "$BASE/actuator/health/readiness" >/dev/null || { echo "no API ready at $BASE" >&2; exit 2; }
pid_on() { ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
hwm() { [ -n "$1" ] && awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }
now_ms() { date +%s%3N; }
cpu_ms() { # CPU time (user + system) of the given pids so far, in ms
  local hz total=0 p; hz=$(getconf CLK_TCK)
  for p in "$@"; do
    total=$(( total + $(awk -v hz="$hz" '{ sub(/^.*\) /, ""); print int(($12 + $13) * 1000 / hz) }' "/proc/$p/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}
machine_cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '/^cpu /{ print int(($2 + $3 + $4 + $7 + $8) * 1000 / hz) }' /proc/stat; }
median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
upload_request() { # $1 id [$2 photo, default PHOTO] -> the upload request's curl arguments, in the array REQUEST
  REQUEST=(-H 'Accept: application/json' -F "file=@${2:-$PHOTO}" "$BASE/image/$1/upload")
}
upload() { # $1 id -> JSON of the upload answer
  upload_request "$1"; curl -fsS "${REQUEST[@]}"
}
wait_processed() { # $1 id -> JSON of the processed image
  # Polling is only for knowing when to stop: every figure comes from the server's clock. So poll gently
  # (a curl every POLL seconds, no jq): at 20 polls a second, curl, jq, the API and DynamoDB Local took
  # CPU from the worker being measured.
  local j
  for _ in $(seq $(awk -v p="$POLL" 'BEGIN{print int(120 / p)}')); do
    j=$(curl -fsS "$BASE/image/$1")
    case $j in *'"state":"processed"'*) echo "$j"; return 0 ;; *'"state":"failed"'*) echo "$j" >&2; return 1 ;; esac
    sleep "$POLL"
  done
  return 1
}
echo "# $(date -Is) $(nproc) cores; photo $(basename "$PHOTO"); worker pid $(pid_on "$WORKER_PORT"), api pid $(pid_on "$API_PORT")"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. Throughput: IMAGES uploads, UPLOADERS at a time, until the last one is processed. Where the CPU went
# meanwhile: the worker, the API, and the embedded AWS servers (the launcher's child JVMs), from /proc.
# The client must not take the CPU it measures: one curl sends every upload, and the wait reads one image a
# second, then all that are left in one request; a curl and a jq per image took 53 ms of CPU per 8.0 MP image
# (the whole "everything else" line below; session 7).
create_ids() { # $1 count -> ids, one per line (before the clock starts)
  for _ in $(seq "$1"); do echo "$BASE/image"; done | xargs curl -fsS -X POST | jq -r .id
}
upload_all() { # $1 file of ids [$2 photo]: uploads them all, UPLOADERS at a time, with one curl
  local uploads=() sep=() id codes
  while read -r id; do
    upload_request "$id" "${2:-}"
    uploads+=("${sep[@]}" -o /dev/null -w '%{http_code}\n' "${REQUEST[@]}")
    sep=(--next)
  done < "$1"
  codes=$(curl --no-progress-meter --parallel --parallel-max "$UPLOADERS" "${uploads[@]}")
  [ "$(echo "$codes" | grep -cx 200)" = "$(wc -l < "$1")" ] || { echo "uploads answered: $(echo $codes)" >&2; exit 1; }
}
last_processed() { # $1 file of ids: waits until all are processed; prints the latest processed.updated
  local last=0 pending states
  pending=$(cat "$1")
  while [ -n "$pending" ]; do
    POLL=1 wait_processed "$(echo "$pending" | tail -1)" >/dev/null || return 1
    # every pending image in one request: "processed <updated>" or "pending <id>" (a failed one stops the run)
    states=$(for id in $pending; do echo "$BASE/image/$id"; done | xargs curl -fsS \
        | jq -r 'if .state == "processed" then "processed \(.updated)" elif .state == "failed" then error("failed: \(.id)") else "pending \(.id)" end') || return 1
    last=$(echo "$states" | awk -v l="$last" '$1 == "processed" && $2 > l { l = $2 } END { print l }')
    pending=$(echo "$states" | awk '$1 == "pending" { print $2 }')
  done
  echo "$last"
}
# Small uploads first, not counted: after only the few dozen uploads of a run, the upload's own path (the conditional
# write, the SQS send, the worker's read of the record) is still slow, most likely not yet compiled, where a server in
# service has taken thousands; the standalone figure this run is compared with is warm too. Session 12, medians of
# 30, the SDK's debug log on: after 70 uploads the API's SQS send took 11 ms and its write 5.5; after 600 more small
# ones, 5 and 3; from `uploaded` to the worker, 35 ms and then 16. A second run on the same system warms again
# (about half a minute); SYSTEM_WARMUP=0 skips it.
if [ "$SYSTEM_WARMUP" -gt 0 ]; then
  if [ -f "$WARMUP_PHOTO" ]; then
    create_ids "$SYSTEM_WARMUP" > "$TMP/system-warmup"; upload_all "$TMP/system-warmup" "$WARMUP_PHOTO"
    last_processed "$TMP/system-warmup" >/dev/null || exit 1
  else
    echo "# no WARMUP_PHOTO ($WARMUP_PHOTO): the run starts without the small uploads" >&2
  fi
fi
# A batch first, not counted: right after a start, the JVMs of the API, the worker and the AWS servers are still
# compiling the paths that two images in flight take (session 7: 0.56 of standalone in the first run after a
# start, 0.65-0.73 in the next two).
if [ "$THROUGHPUT_WARMUP" -gt 0 ]; then
  create_ids "$THROUGHPUT_WARMUP" > "$TMP/warmup"; upload_all "$TMP/warmup"; last_processed "$TMP/warmup" >/dev/null || exit 1
fi
create_ids "$IMAGES" > "$TMP/ids"
worker_pid=$(pid_on "$WORKER_PORT"); api_pid=$(pid_on "$API_PORT")
# The AWS servers of the launcher that started the API; all of them when the API was started by hand (--only=aws).
aws_pids=$(pgrep -P "$(ps -o ppid= -p "$api_pid" | tr -d ' ')" -f dev.imagery.local.child.ChildMain \
    || pgrep -f dev.imagery.local.child.ChildMain || true)
aws_pids=$(echo $aws_pids)
c_worker=$(cpu_ms $worker_pid); c_api=$(cpu_ms $api_pid); c_aws=$(cpu_ms $aws_pids)
declare -A c_each; for p in $aws_pids; do c_each[$p]=$(cpu_ms "$p"); done
c_all=$(machine_cpu_ms)
t0=$(now_ms)
upload_all "$TMP/ids"
t_up=$(now_ms)
last=$(last_processed "$TMP/ids") || { echo "not every image was processed" >&2; exit 1; }
secs=$(awk -v a="$t0" -v b="$last" 'BEGIN{printf "%.1f", (b-a)/1000}')
ipm=$(awk -v n="$IMAGES" -v a="$t0" -v b="$last" 'BEGIN{printf "%.1f", n*60000/(b-a)}')
echo "throughput: $IMAGES images in ${secs} s (uploads done after $(( (t_up - t0) )) ms) = $ipm images/min"
c_worker=$(( $(cpu_ms $worker_pid) - c_worker )); c_api=$(( $(cpu_ms $api_pid) - c_api )); c_aws=$(( $(cpu_ms $aws_pids) - c_aws ))
c_all=$(( $(machine_cpu_ms) - c_all ))
echo "CPU per image during the run (ms): worker $(( c_worker / IMAGES )), api $(( c_api / IMAGES )), AWS servers $(( c_aws / IMAGES )) ($(for p in $aws_pids; do printf '%s %s ' "$(grep -o -a -m1 -E 'dynamodb|elasticmq|s3proxy' "/proc/$p/cmdline" | head -1)" $(( ($(cpu_ms "$p") - ${c_each[$p]:-0}) / IMAGES )); done)), everything else $(( (c_all - c_worker - c_api - c_aws) / IMAGES )); the worker had $(awk -v w="$c_worker" -v a="$c_all" 'BEGIN{printf "%.0f", 100*w/a}') % of the CPU used"

# 2. Latency, one image at a time on the system, idle again: after the throughput batches, so that the worker and
# the AWS servers are as warm as the standalone figure it is compared with. Measured first, right after a start,
# the latency fell from run to run as their JIT caught up (session 8, 8.0 MP: 340, 311, 264 ms against 193-196
# standalone: the worker's read and sepia 218-258 -> 201-232 ms, S3Proxy's store 43-62 -> 33-46, DynamoDB's record
# 9-12 -> 3-9; docs/PERFORMANCE.md, 3). The first LATENCY_WARMUP images are not counted either.
lat=""
for i in $(seq $(( 1 - LATENCY_WARMUP )) "$LATENCY_RUNS"); do
  id=$(curl -fsS -X POST "$BASE/image" | jq -r .id)
  up=$(upload "$id" | jq -r .updated)
  done_json=$(wait_processed "$id")
  ms=$(( $(echo "$done_json" | jq -r .updated) - up ))
  [ "$i" -gt 0 ] && lat="$lat $ms"
done
lat_med=$(echo $lat | tr ' ' '\n' | median)
echo "latency upload->processed (ms, server clock): $lat  median $lat_med"

# 3. Standalone: the same photo in-process, one image at a time and at the worker's concurrency, warmed up by
# LATENCY_WARMUP images: with 3 warm-up runs, as until session 5, the median of 5 moved by a quarter from one JVM
# to the next (238-300 ms at 8.0 MP). Even warm, one JVM's figure is a tenth either way from the next one's on
# this machine (session 10: 205 and 241 ms a minute apart), so the time per image is the median of
# STANDALONE_FORKS JVMs, as JMH forks for the same reason.
if [ "${STANDALONE:-1}" = 1 ] && [ -f "$JAR" ]; then
  alone_rows=$(for _ in $(seq "$STANDALONE_FORKS"); do
    java -Xmx1g -jar "$JAR" pipeline "$PHOTO" --variants=imagery --warmup="$LATENCY_WARMUP" --runs=9 | awk -F'\t' 'NR==2'
  done)
  alone=$(echo "$alone_rows" | cut -f4 | median)
  alone_cpu=$(echo "$alone_rows" | sed -E 's/.*cpu_ms=([0-9.]+).*/\1/' | median)
  rate=$(java -Xmx1g -jar "$JAR" throughput "$PHOTO" --seconds=20 | sed -E 's/.*images_per_min=([0-9.]+).*/\1/')
  echo "standalone: ${alone} ms per image (all cores; median of $STANDALONE_FORKS JVMs: $(echo "$alone_rows" | cut -f4 | paste -sd " ")), ${rate} images/min at concurrency $(nproc)"
  echo "latency ratio (target <= 1.5): $(awk -v a="$lat_med" -v b="$alone" 'BEGIN{printf "%.2f", a/b}')"
fi
[ -n "${alone_cpu:-}" ] && echo "worker CPU per image in the system / standalone ($alone_cpu ms): $(awk -v w="$c_worker" -v n="$IMAGES" -v s="$alone_cpu" 'BEGIN{printf "%.2f", w/n/s}')"
[ -n "${rate:-}" ] && echo "system/standalone (target >= 0.80): $(awk -v a="$ipm" -v b="$rate" 'BEGIN{printf "%.2f", a/b}')"
echo "peak RSS (VmHWM): worker $(hwm "$(pid_on "$WORKER_PORT")") MB, api $(hwm "$(pid_on "$API_PORT")") MB"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
