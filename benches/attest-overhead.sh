#!/usr/bin/env bash
# What `--attest` costs (docs/benchmarks.md, "Build attestations"): writes the 100,000-line
# workspace with charter-gen, then times full builds (`charter build --target all`, whole
# process) alternating without and with `--attest` (signed with an EC P-256 test key when
# SIGN=1), ROUNDS pairs (default 7) after one warm-up pair, and prints each run, the medians and
# the overhead of the medians, in wall time and in CPU time (user + system, steadier on a
# shared machine). Alternating keeps the machine's drift (other jobs, caches) out of
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
# once MODE: one full build; prints its wall and CPU (user + system) time in milliseconds.
once() {
  local out="$tmp/out-$1-$RANDOM$RANDOM" times
  local args=(build "$tmp/ws" --target all --out "$out" "${extra[@]}")
  if [ "$1" = with ]; then args+=(--attest); fi
  times=$({ TIMEFORMAT='%3R %3U %3S'; time "$bin/charter" "${args[@]}" >/dev/null 2>&1; } 2>&1)
  rm -rf "$out"
  awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}' <<<"$times"
}
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
overhead() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", (b - a) * 100 / a}'; }
once without >/dev/null
once with >/dev/null
wall0=() cpu0=() wall1=() cpu1=()
for i in $(seq "$rounds"); do
  read -r w0 c0 <<<"$(once without)"
  read -r w1 c1 <<<"$(once with)"
  wall0+=("$w0") cpu0+=("$c0") wall1+=("$w1") cpu1+=("$c1")
  printf 'round %s: without %s ms wall (%s ms CPU), with --attest %s ms wall (%s ms CPU)\n' \
    "$i" "$w0" "$c0" "$w1" "$c1"
done
m=()
for list in wall0 wall1 cpu0 cpu1; do
  declare -n values="$list"
  m+=("$(printf '%s\n' "${values[@]}" | median)")
done
printf 'median wall: without %s ms, with --attest %s ms, overhead %s%%\n' "${m[0]}" "${m[1]}" \
  "$(overhead "${m[0]}" "${m[1]}")"
printf 'median CPU:  without %s ms, with --attest %s ms, overhead %s%%\n' "${m[2]}" "${m[3]}" \
  "$(overhead "${m[2]}" "${m[3]}")"
