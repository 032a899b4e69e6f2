#!/usr/bin/env bash
# The Python SDK runtime (codegen/src/sdk/python/runtime/, docs/sdk.md "The Python SDK"): copied
# into a package as `_charter` beside tests/sdk-python/typing/sample.py (code in the shape of a
# generated module), it passes `mypy --strict`, pyright (strict), `ruff check` and
# `ruff format --check` (ruff's defaults, target py310); then the runtime suites
# tests/sdk-python/test_runtime_*.py run with pytest (verdict vectors, RFC 9651, JSON, checks,
# the client against a real http.server). Tools come from tools.sh (a cached venv).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
bin=$(tests/sdk-python/tools.sh)
deps="${CHARTER_PY_DEPS:-${XDG_CACHE_HOME:-$HOME/.cache}/charter-tests/py}"
export PYRIGHT_PYTHON_CACHE_DIR="$deps/pyright"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
pkg="$out/rtcheck"
mkdir -p "$pkg/_charter"
cp codegen/src/sdk/python/runtime/*.py "$pkg/_charter/"
cp tests/sdk-python/typing/sample.py "$pkg/sample.py"
: >"$pkg/__init__.py"
: >"$pkg/py.typed"
printf '{"typeCheckingMode": "strict", "pythonVersion": "3.10"}\n' >"$out/pyrightconfig.json"
failed=0
(
  cd "$out"
  # `set -e` does not apply inside `( ... ) &&`: every step says so itself.
  "$bin/mypy" --strict --python-version 3.10 --no-incremental rtcheck || exit 1
  "$bin/pyright" rtcheck || exit 1
  "$bin/ruff" check --no-cache --target-version py310 rtcheck/_charter || exit 1
  "$bin/ruff" format --no-cache --check --target-version py310 rtcheck/_charter || exit 1
) && printf 'ok   sdk-python runtime checks\n' || { printf 'FAIL sdk-python runtime checks\n'; failed=1; }
"$bin/python" -m pytest -q -p no:cacheprovider tests/sdk-python/test_runtime_*.py || failed=1
find tests/sdk-python -name __pycache__ -type d -prune -exec rm -rf {} +
exit "$failed"
