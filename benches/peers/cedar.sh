#!/usr/bin/env bash
# Charter against Cedar (docs/benchmarks.md, "Issue 21: peers and targets"): `charter check` of
# the 100,000-line generated workspace against `cedar validate` of its Cedar equivalent (schema
# and policies written by `charter-peer-gen cedar`, about 99,000 lines), timed alternately in
# one run: a warm-up of each, then ROUNDS rounds (default 15). Prints every run, the medians and
# the ratio charter/cedar (wall and CPU). Fails unless both sides are clean: `charter check`
# exits 0 and `cedar validate` exits 0 without a warning.
#
#   cargo build --release -p charter-cli --bin charter -p charter-bench --bin charter-gen --bin charter-peer-gen
#   benches/peers/cedar.sh [ROUNDS]      # CHARTER_BIN=DIR picks other binaries; LINES=N another size
#
# Builds nothing of Charter; installs cedar-policy-cli once per machine (benches/peers/tools.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
. benches/peers/lib.sh
rounds="${1:-15}"
lines="${LINES:-100000}"
bin="${CHARTER_BIN:-target/release}"
need_time
cedar=$(bash benches/peers/tools.sh cedar)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin/charter-gen" "$tmp/ws" --lines "$lines" 2>"$tmp/gen.log"
"$bin/charter-peer-gen" cedar "$tmp/cedar" --lines "$lines" 2>"$tmp/peer.log"
charter_lines=$(find "$tmp/ws" -name '*.charter' -exec cat {} + | wc -l)
schema="$tmp/cedar/schema.cedarschema"
policies="$tmp/cedar/policies.cedar"
echo "charter: $("$bin/charter" --version | head -n 1)"
echo "cedar:   $("$cedar" --version)"
printf 'workload: Charter %s lines in %s files; Cedar %s lines (schema %s, policies %s, %s policies)\n' \
  "$charter_lines" "$(find "$tmp/ws" -name '*.charter' | wc -l)" \
  "$(cat "$schema" "$policies" | wc -l)" "$(wc -l <"$schema")" "$(wc -l <"$policies")" \
  "$(grep -c '^@id(' "$policies")"

# Both sides must be clean, or the comparison means nothing.
"$bin/charter" check "$tmp/ws" >"$tmp/check.log" 2>&1 || {
  cat "$tmp/check.log" >&2
  echo "error: charter check failed" >&2
  exit 1
}
"$cedar" validate --schema "$schema" --policies "$policies" >"$tmp/validate.log" 2>&1 || {
  head -n 40 "$tmp/validate.log" >&2
  echo "error: cedar validate refused the Cedar workload" >&2
  exit 1
}
# Cedar says "policy set validation passed" and "no errors or warnings" when clean.
if ! grep -q 'validation passed' "$tmp/validate.log" || ! grep -q 'no errors or warnings' "$tmp/validate.log"; then
  head -n 40 "$tmp/validate.log" >&2
  echo "error: cedar validate reported warnings" >&2
  exit 1
fi
echo "cedar validate: $(tr -s ' \n' ' ' <"$tmp/validate.log")"

run_charter() { timed "$tmp/charter.log" "$bin/charter" check "$tmp/ws"; }
run_cedar() { timed "$tmp/cedar.log" "$cedar" validate --schema "$schema" --policies "$policies"; }
alternate cedar "$rounds" "charter check" run_charter "cedar validate" run_cedar
printf 'instructions (perf stat, one run each): charter check %s, cedar validate %s\n' \
  "$(instructions "$bin/charter" check "$tmp/ws")" \
  "$(instructions "$cedar" validate --schema "$schema" --policies "$policies")"
