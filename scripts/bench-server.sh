#!/usr/bin/env bash
# Throughput and latency of the showcase under wrk, and the server's memory.
# Usage: scripts/bench-server.sh DATA QUERIES [CONCEPTS]
#   DATA     a data directory (the one-million-pair store of BENCHMARKS.md, mined)
#   QUERIES  one search query a line (make_million.py writes OUT/queries.txt)
#   CONCEPTS number of concepts in the termbase (concept ids 1..CONCEPTS are requested)
# Server and wrk share the machine (two cores here); wrk: 2 threads, 8 connections.
set -euo pipefail
data=$1 queries=$2 concepts=${3:-1523}
root=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release -p tongwen --manifest-path "$root/Cargo.toml" >/dev/null 2>&1
addr=127.0.0.1:8099
start=$(date +%s%N)
"$root/target/release/tongwen" --data "$data" serve --addr "$addr" 2>/dev/null &
server=$!
trap 'kill $server' EXIT
until curl -sf "http://$addr/healthz" >/dev/null; do sleep 0.01; done
echo "ready in $(( ($(date +%s%N) - start) / 1000000 )) ms"
run() { echo "== $1"; shift; wrk -t2 -c8 -d20s --latency "$@" | grep -E "Requests/sec|50%|90%|99%"; }
CONCEPTS=$concepts run "concept pages, random concepts" -s "$root/scripts/wrk-concepts.lua" "http://$addr"
QUERIES=$queries run "search API, rotating queries" -s "$root/scripts/wrk-search.lua" "http://$addr"
run "home page" "http://$addr/"
echo "server RSS: $(ps -o rss= -p $server) KB"
