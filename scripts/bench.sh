#!/usr/bin/env bash
# Reproduces every alignment figure in BENCHMARKS.md.
#
#   scripts/bench.sh [SHARED_DIR]      (default: ../shared beside the project)
#
# Needs: cargo, python3, GNU time (/usr/bin/time); hyperfine if present for timings.
# Writes scratch files under ${BENCH_TMP:-/tmp/tongwen-bench}.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=$(cd "${1:-../shared}" && pwd)
TMP=${BENCH_TMP:-/tmp/tongwen-bench}
EVAL="$SHARED/eval"
rm -rf "$TMP" && mkdir -p "$TMP"

cargo build --release --locked -q
T="$PWD/target/release/tongwen"

section() { printf '\n## %s\n' "$1"; }

section "MAC-Dev, --split lines"
"$T" align --split lines --zh-dir "$EVAL/mac-dev/zh" --en-dir "$EVAL/mac-dev/en" --out-dir "$TMP/mac" 2>/dev/null
"$T" eval "$TMP/mac" "$EVAL/mac-dev/gold"

section "Bible, verse-merged"
mkdir -p "$TMP/bible"
"$T" align --split lines "$EVAL/bible/zh/001" "$EVAL/bible/en/001" > "$TMP/bible/001.align"
"$T" eval "$TMP/bible" "$EVAL/bible/gold" --zh-verse "$EVAL/bible/zh.verse" --en-verse "$EVAL/bible/en.verse"

section "Bible, whole run single-threaded (decode, tokenize, align, write)"
if command -v hyperfine >/dev/null 2>&1; then
    RAYON_NUM_THREADS=1 hyperfine --warmup 1 --runs 10 -N \
        "$T align --split lines $EVAL/bible/zh/001 $EVAL/bible/en/001 --format align"
else
    for _ in 1 2 3; do
        RAYON_NUM_THREADS=1 /usr/bin/time -f "%e s" "$T" align --split lines "$EVAL/bible/zh/001" "$EVAL/bible/en/001" > /dev/null
    done
fi
/usr/bin/time -f "peak RSS %M KB" env RAYON_NUM_THREADS=1 "$T" align --split lines "$EVAL/bible/zh/001" "$EVAL/bible/en/001" > /dev/null

section "Start-up on a one-line pair (jieba dictionary, lexicon index)"
printf '你好。\n' > "$TMP/tiny-zh"; printf 'Hello.\n' > "$TMP/tiny-en"
if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --warmup 1 --runs 10 -N "$T align $TMP/tiny-zh $TMP/tiny-en"
fi

section "Condensed translations (drop 1/4 of the English, merge neighbours, add foreign lines)"
python3 scripts/make_condensed.py "$EVAL" mac-dev "$TMP/cond-mac" > /dev/null
python3 scripts/make_condensed.py "$EVAL" bible "$TMP/cond-bible" > /dev/null
"$T" align --split lines --zh-dir "$TMP/cond-mac/zh" --en-dir "$TMP/cond-mac/en" --out-dir "$TMP/cond-mac/out" 2>/dev/null
"$T" align --split lines --zh-dir "$TMP/cond-bible/zh" --en-dir "$TMP/cond-bible/en" --out-dir "$TMP/cond-bible/out" 2>/dev/null
echo "condensed MAC-Dev (6 documents):"
"$T" eval "$TMP/cond-mac/out" "$TMP/cond-mac/gold"
echo "condensed Bible (32 documents of 150 verses, verse-merged):"
"$T" eval "$TMP/cond-bible/out" "$TMP/cond-bible/gold" --zh-verse "$TMP/cond-bible/zh-verse" --en-verse "$TMP/cond-bible/en-verse"

section "Scale: synthetic pairs, single-threaded"
for n in 10000 20000 50000; do
    python3 scripts/make_large.py "$EVAL" "$TMP/large" --sentences "$n" > /dev/null
    mkdir -p "$TMP/large/out-$n"
    /usr/bin/time -f "$n sentences: %e s, peak RSS %M KB" env RAYON_NUM_THREADS=1 \
        "$T" align --split lines "$TMP/large/zh/large-$n" "$TMP/large/en/large-$n" > "$TMP/large/out-$n/large-$n.align"
    mkdir -p "$TMP/large/gold-$n" && cp "$TMP/large/gold/large-$n.align" "$TMP/large/gold-$n/"
    "$T" eval "$TMP/large/out-$n" "$TMP/large/gold-$n" | sed -n 3,4p
done
