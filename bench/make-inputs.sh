#!/usr/bin/env bash
# make-inputs.sh — one file of every kind of upload the worker reads, made from the corpus's photos, so that
# compare-peers.sh can measure all of them in one run (docs/PERFORMANCE.md, section 1: "Every kind of input").
#
# usage: bench/make-inputs.sh OUT_DIR [CORPUS_DIR]      (default CORPUS_DIR: ../shared/corpus)
#        then: PEER_NODE_DIR=/tmp/peers-node bench/compare-peers.sh OUT_DIR
# set-up once: apt-get install -y imagemagick libtiff-tools webp libgs-common liblcms2-2 python3
#
# Each name says what the file is: format, size, then the kind (a colour profile, a layout, a bit depth). The kinds
# are those that take different paths through the worker's decoders (PlainJpeg, PlainPng, PlainTiff, LibWebp, the
# colour tables, ImageIO for the rest), as earlier sessions measured them one by one. Every run writes the same
# pixels (ImageMagick stamps some files with the time); other versions of the tools than Debian 12's may not.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:?usage: bench/make-inputs.sh OUT_DIR [CORPUS_DIR]}
CORPUS=$(readlink -f "${2:-$ROOT/../shared/corpus}")
ICC=/usr/share/color/icc/ghostscript
for tool in convert tiffcp cwebp python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y imagemagick libtiff-tools webp python3" >&2; exit 2; }
done
[ -f "$ICC/a98.icc" ] || { echo "missing $ICC (ghostscript's profiles): apt-get install -y libgs-common" >&2; exit 2; }
mkdir -p "$OUT"
OUT=$(readlink -f "$OUT")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

photo8=$CORPUS/photos/large_8.0MP_iphone_hdr_NO.jpg
ladybird=$CORPUS/photos/medium_4.1MP_LadyBird.jpg
path=$CORPUS/photos/medium_4.1MP_Path.jpg

# A PNG with one more chunk right after its header (IHDR is always the first 33 bytes): ImageMagick writes neither an
# iCCP chunk for an assigned profile nor a tRNS chunk for a colour that no pixel is transparent in.
png_with_chunk() { # $1 in.png, $2 out.png, $3 chunk type, $4 a file with the chunk's data
  python3 -c 'import struct, sys, zlib
source, target, kind, data = sys.argv[1], sys.argv[2], sys.argv[3].encode(), open(sys.argv[4], "rb").read()
png = open(source, "rb").read()
chunk = struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
open(target, "wb").write(png[:33] + chunk + png[33:])' "$1" "$2" "$3" "$4"
}
iccp_data() { # $1 the profile's name, $2 the profile: an iCCP chunk's data on standard output
  python3 -c 'import sys, zlib
sys.stdout.buffer.write(sys.argv[1].encode() + b"\0\0" + zlib.compress(open(sys.argv[2], "rb").read()))' "$1" "$2"
}

echo "making inputs in $OUT"
# Print profiles and RGB profiles made of tables: the corpus's SWOP profile, and Adobe RGB sampled into tables.
convert "$CORPUS/edge/cmyk_with_profile.jpg" "$work/swop.icc"
python3 "$ROOT/bench/lut-profile.py" "$ICC/a98.icc" "$work/adobe-rgb-tables.icc" 2.1 >/dev/null

# JPEG: libjpeg-turbo, with a matrix profile, a table profile or a print profile converted after it.
convert "$photo8" -profile "$ICC/srgb.icc" -profile "$ICC/a98.icc" -quality 92 "$OUT/jpeg_8.0MP_adobe-rgb.jpg"
convert "$photo8" -orient RightTop -quality 92 "$OUT/jpeg_8.0MP_exif-orientation-6.jpg"
convert "$photo8" -colorspace Gray -quality 90 "$OUT/jpeg_8.0MP_grey.jpg"
convert "$photo8" -colorspace Gray -profile "$ICC/sgray.icc" -quality 90 "$OUT/jpeg_8.0MP_grey-profile.jpg"
convert "$photo8" -resize 4000x3000 -sampling-factor 1x1 -quality 95 "$OUT/jpeg_12.0MP_q95-no-subsampling.jpg"
convert "$path" -interlace JPEG -quality 90 "$OUT/jpeg_4.1MP_progressive.jpg"
convert "$path" -strip -profile "$work/adobe-rgb-tables.icc" -quality 90 "$OUT/jpeg_4.1MP_rgb-table-profile.jpg"
convert "$path" -colorspace CMYK -quality 90 "$OUT/jpeg_4.1MP_cmyk.jpg"
convert "$path" -strip -colorspace CMYK -quality 90 "$work/cmyk.jpg"
convert "$work/cmyk.jpg" -profile "$work/swop.icc" "$OUT/jpeg_4.1MP_cmyk-print-profile.jpg"
convert "$path" -strip -colorspace CMYK -interlace JPEG -quality 90 "$work/cmyk-progressive.jpg"
convert "$work/cmyk-progressive.jpg" -profile "$work/swop.icc" -interlace JPEG \
  "$OUT/jpeg_4.1MP_cmyk-print-profile-progressive.jpg"

# PNG: PlainPng for every colour type and depth, interlaced or not, with a transparent colour or a profile.
convert "$ladybird" "$OUT/png_4.1MP_rgb.png"
convert "$ladybird" PNG48:"$OUT/png_4.1MP_rgb-16bit.png"
convert "$path" -colorspace Gray -define png:color-type=0 "$OUT/png_4.1MP_grey.png"
convert "$path" -strip -colorspace Gray -define png:color-type=0 "$work/grey.png"
iccp_data sgray "$ICC/sgray.icc" > "$work/sgray.iccp"
png_with_chunk "$work/grey.png" "$OUT/png_4.1MP_grey-profile.png" iCCP "$work/sgray.iccp"
convert "$path" -colorspace Gray -depth 1 -define png:bit-depth=1 -define png:color-type=0 "$work/grey1.png"
cp "$work/grey1.png" "$OUT/png_4.1MP_grey-1bit.png"
printf '\000\001' > "$work/white.trns"   # the grey level 1 of 1 bit: white
png_with_chunk "$work/grey1.png" "$OUT/png_4.1MP_grey-1bit-white-transparent.png" tRNS "$work/white.trns"
convert "$ladybird" -interlace PNG "$OUT/png_4.1MP_interlaced.png"
convert "$ladybird" -colors 256 PNG8:"$OUT/png_4.1MP_palette.png"
convert "$path" -alpha set -channel A -evaluate set 80% +channel PNG32:"$OUT/png_4.1MP_rgba-translucent.png"
convert "$ladybird" -strip PNG24:"$work/rgb.png"
printf '\000\001\000\002\000\003' > "$work/colour.trns"   # red 1, green 2, blue 3
png_with_chunk "$work/rgb.png" "$OUT/png_4.1MP_rgb-transparent-colour.png" tRNS "$work/colour.trns"
iccp_data a98 "$ICC/a98.icc" > "$work/a98.iccp"
png_with_chunk "$work/rgb.png" "$OUT/png_4.1MP_adobe-rgb.png" iCCP "$work/a98.iccp"
iccp_data tables "$work/adobe-rgb-tables.icc" > "$work/tables.iccp"
png_with_chunk "$work/rgb.png" "$OUT/png_4.1MP_rgb-table-profile.png" iCCP "$work/tables.iccp"

# TIFF: PlainTiff in strips, tiles and planes, LZW, Deflate or JPEG inside, RGB or CMYK; palettes and grey
# profiles through ImageIO (TwelveMonkeys).
convert "$ladybird" -compress lzw "$work/lzw.tif"
cp "$work/lzw.tif" "$OUT/tiff_4.1MP_lzw.tif"
convert "$ladybird" -compress zip "$OUT/tiff_4.1MP_deflate.tif"
tiffcp -c lzw:2 -t -w 256 -l 256 "$work/lzw.tif" "$OUT/tiff_4.1MP_lzw-tiled.tif"
tiffcp -c lzw:2 -p separate "$work/lzw.tif" "$OUT/tiff_4.1MP_lzw-planes.tif"
tiffcp -c jpeg "$work/lzw.tif" "$OUT/tiff_4.1MP_jpeg-inside.tif"
convert "$path" -colorspace CMYK -compress lzw "$OUT/tiff_4.1MP_cmyk.tif"
convert "$ladybird" -strip -colorspace CMYK -compress lzw "$work/cmyk.tif"
convert "$work/cmyk.tif" -profile "$work/swop.icc" "$OUT/tiff_4.1MP_cmyk-print-profile.tif"
convert "$ladybird" -strip -colorspace CMYK -depth 16 -compress lzw "$OUT/tiff_4.1MP_cmyk-16bit.tif"
convert "$ladybird" -colors 256 -type Palette -compress lzw "$OUT/tiff_4.1MP_palette.tif"
convert "$photo8" -colorspace Gray -profile "$ICC/sgray.icc" -compress lzw "$OUT/tiff_8.0MP_grey-profile.tif"

# WebP: libwebp, lossy or lossless, with a profile.
cwebp -quiet -q 90 "$ladybird" -o "$OUT/webp_4.1MP_lossy.webp"
cwebp -quiet -lossless "$path" -o "$OUT/webp_4.1MP_lossless.webp"
convert "$ladybird" -profile "$ICC/srgb.icc" -profile "$ICC/a98.icc" -quality 92 "$work/a98.jpg"
cwebp -quiet -q 90 -metadata icc "$work/a98.jpg" -o "$OUT/webp_4.1MP_adobe-rgb.webp"

# The rest goes through ImageIO.
convert "$ladybird" "$OUT/gif_4.1MP.gif"
convert "$ladybird" "$OUT/bmp_4.1MP.bmp"

ls -l "$OUT" | awk 'NR > 1 { printf "  %-48s %9d bytes\n", $9, $5 }'
