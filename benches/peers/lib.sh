# Shared by the benchmark scripts of benches/peers/ and benches/speed.sh: timing, medians,
# ratios, and commands run alternately. Sourced, not run.
#
# Every run is timed by bash's `time` (wall, user and system time in milliseconds, children
# included) around GNU time (`/usr/bin/time -f %M`, the peak resident set size in KB).

# need_time: installs GNU time (Debian's `time` package) when /usr/bin/time is missing.
need_time() {
  if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time (apt-get install -y time)" >&2
    if ! { apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y time >/dev/null 2>&1; }; }; then
      echo "error: /usr/bin/time is missing and apt-get cannot install it" >&2
      return 1
    fi
  fi
}

# timed LOG CMD...: runs CMD with its output in LOG; prints "WALL_MS CPU_MS RSS_KB" (CPU: user +
# system). Fails, showing the end of LOG, when CMD exits non-zero.
timed() {
  local log="$1" times status=0
  shift
  times=$({ TIMEFORMAT='%3R %3U %3S'; time /usr/bin/time -f '%M' -o "$log.rss" "$@" >"$log" 2>&1; } 2>&1) || status=$?
  if [ "$status" != 0 ]; then
    printf 'error: `%s` exited with %s:\n' "$*" "$status" >&2
    tail -n 20 "$log" >&2
    return 1
  fi
  awk -v rss="$(tail -n 1 "$log.rss")" '{printf "%d %d %d\n", $1 * 1000, ($2 + $3) * 1000, rss}' <<<"$times"
}

# median: the median of the numbers on stdin, one a line.
median() { sort -n | awk '{a[NR] = $1} END {if (NR == 0) print "nan"; else print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# ratio A B: A / B with three decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b == 0) print "nan"; else printf "%.3f\n", a / b}'; }

# load: the load averages (1, 5, 15 minutes) and the core count.
load() { printf 'load average %s (%s cores)' "$(cut -d' ' -f1-3 /proc/loadavg)" "$(nproc)"; }

# instructions CMD...: the user-space instructions CMD executes (perf stat), or "n/a" where
# perf cannot count them (no perf, or no hardware counters in the VM).
instructions() {
  local n
  if command -v perf >/dev/null 2>&1 \
    && n=$(perf stat -x, -e instructions:u -o /dev/stdout "$@" 2>/dev/null >/dev/null | awk -F, '/instructions/ {print $1}') \
    && [[ "$n" =~ ^[0-9]+$ ]]; then
    echo "$n"
  else
    echo "n/a"
  fi
}

# alternate NAME ROUNDS LABEL_1 FUNCTION_1 LABEL_2 FUNCTION_2 [LABEL_3 FUNCTION_3 ...]: runs
# each function (which runs one command through `timed` and prints its output) once as a
# warm-up, then ROUNDS rounds, each running every function once, in turn: forward in odd rounds,
# backward in even ones, so that neither side is always first. Prints every run, then the
# medians, then the ratio of the first to each other (wall and CPU), then one machine-readable
# line per other for benches/peers/all.sh:
#   RESULT NAME LABEL_1 LABEL_N WALL_1 WALL_N WALL_RATIO CPU_1 CPU_N CPU_RATIO
alternate() {
  # Every local starts with `alt_`: the functions it calls see them (bash scopes dynamically).
  local alt_name="$1" alt_rounds="$2"
  shift 2
  local alt_labels=() alt_functions=()
  while [ $# -ge 2 ]; do
    alt_labels+=("$1")
    alt_functions+=("$2")
    shift 2
  done
  local alt_n=${#alt_labels[@]} alt_i alt_r alt_k alt_order alt_out alt_w alt_c alt_m
  local -a alt_walls=() alt_cpus=() alt_rsss=() alt_mw=() alt_mc=() alt_mm=()
  echo "warm-up: $(load)"
  for ((alt_i = 0; alt_i < alt_n; alt_i++)); do
    "${alt_functions[$alt_i]}" >/dev/null || return 1
  done
  for ((alt_r = 1; alt_r <= alt_rounds; alt_r++)); do
    if ((alt_r % 2)); then
      alt_order=$(seq 0 $((alt_n - 1)))
    else
      alt_order=$(seq $((alt_n - 1)) -1 0)
    fi
    for alt_i in $alt_order; do
      alt_out=$("${alt_functions[$alt_i]}") || return 1
      read -r alt_w alt_c alt_m <<<"$alt_out"
      alt_walls[alt_i]+="$alt_w "
      alt_cpus[alt_i]+="$alt_c "
      alt_rsss[alt_i]+="$alt_m "
      printf 'round %2d  %-34s %7d ms wall %7d ms CPU %8d KB peak RSS\n' \
        "$alt_r" "${alt_labels[$alt_i]}" "$alt_w" "$alt_c" "$alt_m"
    done
  done
  echo "after the rounds: $(load)"
  for ((alt_i = 0; alt_i < alt_n; alt_i++)); do
    alt_mw[alt_i]=$(tr ' ' '\n' <<<"${alt_walls[$alt_i]}" | grep . | median)
    alt_mc[alt_i]=$(tr ' ' '\n' <<<"${alt_cpus[$alt_i]}" | grep . | median)
    alt_mm[alt_i]=$(tr ' ' '\n' <<<"${alt_rsss[$alt_i]}" | grep . | median)
    printf 'median    %-34s %7s ms wall %7s ms CPU %8s KB peak RSS (%s rounds)\n' \
      "${alt_labels[$alt_i]}" "${alt_mw[$alt_i]}" "${alt_mc[$alt_i]}" "${alt_mm[$alt_i]}" "$alt_rounds"
  done
  for ((alt_k = 1; alt_k < alt_n; alt_k++)); do
    printf 'ratio     %s / %s: %s (wall), %s (CPU)\n' "${alt_labels[0]}" "${alt_labels[$alt_k]}" \
      "$(ratio "${alt_mw[0]}" "${alt_mw[$alt_k]}")" "$(ratio "${alt_mc[0]}" "${alt_mc[$alt_k]}")"
    printf 'RESULT %s %s %s %s %s %s %s %s %s\n' "$alt_name" "${alt_labels[0]// /_}" \
      "${alt_labels[$alt_k]// /_}" "${alt_mw[0]}" "${alt_mw[$alt_k]}" \
      "$(ratio "${alt_mw[0]}" "${alt_mw[$alt_k]}")" "${alt_mc[0]}" "${alt_mc[$alt_k]}" \
      "$(ratio "${alt_mc[0]}" "${alt_mc[$alt_k]}")"
  done
}
