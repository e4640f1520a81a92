#!/usr/bin/env bash
# Property-based test of the JSON API against its own OpenAPI document: schemathesis
# (from PyPI) generates valid and invalid requests for every operation, with an
# editor's token so that writes are exercised too, over a demo store, and checks
# that no answer is a server error, that every status, content type, header and body
# is the documented one, that valid requests are accepted and invalid ones refused.
#
#   scripts/api-fuzz.sh [EXAMPLES]      (default 100 per operation and phase)
#
# Needs: cargo, python3 with venv; installs schemathesis into target/api-fuzz-venv.
# Exits non-zero on any failure or error schemathesis reports.
set -euo pipefail
cd "$(dirname "$0")/.."
EXAMPLES=${1:-100}
WORK=$(mktemp -d)
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

VENV=target/api-fuzz-venv
if [[ ! -x $VENV/bin/st ]]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "schemathesis>=4.3,<5"
fi

# The test profile's build (dependencies optimized): after `cargo test` it is there
# already, and the API's answers, not its speed, are under test.
cargo build --locked -q -p tongwen
T="$PWD/target/debug/tongwen"
"$T" --data "$WORK/data" demo --no-serve 2>/dev/null
TONGWEN_PASSWORD=fuzzing-editor-password "$T" --data "$WORK/data" user add fuzzer --role editor >/dev/null
TOKEN=$("$T" --data "$WORK/data" user token fuzzer --label api-fuzz 2>/dev/null)

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$T" --data "$WORK/data" serve --addr "127.0.0.1:$PORT" 2>"$WORK/server.log" &
SERVER=$!
python3 - "$PORT" <<'PY'
import sys, time, urllib.request
for _ in range(100):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=1)
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("the server did not start")
PY

# One worker: hypothesis's lambda introspection is not thread-safe on CPython 3.11
# and fails with "AST constructor recursion depth mismatch" under several.
"$VENV/bin/st" run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
    --checks all --workers 1 --max-examples "$EXAMPLES" --seed 20261201 \
    --header "Authorization: Bearer $TOKEN" --no-color
if grep -q "request failed" "$WORK/server.log"; then
    echo "the server logged failed requests:" >&2
    grep "request failed" "$WORK/server.log" >&2
    exit 1
fi
