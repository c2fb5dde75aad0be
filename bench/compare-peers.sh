#!/usr/bin/env bash
# compare-peers.sh — Imagery's per-image pipeline and the peers (sharp, Jimp, ImageMagick), on the same
# photos, in one run on one machine, and the ratios against the targets of docs/PERFORMANCE.md.
#
# usage: bench/compare-peers.sh [DIR]        (default DIR: ../shared/corpus/photos)
# env:   PEERS=../shared/bench/run-peers.sh  PEER_NODE_DIR=<writable copy of ../shared/bench/node with node_modules>
#        TOOLS="sharp jimp im" (run-peers.sh's)  RUNS=5  WARMUP=3  WARMUP_SECONDS=1  JAVA_OPTS="-Xmx1g"  OUT=target/compare
#        JAR=imagery-bench/target/imagery-bench.jar (another build's, to measure a change before and after)
#        (Imagery warms up for WARMUP runs and at least WARMUP_SECONDS, as a worker in service is warm: small photos
#        need a few hundred runs before the JIT has compiled their loops)
# set-up once: apt-get install -y imagemagick time libturbojpeg0 libisal2 libwebp7 ; cp -r ../shared/bench/node /tmp/peers-node ;
#              (cd /tmp/peers-node && npm ci) ; ./mvnw -pl imagery-bench -am package -DskipTests
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=$(readlink -f "${1:-$ROOT/../shared/corpus/photos}")
PEERS=${PEERS:-$ROOT/../shared/bench/run-peers.sh}
JAR=${JAR:-$ROOT/imagery-bench/target/imagery-bench.jar}
OUT=${OUT:-$ROOT/target/compare}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-3}
WARMUP_SECONDS=${WARMUP_SECONDS:-1}
export RUNS
[ -f "$JAR" ] || { echo "build first: ./mvnw -pl imagery-bench -am package -DskipTests" >&2; exit 2; }
if [ -z "${PEER_NODE_DIR:-}" ]; then
  for d in /tmp/peers-node "$ROOT/target/peers-node"; do [ -d "$d/node_modules/sharp" ] && PEER_NODE_DIR=$d && break; done
fi
[ -n "${PEER_NODE_DIR:-}" ] || { echo "set PEER_NODE_DIR (a copy of ../shared/bench/node after npm ci)" >&2; exit 2; }
export PEER_NODE_DIR
# Cameras write IMG_0001.JPG: match extensions in any case, as run-peers.sh does.
shopt -s nullglob nocaseglob
photos=()
for photo in "$DIR"/*.{jpg,jpeg,png,webp,tif,tiff,gif,bmp}; do [ -f "$photo" ] && photos+=("$photo"); done
[ ${#photos[@]} -gt 0 ] || { echo "no photos (jpg, jpeg, png, webp, tif, tiff, gif, bmp) in $DIR" >&2; exit 2; }
mkdir -p "$OUT"
# Without libturbojpeg the worker (and so this benchmark) decodes JPEGs with the JDK's libjpeg, about half as fast.
if ldconfig -p | grep 'libturbojpeg\.so\.0' >/dev/null; then decoder="libjpeg-turbo"; else decoder="the JDK's libjpeg (apt-get install -y libturbojpeg0)"; fi
# Without ISA-L it deflates its PNGs with zlib, which takes about four times the CPU.
if ldconfig -p | grep 'libisal\.so\.2' >/dev/null; then deflate="ISA-L"; else deflate="zlib (apt-get install -y libisal2)"; fi
# Without libwebp it decodes WebPs with TwelveMonkeys' decoder in Java, about five times as slowly.
if ldconfig -p | grep 'libwebp\.so\.7' >/dev/null; then webp="libwebp"; else webp="TwelveMonkeys (apt-get install -y libwebp7)"; fi
echo "# $(date -Is) $(nproc) cores, $(java -version 2>&1 | head -1); JPEG decoder: $decoder; PNG deflate: $deflate; WebP decoder: $webp; photos: $DIR" | tee "$OUT/summary.txt"
# Photo by photo, Imagery and then the peers: both sides of a ratio see the same minutes of the machine,
# whose load drifts (all of Imagery first, then all peers, let a build that started in between favour one).
: > "$OUT/imagery.tsv"; : > "$OUT/peers.tsv"
for photo in "${photos[@]}"; do
  # A copy under the name it was given: run-peers.sh names a photo after the file a link points to, so links to two
  # files of one name (wallpapers' contents/images/5120x2880.jpg) would come out as one photo.
  one=$(mktemp -d); cp "$(readlink -f "$photo")" "$one/$(basename "$photo")"
  echo "# $(basename "$photo"): load before Imagery $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/summary.txt"
  java ${JAVA_OPTS:--Xmx1g} -jar "$JAR" pipeline "$one" --runs="$RUNS" --warmup="$WARMUP" --warmup-seconds="$WARMUP_SECONDS" \
      --variants=imagery,imagery-t1,imagery-nothumb \
      | { [ -s "$OUT/imagery.tsv" ] && tail -n +2 || cat; } >> "$OUT/imagery.tsv"
  echo "# $(basename "$photo"): load before peers   $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/summary.txt"
  "$PEERS" "$one" | { [ -s "$OUT/peers.tsv" ] && tail -n +2 || cat; } >> "$OUT/peers.tsv"
  rm -rf "$one"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"

# One row per photo. First the targets: the peers' time over Imagery's for the same work (imagery-nothumb: decode,
# orientation, sepia, PNG), > 1 meaning Imagery is faster; targets sharp >= 1.0, jimp >= 5, im-color-matrix >= 8.
# Then the detail: Imagery with its thumbnail (the worker's real work) and on one thread, sharp on two threads.
awk -F'\t' '
  FNR == 1 { next }
  { if ($4 != "ERR") { ms[$1, $2] = $4; size[$1, $2] = $6 }; imgs[$2] = 1 }
  function r(p, i,   a, b) { a = ms[p, $0]; b = ms[i, $0]; return (a == "" || b == "") ? "-" : sprintf("%.2f", a / b) }
  # A peer that cannot read the file (Jimp and TIFF, WebP or CMYK, say) has no ratio and is left out of the verdict.
  function verdict(   s, j, m, absent) {
    s = r("sharp", "imagery-nothumb"); j = r("jimp", "imagery-nothumb"); m = r("im-color-matrix", "imagery-nothumb")
    if (s != "-" && s + 0 < 1.0 || j != "-" && j + 0 < 5 || m != "-" && m + 0 < 8) return "MISSED"
    absent = (s == "-" ? " sharp" : "") (j == "-" ? " jimp" : "") (m == "-" ? " im" : "")
    if (absent == " sharp jimp im" || ms["imagery-nothumb", $0] == "") return "unmeasured"
    return absent == "" ? "met" : "met, no" absent
  }
  END {
    printf "%-42s %9s %8s %8s %8s | %6s %6s %6s %-14s | %9s %9s %8s %8s | %6s %6s %6s %6s %6s | %s\n", "image",
      "img-noth", "sharp", "jimp", "im-cm", ">=1", ">=5", ">=8", "targets", "imagery", "img-t1", "sharp-t2",
      "im-cm-t1", "sharp", "sh-t2", "sh/t1", "jimp", "im-cm", "PNG bytes imagery/sharp"
    for (name in imgs) {
      $0 = name
      v = verdict(); n++; if (v ~ /^met/) met++; else missed = missed " " $0
      printf "%-42s %9s %8s %8s %8s | %6s %6s %6s %-14s | %9s %9s %8s %8s | %6s %6s %6s %6s %6s | %s\n", $0,
        ms["imagery-nothumb", $0], ms["sharp", $0], ms["jimp", $0], ms["im-color-matrix", $0],
        r("sharp", "imagery-nothumb"), r("jimp", "imagery-nothumb"), r("im-color-matrix", "imagery-nothumb"), v,
        ms["imagery", $0], ms["imagery-t1", $0], ms["sharp-t2", $0], ms["im-color-matrix-t1", $0],
        r("sharp", "imagery"), r("sharp-t2", "imagery"), r("sharp", "imagery-t1"), r("jimp", "imagery"),
        r("im-color-matrix", "imagery"),
        (size["imagery", $0] == "" || size["sharp", $0] == "") ? "-" : sprintf("%.3f", size["imagery", $0] / size["sharp", $0]) | "sort"
    }
    close("sort")
    print "median ms. >=1 >=5 >=8: sharp, Jimp and ImageMagick (color-matrix) time / Imagery time for the same work"
    print "  (img-noth: decode, orientation, sepia, PNG; > 1 means Imagery is faster), the targets of docs/PERFORMANCE.md"
    print "then Imagery with its thumbnail (the worker\x27s work) and on one thread (img-t1), sharp on two threads,"
    print "  and the same ratios against those (sh/t1: sharp, one thread, over img-t1)"
    print "  (a peer that cannot read a photo has no ratio, -, and is left out of that photo\x27s verdict)"
    printf "targets met on %d of %d photos%s\n", met, n, (missed == "" ? "" : "; missed or unmeasured:" missed)
  }' "$OUT/imagery.tsv" "$OUT/peers.tsv" | tee -a "$OUT/summary.txt"
echo "raw tables: $OUT/imagery.tsv $OUT/peers.tsv"
