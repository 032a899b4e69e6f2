#!/usr/bin/env bash
# Charter against TypeSpec (docs/benchmarks.md, "Issue 21: peers and targets"): `charter build
# --target openapi` of the API-contract workload (2,000 records, 2,000 GET operations, 20
# packages of 100) against `tsp compile . --emit @typespec/openapi3` of the equivalent TypeSpec
# program (written by `charter-peer-gen typespec`), both writing YAML and JSON documents, timed
# alternately in one run: a warm-up of each, then ROUNDS rounds (default 3: a TypeSpec compile
# takes about 18 s). Each run writes into a fresh output folder. Prints every run, the medians
# and the ratio charter/tsp (wall and CPU). Fails unless both exit 0, TypeSpec reports no
# diagnostic, and both write one document per service in each format.
#
#   cargo build --release -p charter-cli --bin charter -p charter-bench --bin charter-gen --bin charter-peer-gen
#   benches/peers/typespec.sh [ROUNDS]   # CHARTER_BIN=DIR picks other binaries; MODELS=N another size
#
# Installs TypeSpec once per machine (benches/peers/tools.sh: npm ci of the lockfile in
# benches/peers/typespec/ into ~/.cache/charter-tests/typespec).
set -euo pipefail
cd "$(dirname "$0")/../.."
. benches/peers/lib.sh
rounds="${1:-3}"
models="${MODELS:-2000}"
bin="${CHARTER_BIN:-target/release}"
need_time
modules=$(bash benches/peers/tools.sh typespec)
tsp=("node" "$modules/@typespec/compiler/cmd/tsp.js")
export NO_COLOR=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin/charter-gen" "$tmp/ws" --models "$models" --gets "$models" 2>"$tmp/gen.log"
"$bin/charter-peer-gen" typespec "$tmp/tsp" --models "$models" --gets "$models" 2>"$tmp/peer.log"
# The project resolves its libraries from the cached install.
ln -s "$modules" "$tmp/tsp/node_modules"
services=$(grep -c '^service ' "$tmp"/ws/src/*/service.charter | awk -F: '{n += $2} END {print n}')
echo "charter: $("$bin/charter" --version | head -n 1)"
echo "tsp:     $("${tsp[@]}" --version | tail -n 1), node $(node --version)"
printf 'workload: Charter %s lines in %s files; TypeSpec %s lines in %s files; %s services\n' \
  "$(find "$tmp/ws" -name '*.charter' -exec cat {} + | wc -l)" \
  "$(find "$tmp/ws" -name '*.charter' | wc -l)" \
  "$(find "$tmp/tsp/" -name '*.tsp' -exec cat {} + | wc -l)" \
  "$(find "$tmp/tsp/" -name '*.tsp' | wc -l)" "$services"

runs=0
run_charter() {
  runs=$((runs + 1))
  local out="$tmp/charter-out-$runs"
  timed "$tmp/charter.log" "$bin/charter" build "$tmp/ws" --target openapi --out "$out" || return 1
  rm -rf "$out"
}
run_tsp() {
  runs=$((runs + 1))
  local out="$tmp/tsp-out-$runs"
  timed "$tmp/tsp.log" "${tsp[@]}" compile "$tmp/tsp" --emit @typespec/openapi3 --output-dir "$out" || return 1
  rm -rf "$out"
}

# Both sides must be clean and write every document, or the comparison means nothing.
"$bin/charter" build "$tmp/ws" --target openapi --out "$tmp/charter-first" >"$tmp/check.log" 2>&1 || {
  cat "$tmp/check.log" >&2
  echo "error: charter build --target openapi failed" >&2
  exit 1
}
"${tsp[@]}" compile "$tmp/tsp" --emit @typespec/openapi3 --output-dir "$tmp/tsp-first" >"$tmp/tsp-first.log" 2>&1 || {
  head -n 40 "$tmp/tsp-first.log" >&2
  echo "error: tsp compile refused the TypeSpec program" >&2
  exit 1
}
if grep -qiE 'warning|error' "$tmp/tsp-first.log"; then
  head -n 40 "$tmp/tsp-first.log" >&2
  echo "error: tsp compile reported diagnostics" >&2
  exit 1
fi
for side in charter-first tsp-first; do
  yaml=$(find "$tmp/$side" -name '*.yaml' | wc -l)
  json=$(find "$tmp/$side" -name '*.json' ! -name '.charter-output.json' | wc -l)
  printf '%s: %s YAML and %s JSON documents, %s bytes\n' "${side%-first}" "$yaml" "$json" \
    "$(find "$tmp/$side" \( -name '*.yaml' -o -name '*.json' \) ! -name '.charter-output.json' -exec cat {} + | wc -c)"
  if [ "$yaml" != "$services" ] || [ "$json" != "$services" ]; then
    echo "error: $side: expected $services documents in each format" >&2
    exit 1
  fi
done
rm -rf "$tmp/charter-first" "$tmp/tsp-first"

alternate typespec "$rounds" "charter build --target openapi" run_charter "tsp compile" run_tsp
