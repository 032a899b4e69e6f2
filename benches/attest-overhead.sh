#!/usr/bin/env bash
# What `--attest` costs (docs/benchmarks.md, "Build attestations"): writes the 100,000-line
# workspace with charter-gen, then times full builds (`charter build --target all`, whole
# process) alternating without and with `--attest` (signed with an EC P-256 test key when
# SIGN=1), ROUNDS pairs (default 7) after one warm-up pair, and prints each run, the medians and
# the overhead of the medians. Alternating keeps the machine's drift (other jobs, caches) out of
# the difference. Each build writes into its own fresh output folder.
#
#   cargo build --release -p charter-cli -p charter-bench
#   benches/attest-overhead.sh [ROUNDS]     # CHARTER_BIN=DIR picks other binaries
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-7}"
bin="${CHARTER_BIN:-target/release}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin/charter-gen" "$tmp/ws" --lines 100000 >/dev/null
extra=()
if [ "${SIGN:-0}" = 1 ]; then
  extra=(--signing-key codegen/src/bundle/testdata/ec-sec1.pem)
fi
export SOURCE_DATE_EPOCH=1700000000
# once MODE: one full build, its wall time in milliseconds on stdout.
once() {
  local out="$tmp/out-$1-$RANDOM$RANDOM" start end
  local args=(build "$tmp/ws" --target all --out "$out" "${extra[@]}")
  if [ "$1" = with ]; then args+=(--attest); fi
  start=$(date +%s%N)
  "$bin/charter" "${args[@]}" >/dev/null 2>&1
  end=$(date +%s%N)
  rm -rf "$out"
  echo $(((end - start) / 1000000))
}
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
once without >/dev/null
once with >/dev/null
without=()
with=()
for i in $(seq "$rounds"); do
  a=$(once without)
  b=$(once with)
  without+=("$a")
  with+=("$b")
  printf 'round %s: without %s ms, with --attest %s ms\n' "$i" "$a" "$b"
done
m0=$(printf '%s\n' "${without[@]}" | median)
m1=$(printf '%s\n' "${with[@]}" | median)
printf 'median without: %s ms, with --attest: %s ms, overhead: %s%%\n' "$m0" "$m1" \
  "$(awk -v a="$m0" -v b="$m1" 'BEGIN {printf "%.1f", (b - a) * 100 / a}')"
