#!/usr/bin/env bash
# Charter alone against issue 21's own targets (docs/benchmarks.md, "Issue 21: peers and
# targets"), medians over ROUNDS runs (default 5), each run timed by bash and GNU time
# (`/usr/bin/time -f %M`, peak RSS; Debian's `time` package is installed when missing):
#
#   charter check of the 100,000-line workspace     wall, peak RSS, peak RSS per source line
#   charter check of the 1,000,000-line workspace   wall, peak RSS          (< 0.8 s, < 500 MB)
#   charter build --target rego of 100,000 lines    wall                    (< 0.25 s)
#     into a fresh folder each round; and the rebuild, into the folder the warm-up wrote
#
# The per-line memory target (at most 0.5 KB of peak RSS per source line) is read at both
# sizes. The commands run in turn within each round. Prints every run, then a table of the
# targets, each met or not met.
#
# The build's outputs are kept until the script ends: on an ext4 file system without a journal
# (this VM's root), inodes freed in the last minute are skipped, one by one, when new ones are
# made, so deleting each round's output right after timing it slowed every later round's
# `mkdir`s and file creations (docs/benchmarks.md, "Issue 21: build --target rego"). Put TMPDIR
# on another file system (`TMPDIR=/dev/shm`) to time the build without the disk.
#
#   cargo build --release -p charter-cli --bin charter -p charter-bench --bin charter-gen
#   benches/speed.sh [ROUNDS]            # CHARTER_BIN=DIR picks other binaries
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/peers/lib.sh
rounds="${1:-5}"
bin="${CHARTER_BIN:-target/release}"
need_time
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin/charter-gen" "$tmp/w100k" --lines 100000 2>/dev/null
"$bin/charter-gen" "$tmp/w1m" --lines 1000000 2>/dev/null
l100k=$(find "$tmp/w100k" -name '*.charter' -exec cat {} + | wc -l)
l1m=$(find "$tmp/w1m" -name '*.charter' -exec cat {} + | wc -l)
echo "charter: $("$bin/charter" --version | head -n 1)"
printf 'workloads: %s lines in %s files; %s lines in %s files\n' \
  "$l100k" "$(find "$tmp/w100k" -name '*.charter' | wc -l)" \
  "$l1m" "$(find "$tmp/w1m" -name '*.charter' | wc -l)"
runs=0
check100k() { timed "$tmp/log" "$bin/charter" check "$tmp/w100k"; }
check1m() { timed "$tmp/log" "$bin/charter" check "$tmp/w1m"; }
rego100k() {
  runs=$((runs + 1))
  timed "$tmp/log" "$bin/charter" build "$tmp/w100k" --target rego --out "$tmp/out-$runs"
}
rebuild100k() { timed "$tmp/log" "$bin/charter" build "$tmp/w100k" --target rego --out "$tmp/out-0"; }
echo "warm-up: $(load)"
check100k >/dev/null
check1m >/dev/null
rego100k >/dev/null
timed "$tmp/log" "$bin/charter" build "$tmp/w100k" --target rego --out "$tmp/out-0" >/dev/null
a_w=() a_c=() a_m=() b_w=() b_c=() b_m=() c_w=() c_c=() d_w=() d_c=()
for r in $(seq "$rounds"); do
  read -r w c m <<<"$(check100k)"
  a_w+=("$w") a_c+=("$c") a_m+=("$m")
  printf 'round %2d  check 100k %6d ms wall %6d ms CPU %8d KB' "$r" "$w" "$c" "$m"
  read -r w c m <<<"$(check1m)"
  b_w+=("$w") b_c+=("$c") b_m+=("$m")
  printf ' | check 1M %6d ms wall %6d ms CPU %8d KB' "$w" "$c" "$m"
  read -r w c m <<<"$(rego100k)"
  c_w+=("$w") c_c+=("$c")
  printf ' | build rego 100k %6d ms wall %6d ms CPU' "$w" "$c"
  read -r w c _ <<<"$(rebuild100k)"
  d_w+=("$w") d_c+=("$c")
  printf ' | rebuild %6d ms wall %6d ms CPU\n' "$w" "$c"
done
echo "after the rounds: $(load)"
med() { printf '%s\n' "$@" | median; }
aw=$(med "${a_w[@]}") ac=$(med "${a_c[@]}") am=$(med "${a_m[@]}")
bw=$(med "${b_w[@]}") bc=$(med "${b_c[@]}") bm=$(med "${b_m[@]}")
cw=$(med "${c_w[@]}") cc=$(med "${c_c[@]}")
dw=$(med "${d_w[@]}") dc=$(med "${d_c[@]}")
# verdict VALUE LIMIT: met when VALUE <= LIMIT (<, for the wall-time and memory bounds, within the
# resolution of the measure).
verdict() { awk -v v="$1" -v l="$2" 'BEGIN {print (v <= l) ? "met" : "not met"}'; }
kb_per_line() { awk -v kb="$1" -v lines="$2" 'BEGIN {printf "%.3f", kb / lines}'; }
r100k=$(kb_per_line "$am" "$l100k")
r1m=$(kb_per_line "$bm" "$l1m")
echo
# Wall times are read against the bounds; the CPU time (user + system, both cores) is shown
# beside them because it moves far less with the machine's load.
printf '| Target (issue 21) | Median of %s runs | Bound | |\n|---|---|---|---|\n' "$rounds"
printf '| `charter check`, 100k lines: wall | %s ms (CPU %s ms) | (ratios: benches/peers/) | |\n' "$aw" "$ac"
printf '| `charter check`, 100k lines: peak RSS | %s MB | | |\n' "$(awk -v k="$am" 'BEGIN {printf "%.1f", k / 1024}')"
printf '| peak RSS per source line, 100k lines | %s KB | ≤ 0.5 KB | %s |\n' "$r100k" "$(verdict "$r100k" 0.5)"
printf '| peak RSS per source line, 1M lines | %s KB | ≤ 0.5 KB | %s |\n' "$r1m" "$(verdict "$r1m" 0.5)"
printf '| `charter check`, 1M lines: wall | %s ms (CPU %s ms) | < 800 ms | %s |\n' "$bw" "$bc" "$(verdict "$bw" 799)"
printf '| `charter check`, 1M lines: peak RSS | %s MB | < 500 MB | %s |\n' \
  "$(awk -v k="$bm" 'BEGIN {printf "%.1f", k / 1024}')" "$(verdict "$bm" $((500 * 1024 - 1)))"
printf '| `charter build --target rego`, 100k lines: wall | %s ms (CPU %s ms) | < 250 ms | %s |\n' "$cw" "$cc" "$(verdict "$cw" 249)"
printf '| the same, rebuilt into its previous output: wall | %s ms (CPU %s ms) | | |\n' "$dw" "$dc"
