#!/usr/bin/env bash
# startup.sh — time from process start to readiness 200, for the API and the worker, plain and with a
# CDS archive (Spring Boot's extracted layout + -XX:SharedArchiveFile), as the AMI runs them.
#
# usage: bench/startup.sh   in a directory with imagery-local.env (java -jar imagery-local/target/imagery-local.jar
#        --only=aws --in-memory, started from that directory), or with the AWS_* / IMAGERY_* variables set.
# env:   RUNS=3  MODES="plain cds"  JAVA_OPTS=""  API_PORT=18080  WORKER_PORT=18081
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-3}
MODES=${MODES:-"plain cds"}
WORK=$ROOT/target/startup
mkdir -p "$WORK"
now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

prepare_cds() { # $1 service: extract the jar and record a CDS archive with a training run (context refresh only)
  local s=$1 dir=$WORK/$1
  [ -f "$dir/app.jsa" ] && [ "$dir/imagery-$s.jar" -nt "$ROOT/imagery-$s/target/imagery-$s.jar" ] && return 0
  rm -rf "$dir"
  java -Djarmode=tools -jar "$ROOT/imagery-$s/target/imagery-$s.jar" extract --destination "$dir" >/dev/null
  SERVER_ADDRESS=127.0.0.1 SERVER_PORT=0 java -XX:ArchiveClassesAtExit="$dir/app.jsa" -Dspring.context.exit=onRefresh \
      -jar "$dir/imagery-$s.jar" > "$dir/training.log" 2>&1 || { echo "training run failed: $dir/training.log" >&2; return 1; }
}

measure() { # $1 service $2 port $3 mode -> ms to readiness
  local s=$1 port=$2 mode=$3 jar opts="" t0 pid code
  jar=$ROOT/imagery-$s/target/imagery-$s.jar
  if [ "$mode" = cds ]; then jar=$WORK/$s/imagery-$s.jar; opts="-XX:SharedArchiveFile=$WORK/$s/app.jsa -Xshare:auto"; fi
  t0=$(now_ms)
  SERVER_ADDRESS=127.0.0.1 SERVER_PORT=$port java ${JAVA_OPTS:-} $opts -jar "$jar" > "$WORK/$s-$mode.log" 2>&1 &
  pid=$!
  for _ in $(seq 3000); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/actuator/health/readiness" || true)
    [ "$code" = 200 ] && break
    kill -0 "$pid" 2>/dev/null || { echo "$s exited: $WORK/$s-$mode.log" >&2; return 1; }
    sleep 0.01
  done
  echo $(( $(now_ms) - t0 ))
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo "# $(date -Is) $(nproc) cores, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in $MODES; do
  [ "$mode" = cds ] && { prepare_cds api; prepare_cds worker; }
  for s in api worker; do
    port=${API_PORT:-18080}; [ "$s" = worker ] && port=${WORKER_PORT:-18081}
    times=$(for i in $(seq "$RUNS"); do measure "$s" "$port" "$mode"; done | tr '\n' ' ')
    spring=$(grep -o 'Started [A-Za-z]* in [0-9.]* seconds' "$WORK/$s-$mode.log" | tail -1 || true)
    echo "RESULT	$s	$mode	ms_to_ready: $times	median $(echo $times | tr ' ' '\n' | median)	($spring)	load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
