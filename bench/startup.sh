#!/usr/bin/env bash
# startup.sh — time from process start to readiness 200, for the API and the worker, in up to five modes:
#   plain    java -jar on the fat jar (the default `java`, JDK 17)
#   cds      Spring Boot's extracted layout + a CDS archive (-XX:SharedArchiveFile), JDK 17
#   plain25  as plain, on a JDK >= 25
#   cds25    as cds, on a JDK >= 25
#   aot      the extracted layout + the JDK's AOT cache (-XX:AOTCache, JEP 483/514/515), JDK >= 25
#   aot-spring  as aot, and Spring AOT (-Dspring.aot.enabled=true: the bean definitions the build's process-aot
#            precomputed) in the training run and the timed ones: what the AMI runs
# cds/cds25/aot/aot-spring record their archive or cache first with a training run that stops after the context refresh
# (-Dspring.context.exit=onRefresh), as packer/scripts/install.sh does. The modes take turns run by run
# (cds, aot, cds, aot, ...), so a load that comes and goes on a shared machine falls on all of them alike.
#
# usage: bench/startup.sh   in a directory with imagery-local.env (java -jar imagery-local/target/imagery-local.jar
#        --only=aws --in-memory, started from that directory), or with the AWS_* / IMAGERY_* variables set.
# env:   RUNS=5  MODES="plain cds aot aot-spring" (without a JDK 25: "plain cds")  JAVA_OPTS=""  API_PORT=18080  WORKER_PORT=18081
#        JAVA25_HOME=/path/to/jdk-25   (default: the first /usr/lib/jvm/*25* with a bin/java)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-5}
WORK=$ROOT/target/startup
mkdir -p "$WORK"
now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
load() { cut -d' ' -f1 /proc/loadavg; }

if [ -z "${JAVA25_HOME:-}" ]; then
  for home in /usr/lib/jvm/*25*; do [ -x "$home/bin/java" ] && { JAVA25_HOME=$home; break; }; done
fi
JAVA25=${JAVA25_HOME:+$JAVA25_HOME/bin/java}
if [ -n "$JAVA25" ] && ! "$JAVA25" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q AOTCacheOutput; then
  echo "# $JAVA25 is no JDK 25 or later (no -XX:AOTCacheOutput): not used" >&2
  JAVA25=
fi
if [ -n "$JAVA25" ]; then
  MODES=${MODES:-"plain cds aot aot-spring"}
else
  echo "# no JDK 25 found (set JAVA25_HOME, or install one under /usr/lib/jvm): the aot, aot-spring, plain25 and cds25 modes are skipped"
  MODES=${MODES:-"plain cds"}
  MODES=$(echo "$MODES" | tr ' ' '\n' | grep -vxE 'aot|aot-spring|plain25|cds25' | tr '\n' ' ')
fi

java_of() { case $1 in *25|aot*) echo "$JAVA25" ;; *) echo java ;; esac; }
spring_aot() { case $1 in *-spring) echo -Dspring.aot.enabled=true ;; esac; }

prepare() { # $1 service $2 mode: extract the jar and record the CDS archive or AOT cache with a training run
  local s=$1 mode=$2 dir=$WORK/$2/$1 java record
  java=$(java_of "$mode")
  case $mode in
    cds|cds25) record="-XX:ArchiveClassesAtExit=$dir/app.jsa" ;;
    aot*) record="-XX:AOTCacheOutput=$dir/app.aot $(spring_aot "$mode")" ;;
    *) return 0 ;;
  esac
  [ "$dir/app.${record##*.}" -nt "$ROOT/imagery-$s/target/imagery-$s.jar" ] && return 0   # recorded from this jar
  rm -rf "$dir"
  "$java" -Djarmode=tools -jar "$ROOT/imagery-$s/target/imagery-$s.jar" extract --destination "$dir" >/dev/null
  SERVER_ADDRESS=127.0.0.1 SERVER_PORT=0 "$java" ${JAVA_OPTS:-} $record -Dspring.context.exit=onRefresh \
      -jar "$dir/imagery-$s.jar" > "$dir/training.log" 2>&1 || { echo "training run failed: $dir/training.log" >&2; return 1; }
}

ready() { # $1 port: is the readiness probe 200? One HTTP/1.0 GET through bash's own /dev/tcp, no process forked
  local status=
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET /actuator/health/readiness HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  read -r -t 5 _ status _ <&3 || true
  exec 3>&-
  [ "$status" = 200 ]
}

measure() { # $1 service $2 port $3 mode -> ms to readiness
  local s=$1 port=$2 mode=$3 java jar opts="" t0 pid tick
  java=$(java_of "$mode")
  jar=$ROOT/imagery-$s/target/imagery-$s.jar
  case $mode in
    cds|cds25) jar=$WORK/$mode/$s/imagery-$s.jar; opts="-XX:SharedArchiveFile=$WORK/$mode/$s/app.jsa -Xshare:auto" ;;
    aot*) jar=$WORK/$mode/$s/imagery-$s.jar; opts="-XX:AOTCache=$WORK/$mode/$s/app.aot $(spring_aot "$mode")" ;;
  esac
  # The poll must not take CPU from the JVM it times: a curl and a sleep every 10 ms forked two processes each
  # time, about 0.45 of a core on this machine. Here the wait is a read timeout on a pipe that never delivers.
  exec {tick}<> <(:)
  t0=$(now_ms)
  SERVER_ADDRESS=127.0.0.1 SERVER_PORT=$port "$java" ${JAVA_OPTS:-} $opts -jar "$jar" > "$WORK/$s-$mode.log" 2>&1 &
  pid=$!
  until ready "$port" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "$s exited: $WORK/$s-$mode.log" >&2; exec {tick}>&-; return 1; }
    read -r -t 0.01 -u "$tick" || true
  done
  echo $(( $(now_ms) - t0 ))
  exec {tick}>&-
  # Only the start is timed: a graceful stop would wait up to 20 s for the worker's SQS long poll.
  kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
}

echo "# $(date -Is) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); modes: $MODES"
echo "# java:   $(java -version 2>&1 | head -1)"
[ -n "$JAVA25" ] && echo "# java25: $JAVA25 ($("$JAVA25" -version 2>&1 | head -1))"
for s in api worker; do
  for mode in $MODES; do prepare "$s" "$mode"; done
done
for s in api worker; do
  port=${API_PORT:-18080}; [ "$s" = worker ] && port=${WORKER_PORT:-18081}
  declare -A times=()
  start="$(date +%H:%M:%S) load $(load)"
  for i in $(seq "$RUNS"); do
    for mode in $MODES; do times[$mode]="${times[$mode]:-}$(measure "$s" "$port" "$mode") "; done
  done
  end="$(date +%H:%M:%S) load $(load)"
  for mode in $MODES; do
    spring=$(grep -o 'Started [A-Za-z]* in [0-9.]* seconds' "$WORK/$s-$mode.log" | tail -1 || true)
    echo "RESULT	$s	$mode	ms_to_ready: ${times[$mode]}	median $(echo ${times[$mode]} | tr ' ' '\n' | median)	($spring)	$start .. $end"
  done
  unset times
done
