#!/usr/bin/env bash
# Prints the absolute path of the real `opa` binary (one line, nothing else on stdout), building
# it first when absent: OPA v1.22.4 from the Go module proxy (`go install
# github.com/open-policy-agent/opa@v1.22.4`) into ~/.cache/charter-tests/opa/bin-v1.22.4 (or
# $CHARTER_OPA_DEPS/bin-v1.22.4), once per machine. A lock (flock on the cache folder) keeps two
# callers from building at the same time; the second waits and then uses the first's binary.
# Needs go (and network access to the Go module proxy) only when the binary is not built yet.
# Fails with exit 1 and one clear message on stderr when it cannot provide the binary.
set -euo pipefail
version="v1.22.4"
deps="${CHARTER_OPA_DEPS:-${XDG_CACHE_HOME:-$HOME/.cache}/charter-tests/opa}"
bin="$deps/bin-$version"
opa="$bin/opa"

fail() {
  printf 'tests/tools/opa.sh: %s\n' "$*" >&2
  exit 1
}

works() { # the binary exists and is the pinned version
  [ -x "$opa" ] && "$opa" version 2>/dev/null | grep -qx "Version: ${version#v}"
}

if ! works; then
  mkdir -p "$deps" || fail "cannot create the cache folder $deps"
  command -v flock >/dev/null 2>&1 || fail "flock (util-linux) is needed to build opa safely"
  exec 9>"$deps/.lock" || fail "cannot open the lock $deps/.lock"
  flock 9 || fail "cannot take the lock $deps/.lock"
  # Another caller may have built it while this one waited for the lock.
  if ! works; then
    command -v go >/dev/null 2>&1 \
      || fail "opa $version is not built in $bin and go is not installed (needed to build it)"
    printf 'tests/tools/opa.sh: building opa %s into %s (once per machine)\n' "$version" "$bin" >&2
    # Into a temporary folder first: an interrupted build never leaves a half-written binary.
    tmp=$(mktemp -d "$deps/build.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    if ! GOBIN="$tmp" go install "github.com/open-policy-agent/opa@$version" >&2; then
      fail "go install github.com/open-policy-agent/opa@$version failed (see above; it needs the Go module proxy)"
    fi
    mkdir -p "$bin"
    mv -f "$tmp/opa" "$opa"
    works || fail "the built $opa does not report version ${version#v}"
  fi
fi
printf '%s\n' "$(cd "$bin" && pwd -P)/opa"
