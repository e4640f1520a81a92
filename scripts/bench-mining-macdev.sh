#!/usr/bin/env bash
# Literary names on MAC-Dev: each chapter aligned (one sentence a line) and mined,
# then scored against the hand-built name list.
#
#   scripts/bench-mining-macdev.sh [SHARED_DIR]      (default: ../shared beside the project)
#
# Needs: cargo, python3. Writes scratch files under ${BENCH_TMP:-/tmp/tongwen-mining-macdev}.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=$(cd "${1:-../shared}" && pwd)
M="$SHARED/eval/mac-dev"
TMP=${BENCH_TMP:-/tmp/tongwen-mining-macdev}
rm -rf "$TMP" && mkdir -p "$TMP"

cargo build --release --locked -q
T="$PWD/target/release/tongwen"
for chapter in 001 002 003 004 005 006; do
    "$T" align --split lines --format tmx "$M/zh/$chapter" "$M/en/$chapter" > "$TMP/$chapter.tmx" 2>/dev/null
done
"$T" --data "$TMP/data" ingest "$TMP"/*.tmx
"$T" --data "$TMP/data" update
"$T" --data "$TMP/data" mine --top 100000 --json > "$TMP/mined.json"
python3 scripts/eval_mining.py tests/data/mining/macdev-gold.tsv "$TMP/mined.json" --top 0
# Reviewed names are words of the tokenizer: approve the mined names the gold list
# accepts, as a reviewer would, and mine again after `update` has rebuilt the index.
"$T" --data "$TMP/data" terms list --json --state candidate --limit 1000000 > "$TMP/listed.json"
python3 scripts/accepted_names.py "$TMP/mined.json" "$TMP/listed.json" \
    tests/data/mining/macdev-gold.tsv > "$TMP/approve.txt"
while read -r id; do "$T" --data "$TMP/data" terms approve "$id" --by bench > /dev/null; done < "$TMP/approve.txt"
echo "approved $(wc -l < "$TMP/approve.txt") names"
"$T" --data "$TMP/data" update
"$T" --data "$TMP/data" mine --top 100000 --json > "$TMP/mined-again.json"
python3 scripts/eval_mining.py tests/data/mining/macdev-gold.tsv "$TMP/mined-again.json" --top 0
