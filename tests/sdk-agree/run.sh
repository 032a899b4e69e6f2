#!/usr/bin/env bash
# The three SDKs agree (issue 16; docs/sdk.md, "The three SDKs side by side"): the recorded
# responses of responses.json (a verdict that allows, denies, is missing or garbled; provenance
# missing; an unknown member; a wrong type deep in a list; declared and undeclared error
# statuses; a 429 then a 200; a deprecated operation's headers) are replayed by replay.py to the
# TypeScript, Go and Python SDKs generated from examples/summit. Each driver (driver.mjs,
# driver.go, driver.py) calls the case's operation and prints one JSON line per case:
#   {"case", "outcome": "ok"|"error", "kind": "verdict:missing"|"verdict:malformed"|"denied"|
#    "provenance"|"validation"|"declared:409"|"api:500", "path": the first problem's path,
#    "verdict": {allow, decider, rule_id}, "value_digest": canonical JSON of the decoded value
#    (or of a declared error's body), "deprecation": {deprecation, sunset, warned}}
# compare.py fails naming the first case where a driver disagrees with the Python one, unless
# responses.json lists it in known_divergences (with its reason and exact output).
# The wire cases (wire.json, drivers wire.{mjs,go,py}) do the same for tests/sdk/wire (issue 17):
# wire names, null where a field is `@nullable` (and only there), `@status(201)`/`(202)` and other
# 2xx; replay.py also requires each request's exact body bytes and its query parameters, so the
# three SDKs send the same request.
# tsc comes from tests/sdk's npm install ($CHARTER_SDK_DEPS, default
# ~/.cache/charter-tests/sdk; tests/run installs it). Needs node, go, python3 and a built `charter`.
# CHARTER_AGREE_SHOW=1 prints the three outputs before comparing them.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
here="$root/tests/sdk-agree"
charter="${CHARTER:-$root/target/debug/charter}"
tsc="${CHARTER_SDK_DEPS:-${XDG_CACHE_HOME:-$HOME/.cache}/charter-tests/sdk}/node_modules/.bin/tsc"
if [ ! -x "$tsc" ]; then
  printf 'FAIL sdk-agree: no %s (tests/run installs it; or set CHARTER_SDK_DEPS)\n' "$tsc"
  exit 1
fi
out=$(mktemp -d)
replay=""
cleanup() {
  if [ -n "$replay" ]; then kill "$replay" 2>/dev/null || true; fi
  rm -rf "$out"
}
trap cleanup EXIT
# agree NAME WORKSPACE RESPONSES DRIVER: builds the three SDKs of WORKSPACE, replays RESPONSES to
# DRIVER.{mjs,go,py} and compares their outputs ($out/NAME/*.jsonl).
agree() {
  local name=$1 workspace=$2 responses=$3 driver=$4 dir="$out/$1" ts entry
  "$charter" build "$workspace" --target sdk-typescript,sdk-go,sdk-python --out "$dir" >"$out/build.log" 2>&1 ||
    { cat "$out/build.log"; exit 1; }
  ts="$dir/sdk-typescript"
  "$tsc" -p "$ts" --strict --exactOptionalPropertyTypes --noUncheckedIndexedAccess
  entry=$(node -e 'const m = require(process.argv[1]); console.log((m.exports && m.exports["."] && m.exports["."].import) || m.main)' "$ts/package.json")
  mkdir -p "$dir/sdk-go/agree"
  cp "$here/$driver.go" "$dir/sdk-go/agree/main.go"
  cp "$here/agree.go" "$dir/sdk-go/agree/agree.go"
  (cd "$dir/sdk-go" && go build -o "$dir/go-driver" ./agree)

  rm -f "$out/port"
  python3 "$here/replay.py" "$responses" "$out/port" &
  replay=$!
  for _ in $(seq 100); do [ -s "$out/port" ] && break; sleep 0.1; done
  base="http://127.0.0.1:$(cat "$out/port")"

  node "$here/$driver.mjs" "$responses" "$base" "$ts/$entry" >"$dir/typescript.jsonl"
  "$dir/go-driver" "$responses" "$base" >"$dir/go.jsonl"
  CHARTER_PY_SDK="$dir/sdk-python" python3 "$here/$driver.py" \
    "$responses" "$base" >"$dir/python.jsonl"
  kill "$replay" 2>/dev/null || true
  replay=""
  [ -z "${CHARTER_AGREE_SHOW:-}" ] || head -n 100 "$dir"/*.jsonl
  python3 "$here/compare.py" "$responses" \
    python="$dir/python.jsonl" typescript="$dir/typescript.jsonl" go="$dir/go.jsonl"
}
agree summit examples/summit "$here/responses.json" driver
agree wire tests/sdk/wire "$here/wire.json" wire
# The comparison can fail: the Go output with one case's outcome flipped is refused.
sed '1s/"outcome":"ok"/"outcome":"error"/' "$out/summit/go.jsonl" >"$out/tampered.jsonl"
if python3 "$here/compare.py" "$here/responses.json" python="$out/summit/python.jsonl" \
  go="$out/tampered.jsonl" >"$out/tampered.log"; then
  printf 'FAIL sdk-agree: a tampered output passed the comparison\n'
  exit 1
fi
grep -q '^FAIL sdk-agree guarded-ok: go disagrees' "$out/tampered.log"
printf 'ok   sdk-agree: a tampered output is refused\n'
# And a request the replay server refused (418: not the case's bytes) fails every driver's line.
sed '1s/"outcome":"ok"/"outcome":"error","kind":"api:418"/' "$out/wire/go.jsonl" >"$out/refused.jsonl"
if python3 "$here/compare.py" "$here/wire.json" python="$out/wire/python.jsonl" \
  go="$out/refused.jsonl" >"$out/refused.log"; then
  printf 'FAIL sdk-agree: a request the replay server refused passed the comparison\n'
  exit 1
fi
grep -q '^FAIL sdk-agree list-ok: go sent what the replay server refused' "$out/refused.log"
printf 'ok   sdk-agree: a request the replay server refused is a failure\n'
