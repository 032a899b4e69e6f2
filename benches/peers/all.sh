#!/usr/bin/env bash
# The three peer benchmarks in turn (cedar.sh, opa.sh, typespec.sh; their output is printed as
# it comes), then one summary table of the ratios against issue 21's targets: `charter check` at
# most 0.10× `cedar validate` and 0.04× OPA's compile (`opa check`), `charter build --target
# openapi` at most 0.01× `tsp compile`. A target is read on the wall-time ratio of the medians;
# the CPU-time ratio is shown beside it.
#
#   cargo build --release -p charter-cli --bin charter -p charter-bench --bin charter-gen --bin charter-peer-gen
#   benches/peers/all.sh                 # CEDAR_ROUNDS, OPA_ROUNDS, TYPESPEC_ROUNDS: rounds of each
set -euo pipefail
cd "$(dirname "$0")/../.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
bash benches/peers/cedar.sh "${CEDAR_ROUNDS:-15}" | tee -a "$log"
bash benches/peers/opa.sh "${OPA_ROUNDS:-15}" | tee -a "$log"
bash benches/peers/typespec.sh "${TYPESPEC_ROUNDS:-3}" | tee -a "$log"
echo
echo '| Comparison | Charter (median) | Peer (median) | Ratio, wall | Ratio, CPU | Target | |'
echo '|---|---|---|---|---|---|---|'
row() { # row NAME PEER_LABEL TARGET
  awk -v name="$1" -v peer="$2" -v target="$3" '
    $1 == "RESULT" && $2 == name && $4 == peer {
      gsub("_", " ", $3); gsub("_", " ", $4)
      printf "| `%s` / `%s` | %d ms | %d ms | %s | %s | ≤ %s | %s |\n", $3, $4, $5, $6, $7, $10, target,
        ($7 + 0 <= target + 0) ? "met" : "not met"
      found = 1
    }
    END { if (!found) { printf "| %s: no result |\n", name; exit 1 } }' "$log"
}
row cedar cedar_validate 0.10
row opa opa_check 0.04
row opa opa_build 0.04
row typespec tsp_compile 0.01
