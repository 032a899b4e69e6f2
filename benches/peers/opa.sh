#!/usr/bin/env bash
# Charter against OPA (docs/benchmarks.md, "Issue 21: peers and targets"): `charter check` of the
# 100,000-line generated workspace against OPA compiling the Rego that Charter emits for it
# (`charter build --target rego`, every module of the bundle), with the pinned OPA v1.22.4
# (tests/tools/opa.sh). Timed alternately in one run: a warm-up of each, then ROUNDS rounds
# (default 15), three commands a round:
#
#   charter check WS
#   opa check --bundle OUT/rego           parse and compile every module (all compiler stages,
#                                         type checking included), write nothing: the peer of
#                                         `charter check`, and the ratio the issue's target reads
#   opa build --bundle OUT/rego -o B.tgz  the same compile, then the bundle written (for scale)
#
# Prints every run, the medians, and the ratios of charter check to each. Fails unless
# `charter check` exits 0 and `opa check` accepts the modules.
#
#   cargo build --release -p charter-cli --bin charter -p charter-bench --bin charter-gen
#   benches/peers/opa.sh [ROUNDS]        # CHARTER_BIN=DIR picks other binaries; LINES=N another size
set -euo pipefail
cd "$(dirname "$0")/../.."
. benches/peers/lib.sh
rounds="${1:-15}"
lines="${LINES:-100000}"
bin="${CHARTER_BIN:-target/release}"
need_time
opa=$(bash tests/tools/opa.sh)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin/charter-gen" "$tmp/ws" --lines "$lines" 2>"$tmp/gen.log"
"$bin/charter" build "$tmp/ws" --target rego --out "$tmp/out" >"$tmp/build.log" 2>&1 || {
  cat "$tmp/build.log" >&2
  echo "error: charter build --target rego failed" >&2
  exit 1
}
rego="$tmp/out/rego"
echo "charter: $("$bin/charter" --version | head -n 1)"
echo "opa:     $("$opa" version | head -n 1)"
printf 'workload: Charter %s lines in %s files; Rego %s lines in %s modules (%s bytes)\n' \
  "$(find "$tmp/ws" -name '*.charter' -exec cat {} + | wc -l)" \
  "$(find "$tmp/ws" -name '*.charter' | wc -l)" \
  "$(find "$rego" -name '*.rego' -exec cat {} + | wc -l)" \
  "$(find "$rego" -name '*.rego' | wc -l)" \
  "$(find "$rego" -name '*.rego' -exec cat {} + | wc -c)"
"$bin/charter" check "$tmp/ws" >"$tmp/check.log" 2>&1 || {
  cat "$tmp/check.log" >&2
  echo "error: charter check failed" >&2
  exit 1
}
"$opa" check --bundle "$rego" >"$tmp/opa-check.log" 2>&1 || {
  head -n 40 "$tmp/opa-check.log" >&2
  echo "error: opa check refused the emitted Rego" >&2
  exit 1
}

run_charter() { timed "$tmp/charter.log" "$bin/charter" check "$tmp/ws"; }
run_check() { timed "$tmp/opa.log" "$opa" check --bundle "$rego"; }
run_build() { timed "$tmp/opa-build.log" "$opa" build --bundle "$rego" -o "$tmp/bundle.tar.gz"; }
alternate opa "$rounds" "charter check" run_charter "opa check" run_check "opa build" run_build
printf 'instructions (perf stat, one run each): charter check %s, opa check %s\n' \
  "$(instructions "$bin/charter" check "$tmp/ws")" \
  "$(instructions "$opa" check --bundle "$rego")"
