#!/usr/bin/env bash
# stop.sh — time from SIGTERM to exit, idle, for the launcher's services and its AWS servers: what an Auto Scaling
# scale-in, a deployment and a Ctrl-C of imagery-local wait for.
#
# usage: bench/stop.sh [IDLE_SECONDS ...]   (default: 3 9 14), after a build
# env:   BUILD=<the repository root>  (another build's, e.g. a git worktree of an older commit, to compare)
# For each IDLE_SECONDS it starts `java -jar imagery-local/target/imagery-local.jar --workers=1 --in-memory` in BUILD,
# waits for both services' readiness, stays idle that long (so that the worker's long poll is somewhere in its
# course), sends SIGTERM to the launcher, and prints when each of its processes is gone. Ports 8080 and 8081 must
# be free.
set -euo pipefail
BUILD=${BUILD:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$BUILD"
[ $# -gt 0 ] || set -- 3 9 14
now() { date +%s.%N; }
descendants() { local child; for child in $(pgrep -P "$1"); do echo "$child"; descendants "$child"; done; }
name_of() {
  ps -o args= -p "$1" 2>/dev/null | grep -o -E 'imagery-api\.jar|imagery-worker\.jar|DynamoDBLocal|elasticmq|s3proxy' \
    | head -1 | sed -e 's/imagery-//' -e 's/\.jar//'
}

for idle in "$@"; do
  java -jar imagery-local/target/imagery-local.jar --workers=1 --in-memory > "${TMPDIR:-/tmp}/imagery-stop.log" 2>&1 &
  launcher=$!
  ready=false
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null http://127.0.0.1:8080/actuator/health/readiness \
      && curl -sf -o /dev/null http://127.0.0.1:8081/actuator/health/readiness && { ready=true; break; }
    sleep 1
  done
  if [ "$ready" != true ]; then
    kill -TERM "$launcher"; wait "$launcher" 2>/dev/null || true
    echo "stop.sh: not ready within 120 s; see ${TMPDIR:-/tmp}/imagery-stop.log" >&2
    exit 1
  fi
  sleep "$idle"
  declare -A names=()
  for pid in $(descendants "$launcher"); do
    name=$(name_of "$pid")
    [ -n "$name" ] && names[$pid]=$name
  done
  names[$launcher]=launcher
  start=$(now)
  kill -TERM "$launcher"
  line="idle ${idle} s:"
  while [ ${#names[@]} -gt 0 ]; do
    for pid in "${!names[@]}"; do
      if ! kill -0 "$pid" 2>/dev/null; then
        line="$line ${names[$pid]} $(printf '%.2f' "$(echo "$(now) - $start" | bc)") s,"
        unset "names[$pid]"
      fi
    done
    sleep 0.05
  done
  echo "${line%,}"
  unset names
  wait "$launcher" 2>/dev/null || true
done
