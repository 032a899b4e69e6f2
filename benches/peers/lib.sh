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
  local name="$1" rounds="$2"
  shift 2
  local labels=() functions=()
  while [ $# -ge 2 ]; do
    labels+=("$1")
    functions+=("$2")
    shift 2
  done
  local n=${#labels[@]} i r k order out w c m
  declare -A walls=() cpus=() rsss=()
  echo "warm-up: $(load)"
  for ((i = 0; i < n; i++)); do
    "${functions[$i]}" >/dev/null || return 1
  done
  for ((r = 1; r <= rounds; r++)); do
    if ((r % 2)); then order=$(seq 0 $((n - 1))); else order=$(seq $((n - 1)) -1 0); fi
    for i in $order; do
      out=$("${functions[$i]}") || return 1
      read -r w c m <<<"$out"
      walls[$i]+="$w "
      cpus[$i]+="$c "
      rsss[$i]+="$m "
      printf 'round %2d  %-34s %7d ms wall %7d ms CPU %8d KB peak RSS\n' "$r" "${labels[$i]}" "$w" "$c" "$m"
    done
  done
  echo "after the rounds: $(load)"
  local mw=() mc=() mm=()
  for ((i = 0; i < n; i++)); do
    mw[$i]=$(tr ' ' '\n' <<<"${walls[$i]}" | grep . | median)
    mc[$i]=$(tr ' ' '\n' <<<"${cpus[$i]}" | grep . | median)
    mm[$i]=$(tr ' ' '\n' <<<"${rsss[$i]}" | grep . | median)
    printf 'median    %-34s %7s ms wall %7s ms CPU %8s KB peak RSS (%s rounds)\n' \
      "${labels[$i]}" "${mw[$i]}" "${mc[$i]}" "${mm[$i]}" "$rounds"
  done
  for ((k = 1; k < n; k++)); do
    printf 'ratio     %s / %s: %s (wall), %s (CPU)\n' "${labels[0]}" "${labels[$k]}" \
      "$(ratio "${mw[0]}" "${mw[$k]}")" "$(ratio "${mc[0]}" "${mc[$k]}")"
    printf 'RESULT %s %s %s %s %s %s %s %s %s\n' "$name" "${labels[0]// /_}" "${labels[$k]// /_}" \
      "${mw[0]}" "${mw[$k]}" "$(ratio "${mw[0]}" "${mw[$k]}")" \
      "${mc[0]}" "${mc[$k]}" "$(ratio "${mc[0]}" "${mc[$k]}")"
  done
}
