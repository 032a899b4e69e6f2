#!/usr/bin/env bash
# tools.sh cedar|typespec: prints the path of a pinned peer tool (one line on stdout), installing
# it first when absent, once per machine, into the test-tool cache (never into the clone):
#
#   cedar     the `cedar` binary of crates.io's cedar-policy-cli $CEDAR_VERSION, built with
#             `cargo install --locked` into ~/.cache/charter-tests/cedar/<version>
#   typespec  the node_modules folder of benches/peers/typespec/package-lock.json (TypeSpec's
#             compiler, http and openapi3 libraries), `npm ci` into ~/.cache/charter-tests/typespec
#
# A lock (flock on the cache folder) keeps two callers from installing at the same time.
# $CHARTER_PEERS_DEPS replaces ~/.cache/charter-tests. Fails with exit 1 and a message on stderr.
set -euo pipefail
cd "$(dirname "$0")/../.."
cedar_version="4.14.1"
cache="${CHARTER_PEERS_DEPS:-${XDG_CACHE_HOME:-$HOME/.cache}/charter-tests}"

fail() {
  printf 'benches/peers/tools.sh: %s\n' "$*" >&2
  exit 1
}

lock() { # lock FOLDER: takes the folder's lock for the rest of the script
  mkdir -p "$1" || fail "cannot create $1"
  command -v flock >/dev/null 2>&1 || fail "flock (util-linux) is needed"
  exec 9>"$1/.lock" || fail "cannot open the lock $1/.lock"
  flock 9 || fail "cannot take the lock $1/.lock"
}

case "${1:-}" in
  cedar)
    root="$cache/cedar/$cedar_version"
    bin="$root/bin/cedar"
    works() { [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "$cedar_version"; }
    if ! works; then
      lock "$cache/cedar"
      if ! works; then
        command -v cargo >/dev/null 2>&1 || fail "cargo is needed to install cedar-policy-cli"
        printf 'benches/peers/tools.sh: installing cedar-policy-cli %s into %s (once per machine)\n' \
          "$cedar_version" "$root" >&2
        nice -n 10 cargo install cedar-policy-cli --version "$cedar_version" --locked \
          --root "$root" >&2 || fail "cargo install cedar-policy-cli@$cedar_version failed"
        works || fail "$bin does not report version $cedar_version"
      fi
    fi
    printf '%s\n' "$bin"
    ;;
  typespec)
    dir="$cache/typespec"
    src=benches/peers/typespec
    stamp="$dir/.installed"
    want=$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
      lock "$dir"
      if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        command -v npm >/dev/null 2>&1 || fail "npm is needed to install TypeSpec"
        printf 'benches/peers/tools.sh: installing TypeSpec into %s (once per machine)\n' "$dir" >&2
        cp "$src/package.json" "$src/package-lock.json" "$dir/"
        npm ci --prefix "$dir" --no-audit --no-fund >&2 || fail "npm ci of TypeSpec failed"
        printf '%s\n' "$want" >"$stamp"
      fi
    fi
    [ -f "$dir/node_modules/@typespec/compiler/cmd/tsp.js" ] || fail "no tsp in $dir/node_modules"
    printf '%s\n' "$dir/node_modules"
    ;;
  *)
    fail "usage: benches/peers/tools.sh cedar|typespec"
    ;;
esac
