#!/usr/bin/env bash
# load-api.sh — requests per second and latency of POST /image and GET /image/{id} under wrk.
#
# usage: bench/load-api.sh [BASE_URL]     (default http://127.0.0.1:8080, a running API: e.g.
#        java -jar imagery-local/target/imagery-local.jar --in-memory   in another terminal)
# env:   DURATION=20s CONNECTIONS=32 THREADS=2 PHOTO=<file uploaded for the GET target>
#        WARMUP=60s before each route (a fresh API's POST ran 351, 844, 1860, 1755, 1977 a second in five 15 s runs in
#        a row: C2 is still compiling for the first 45 s)
#        GET_ID=<existing image id: skip the upload>  READY_PATH=/actuator/health/readiness ("/" for the original
#        Node.js server, which has no actuator; see docs/PERFORMANCE.md for running it on the same backend)
#        DYNAMODB_URL=<DynamoDB Local's endpoint> (default: AWS_ENDPOINT_URL_DYNAMODB of ./imagery-local.env):
#        also measures the backend's own ceiling, PutItem and GetItem straight at DynamoDB with the same wrk
#        settings: no API in front of this backend can serve more than that.
# set-up once: apt-get install -y wrk jq curl
# Prints wrk's summary (with --latency percentiles) and one line per route (GET twice: a processed image and one in
# flight):
#   route rps p50 p99 errors
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE=${1:-http://127.0.0.1:8080}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-60s}
PHOTO=${PHOTO:-$ROOT/../shared/corpus/photos/small_0.9MP_hubble_deep_field.jpg}
command -v wrk >/dev/null || { echo "install wrk: apt-get install -y wrk" >&2; exit 2; }
curl -fsS "$BASE${READY_PATH:-/actuator/health/readiness}" >/dev/null || { echo "no API ready at $BASE" >&2; exit 2; }

# A processed image for GET, so the answer carries its three presigned links, as a browser's would.
id=${GET_ID:-}
if [ -z "$id" ]; then
  id=$(curl -fsS -X POST "$BASE/image" | jq -r .id)
  curl -fsS -H 'Accept: application/json' -F "file=@$PHOTO" "$BASE/image/$id/upload" >/dev/null
  for _ in $(seq 300); do
    [ "$(curl -fsS "$BASE/image/$id" | jq -r .state)" = processed ] && break; sleep 0.1
  done
fi
# And one still in flight (created): the API reads that from DynamoDB on every GET, as a page polling an upload
# does; a finished image it has read before it answers from memory.
inflight=$(curl -fsS -X POST "$BASE/image" | jq -r .id)
echo "# $(date -Is) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); GET targets $id ($(curl -fsS "$BASE/image/$id" | jq -r .state)) and $inflight ($(curl -fsS "$BASE/image/$inflight" | jq -r .state))"

run() { # $1 label, rest: wrk args
  local label=$1; shift
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$@" >/dev/null 2>&1 || true   # JIT warm-up
  local out; out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@")
  echo "$out" | sed 's/^/    /'
  echo "$out" | awk -v l="$label" -v load="$(cut -d' ' -f1 /proc/loadavg)" '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /Non-2xx/ { err = $NF } /Socket errors/ { serr = $0 }
    END { printf "RESULT\t%s\trps=%s\tp50=%s\tp99=%s\tnon2xx=%s\tload1=%s\t%s\n", l, rps, p50, p99, (err == "" ? 0 : err), load, serr }'
}
run "POST /image" -s "$ROOT/bench/wrk-post.lua" "$BASE/image"
run "GET /image/{id} processed" "$BASE/image/$id"
run "GET /image/{id} in flight" "$BASE/image/$inflight"

# The backend's ceiling: the one DynamoDB request behind each route, with nothing in front of it.
if [ -z "${DYNAMODB_URL:-}" ] && [ -f imagery-local.env ]; then
  DYNAMODB_URL=$(sed -n 's/^AWS_ENDPOINT_URL_DYNAMODB=//p' imagery-local.env)
  export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-$(sed -n 's/^AWS_ACCESS_KEY_ID=//p' imagery-local.env)}
fi
if [ -n "${DYNAMODB_URL:-}" ]; then
  DYNAMODB_OP=put run "DynamoDB PutItem (backend ceiling of POST)" -s "$ROOT/bench/wrk-dynamodb.lua" "$DYNAMODB_URL"
  DYNAMODB_OP=get GET_ID=$id run "DynamoDB GetItem (backend ceiling of GET)" -s "$ROOT/bench/wrk-dynamodb.lua" "$DYNAMODB_URL"
fi
