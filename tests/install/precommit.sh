# Sourced by run.sh: .pre-commit-hooks.yaml with PyPI pre-commit on a throw-away repository
# holding a workspace, `charter` from the wheel's venv on the PATH (language: system).

# The hooks' repository: this .pre-commit-hooks.yaml, committed in a repository of its own (so
# the file under test is the work tree's, committed or not).
precommit_setup() {
  local hooks="$work/hooks-repo" project="$work/project"
  git init -q -b main "$hooks"
  cp .pre-commit-hooks.yaml "$hooks/"
  git -C "$hooks" add .pre-commit-hooks.yaml
  git -C "$hooks" -c user.name=t -c user.email=t@example.invalid commit -q -m hooks
  git init -q -b main "$project"
  cp -R examples/hello/. "$project/"
  rm -rf "$project/out"
  cat >"$project/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $hooks
    rev: $(git -C "$hooks" rev-parse HEAD)
    hooks:
      - id: charter-check
      - id: charter-fmt
      - id: charter-build-check
YAML
  cd "$project"
  git config user.name t
  git config user.email t@example.invalid
  charter build >/dev/null 2>&1
  "$tools/pre-commit" install
  git add -A
  git commit -q -m "a workspace and its outputs"
}
# commit MESSAGE: stage everything and commit (the hooks run); the output in $work/commit.log.
commit() {
  git add -A
  git commit -m "$1" >"$work/commit.log" 2>&1
}
# precommit_blocks MESSAGE FAILS PASSES TEXT...: the commit is refused, the hook FAILS failed,
# the hooks PASSES (an alternation, `a|b`) passed, and the output holds every TEXT.
precommit_blocks() {
  local status=0
  commit "$1" || status=$?
  [ "$status" != 0 ] || { echo "the commit was not blocked"; cat "$work/commit.log"; return 1; }
  grep -Eq "^$2\.+Failed" "$work/commit.log" || { echo "$2 did not fail:"; cat "$work/commit.log"; return 1; }
  [ "$(grep -Ec "^($3)\.+Passed" "$work/commit.log")" = "$(tr '|' '\n' <<<"$3" | wc -l)" ] \
    || { echo "$3 did not pass:"; cat "$work/commit.log"; return 1; }
  for expected in "${@:4}"; do
    grep -qF -- "$expected" "$work/commit.log" || { echo "no '$expected' in:"; cat "$work/commit.log"; return 1; }
  done
}
# precommit_passes MESSAGE: the commit is made, every hook passed (none skipped).
precommit_passes() {
  commit "$1" || { cat "$work/commit.log"; return 1; }
  for hook in "charter check" "charter fmt --check" "charter build --check"; do
    grep -Eq "^$hook\.+Passed" "$work/commit.log" || { echo "$hook did not pass:"; cat "$work/commit.log"; return 1; }
  done
}
export PRE_COMMIT_HOME="$work/pre-commit-home"
(
  export PATH="$work/venv/bin:$PATH"
  check "pre-commit install in a throw-away repository; the first commit passes" precommit_setup
  cd "$work/project"
  source=src/hello.charter
  good=$(cat "$source")
  # A type error: the commit is blocked by charter check, with the diagnostic.
  printf '%s\n\nrecord Broken {\n  owner: Nobody\n}\n' "$good" >"$source"
  check "pre-commit: a file with an error blocks the commit (charter check, with the diagnostic)" \
    precommit_blocks "broken" "charter check" "charter fmt --check" "error[E" "Nobody" "$source"
  # Formatted and checked, but the committed outputs are now stale: build --check blocks.
  printf '%s\n\nrecord Extra {\n  note: string\n}\n' "$good" >"$source"
  charter fmt "$source" >/dev/null 2>&1
  check "pre-commit: a change without rebuilt outputs blocks the commit (charter build --check)" \
    precommit_blocks "stale" "charter build --check" "charter check|charter fmt --check"
  charter build >/dev/null 2>&1
  check "pre-commit: fixed, formatted and rebuilt, the commit passes" precommit_passes "fixed"
  # Unformatted: charter fmt --check blocks, naming the file. (The new comment also makes the
  # committed outputs stale: the portal's footer carries the digest of the source bytes.)
  # Formatted and rebuilt, it passes.
  printf '\n\n\n   // reviewed   \n' >>"$source"
  check "pre-commit: an unformatted file blocks the commit (charter fmt --check)" \
    precommit_blocks "unformatted" "charter fmt --check" "charter check" "hello.charter"
  charter fmt "$source" >/dev/null 2>&1
  charter build >/dev/null 2>&1
  check "pre-commit: formatted and rebuilt, the commit passes" precommit_passes "formatted"
  check "pre-commit run --all-files (docs/ci.md)" "$tools/pre-commit" run --all-files
  printf '%s %s\n' "$passed" "$failed" >"$work/precommit-counts"
)
read -r passed failed <"$work/precommit-counts" || true
