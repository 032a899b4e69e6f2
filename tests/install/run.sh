#!/usr/bin/env bash
# The install paths of README's "Install" (issue 22), each exercised for real on this machine:
#   cargo       crate metadata (`cargo package --list`), `cargo install --path cli` and `lsp`;
#   --version   the version and the commit the binary was built from;
#   man         `charter man DIR`: a page per command, each rendered by `man -l`;
#   completions `charter completions bash` loaded by bash and asked to complete;
#   wheel       maturin `bin` wheel with charter and charter-lsp, pip-installed into a fresh venv;
#   npm         launcher + platform package (optional dependency, no install script), packed and
#               installed OFFLINE into a fresh folder, `npx charter --version`;
#   pre-commit  .pre-commit-hooks.yaml on a throw-away repository: broken files block the
#               commit with the diagnostic, fixed ones pass;
#   ci          every job of docs/ci.md against a temporary repository (ci_jobs.py).
# The release binaries are built once (target/release) and reused by every path. Tools:
# tests/install/tools.sh (maturin, pre-commit; cached outside the clone in
# ~/.cache/charter-tests/install), and python3, node, npm, git, man (apt-get install man-db when
# missing, as root). Run alone: `bash tests/install/run.sh`; ends with `N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
tools=$(tests/install/tools.sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
# check NAME COMMAND...: ok when the command succeeds (its output shown when it does not). The
# command runs in a subshell of its own with `set -e` in force (a function called as the
# condition of an `if` would run with it off, and a failing line in its middle would go unseen).
check() {
  local status=0
  set +e
  (
    set -e
    "${@:2}"
  ) >"$work/log" 2>&1 &
  wait "$!"
  status=$?
  set -e
  if [ "$status" = 0 ]; then
    printf 'ok   install %s\n' "$1"
    passed=$((passed + 1))
  else
    printf 'FAIL install %s\n' "$1"
    sed 's/^/     /' "$work/log"
    failed=$((failed + 1))
  fi
}
# same NAME EXPECTED ACTUAL: ok when the two strings are equal.
same() {
  if [ "$2" = "$3" ]; then
    printf 'ok   install %s\n' "$1"
    passed=$((passed + 1))
  else
    printf 'FAIL install %s: expected %q, got %q\n' "$1" "$2" "$3"
    failed=$((failed + 1))
  fi
}
# The release binaries, once.
cargo build --release --locked -q -p charter-cli -p charter-lsp
charter="$root/target/release/charter"
lsp="$root/target/release/charter-lsp"
version_line=$("$charter" --version)
version=$(printf '%s' "$version_line" | awk '{print $2}')

# --version: `charter X.Y.Z (HASH DATE)`, HASH and DATE those of HEAD when built in a checkout.
expected="charter $(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1) ($(git log -1 --format='%H %cs' | sed -E 's/^(.{12})[^ ]* /\1 /'))"
same "charter --version names the version and the commit" "$expected" "$version_line"
same "charter-lsp --version" "charter-lsp $version" "$("$lsp" --version)"

# cargo: the metadata of every crate a release would publish, and the files it would package.
source tests/install/cargo.sh

# Manual pages: one per command, each rendered by man-db's `man -l` without a warning.
if ! command -v man >/dev/null 2>&1 || ! man --version 2>/dev/null | grep -q '^man '; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -q man-db >/dev/null
  else
    sudo apt-get install -y -q man-db >/dev/null
  fi
fi
source tests/install/man.sh

# Completions: bash loads the script and completes commands and flags.
source tests/install/completions.sh

# The Python wheel, then the npm packages, then pre-commit with the pip-installed charter.
source tests/install/wheel.sh
source tests/install/npm.sh
source tests/install/precommit.sh

# docs/ci.md: every job against a temporary repository: `main` holds examples/summit and its
# outputs, the branch `pr` adds a record and rebuilds them (a safe change), the branch
# `breaking` removes an operation (the review jobs post their comment, then fail).
ci_origin() {
  local origin="$work/origin"
  git init -q -b main "$origin"
  cp -R examples/summit/. "$origin/"
  rm -rf "$origin/out"
  cd "$origin"
  git config user.name t
  git config user.email t@example.invalid
  "$charter" build >/dev/null 2>&1
  git add -A
  git commit -q -m "summit"
  git checkout -q -b pr
  printf '\n/// A record the pull request adds.\nrecord ReviewNote {\n  text: string\n}\n' \
    >>src/lineage/lineage.charter
  "$charter" fmt src >/dev/null 2>&1
  "$charter" build >/dev/null 2>&1
  git add -A
  git commit -q -m "a new record"
  # The branch `breaking` removes an operation of a released service instead.
  git checkout -q -b breaking main
  sed -i '/Check a batch of events as/,/errors { 400: ValidationError }$/d' src/lineage/lineage.charter
  if grep -q 'op validate' src/lineage/lineage.charter; then echo 'validate not removed'; return 1; fi
  "$charter" build >/dev/null 2>&1
  git add -A
  git commit -q -m "remove an operation"
}
check "ci: a temporary repository with a base branch and two pull-request branches" ci_origin
ci() {
  "$tools/python" tests/install/ci_jobs.py docs/ci.md "$work/origin" "$work/wheels" \
    tests/install/stubs "$work/ci"
}
mkdir -p "$work/ci"
check "docs/ci.md: every GitHub Actions and GitLab CI job runs" ci
sed -n '/^ok   ci /,$p' "$work/log" | grep -v '^ci: ' | sed 's/^/     /' || true

printf '\nsizes: wheel %s bytes (%s), npm launcher %s bytes, npm platform package %s bytes\n' \
  "$wheel_size" "$(basename "$wheel")" "$launcher_size" "$platform_size"
printf 'install: done in %ss\n' "$SECONDS"
printf 'install: %s passed, %s failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
