#!/usr/bin/env bash
# The Python SDK's real consumers (docs/sdk.md, "The Python SDK"): for every example and the
# hostile workspaces (tests/sdk/hostile, hostile-go, hostile-python and wire: Python keywords, soft
# keywords and builtins, the generated code's own names, names that collide after snake_case,
# docstrings with `"""` and backslashes), the generated package passes `mypy --strict`,
# pyright (strict), `ruff check` and `ruff format --check`; summit's SDK installs with
# `pip install` into a fresh venv and imports; then pytest runs tests/sdk-python/test_sdk_*.py
# on it (records, a test server: verdicts, provenance, errors, deprecation, Retry-After,
# timeouts, traceparent; and every operation against Prism serving the emitted OpenAPI
# documents with request validation on), and the client of tests/sdk/wire (wire names,
# @nullable, @status) against Prism (test_wire_prism.py); last, N-1 compatibility
# (tests/sdk-python/compat/).
# Tools come from tools.sh (a cached venv), Prism from tests/sdk's npm install. Needs python3
# (3.10+) and a built `charter`.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
charter="${CHARTER:-$root/target/debug/charter}"
bin=$(tests/sdk-python/tools.sh)
deps="${CHARTER_PY_DEPS:-${XDG_CACHE_HOME:-$HOME/.cache}/charter-tests/py}"
export PYRIGHT_PYTHON_CACHE_DIR="$deps/pyright"
prism="${CHARTER_SDK_DEPS:-${XDG_CACHE_HOME:-$HOME/.cache}/charter-tests/sdk}/node_modules/.bin/prism"
if [ ! -x "$prism" ]; then
  printf 'SKIP sdk-python Prism round trips: no %s (tests/run installs it)\n' "$prism"
  prism=""
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0
# check NAME COMMAND...: ok when the command succeeds (its output shown when it does not).
check() {
  if "${@:2}" >"$out/log" 2>&1; then printf 'ok   sdk-python %s\n' "$1"; else printf 'FAIL sdk-python %s\n' "$1"; cat "$out/log"; failed=1; fi
}
# refused NAME COMMAND...: ok when the command fails.
refused() {
  if "${@:2}" >"$out/log" 2>&1; then printf 'FAIL sdk-python %s (passed)\n' "$1"; failed=1; else printf 'ok   sdk-python %s\n' "$1"; fi
}
# checkers DIR: mypy --strict, pyright strict (both configured by the generated
# pyproject.toml), ruff check, ruff format --check.
checkers() {
  (
    cd "$1"
    "$bin/mypy" --strict --no-incremental --cache-dir=/dev/null . || exit 1
    "$bin/pyright" || exit 1
    "$bin/ruff" check --no-cache . || exit 1
    "$bin/ruff" format --no-cache --check . || exit 1
  )
}
for ws in examples/* tests/sdk/hostile tests/sdk/hostile-go tests/sdk/hostile-python tests/sdk/wire; do
  name=$(basename "$ws")
  check "$name: build" "$charter" build "$ws" --target sdk-python,openapi --out "$out/$name"
  check "$name: mypy --strict, pyright, ruff" checkers "$out/$name/sdk-python"
done

# The package installs into a fresh venv (pip fetches the build backend, setuptools) and imports.
install() {
  python3 -m venv "$out/venv"
  "$out/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$out/summit/sdk-python"
  (cd "$out" && "$out/venv/bin/python" -c 'import summit_sdk.summit.lineage as m; assert m.LineageClient; import importlib.resources as r; assert r.files("summit_sdk").joinpath("py.typed").is_file()')
}
check "summit: pip install into a fresh venv, import" install

# One process per suite: a deprecated operation warns once per process.
for suite in tests/sdk-python/test_sdk_*.py; do
  CHARTER_PY_SDK="$out/summit/sdk-python" CHARTER_PRISM="$prism" CHARTER_OPENAPI="$out/summit/openapi" \
    "$bin/python" -m pytest -q -p no:cacheprovider "$suite" || failed=1
done

# The wire workspace's client against Prism (wire names, @nullable, @status: the declared
# success status answered).
CHARTER_PY_SDK="$out/wire/sdk-python" CHARTER_PRISM="$prism" CHARTER_OPENAPI="$out/wire/openapi" \
  "$bin/python" -m pytest -q -p no:cacheprovider tests/sdk-python/test_wire_prism.py || failed=1

# N-1 compatibility (docs/sdk.md, "Compatibility shims"): Python code written against the
# previous release's SDK type-checks against today's SDK built with `--compat`.
compat() { # compat WORKSPACE CONSUMER [charter build arguments...]: type-checks the consumer
  local workspace=$1 consumer=$2 dir
  shift 2
  dir=$(mktemp -d -p "$out")
  "$charter" build "$workspace" --target sdk-python --out "$dir" "$@" >/dev/null 2>&1
  cp "tests/sdk-python/compat/$consumer" "$dir/sdk-python/"
  (cd "$dir/sdk-python" && "$bin/mypy" --strict --no-incremental --cache-dir=/dev/null "$consumer")
}
check "compat: the summit-v1 consumer against the v1 SDK" compat tests/evolution/summit-v1 summit_v1.py
check "compat: the summit-v1 consumer against today's SDK with --compat" \
  compat examples/summit summit_v1.py --compat tests/evolution/summit-v1
demo="$out/demo"
source='package demo\n\nrecord Item {\n  id: int\n}\n\nservice Shop version "1.0.0" {\n  op get_item GET "/items/{id}" (id: int) -> Item\n}\n'
for side in old new; do
  mkdir -p "$demo/$side/src"
  printf '[package]\nname = "demo"\nversion = "1.0.0"\n[build]\nsources = ["src"]\n' >"$demo/$side/charter.toml"
done
printf "$source" | sed 's/op get_item/op fetch/' >"$demo/old/src/demo.charter"
printf "$source" >"$demo/new/src/demo.charter"
check "compat: a renamed operation's consumer against the old SDK" compat "$demo/old" rename.py
check "compat: a renamed operation's old name with --compat" compat "$demo/new" rename.py --compat "$demo/old"
refused "compat: a renamed operation's old name without --compat" compat "$demo/new" rename.py
find tests/sdk-python -name __pycache__ -type d -prune -exec rm -rf {} +
exit "$failed"
