#!/usr/bin/env bash
# Mining quality on real text: wmt22-general (source and both references, each line a
# bead) mined, then scored against the hand-built gold list and hand judgements.
#
#   scripts/bench-mining-wmt22.sh [SHARED_DIR]      (default: ../shared beside the project)
#
# Needs: cargo, python3. Writes scratch files under ${BENCH_TMP:-/tmp/tongwen-mining-wmt22}.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=$(cd "${1:-../shared}" && pwd)
W="$SHARED/eval/wmt22-general"
TMP=${BENCH_TMP:-/tmp/tongwen-mining-wmt22}
rm -rf "$TMP" && mkdir -p "$TMP"

cargo build --release --locked -q
T="$PWD/target/release/tongwen"
for reference in A B; do
    "$T" align --split lines --format tmx "$W/src.zh" "$W/ref.$reference.en" > "$TMP/wmt22-$reference.tmx" 2>/dev/null
done
"$T" --data "$TMP/data" ingest "$TMP/wmt22-A.tmx" "$TMP/wmt22-B.tmx"
"$T" --data "$TMP/data" update
/usr/bin/time -f "mined in %e s, peak RSS %M KB" "$T" --data "$TMP/data" mine --top 100000 --json > "$TMP/mined.json"
python3 scripts/eval_mining.py tests/data/mining/wmt22-gold.tsv "$TMP/mined.json" \
    --judged tests/data/mining/wmt22-judged.tsv --source "$W/src.zh" --top 100
# Reviewed names are words of the tokenizer: approve the mined names the gold list or
# the judgements accept, as a reviewer would, and mine again after `update` has
# rebuilt the index with them.
"$T" --data "$TMP/data" terms list --json --state candidate --limit 1000000 > "$TMP/listed.json"
python3 scripts/accepted_names.py "$TMP/mined.json" "$TMP/listed.json" \
    tests/data/mining/wmt22-gold.tsv tests/data/mining/wmt22-judged.tsv > "$TMP/approve.txt"
while read -r id; do "$T" --data "$TMP/data" terms approve "$id" --by bench > /dev/null; done < "$TMP/approve.txt"
echo "approved $(wc -l < "$TMP/approve.txt") names"
"$T" --data "$TMP/data" update
/usr/bin/time -f "mined again in %e s, peak RSS %M KB" "$T" --data "$TMP/data" mine --top 100000 --json > "$TMP/mined-again.json"
python3 scripts/eval_mining.py tests/data/mining/wmt22-gold.tsv "$TMP/mined-again.json" \
    --judged tests/data/mining/wmt22-judged.tsv --source "$W/src.zh" --top 100
