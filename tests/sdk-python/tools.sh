#!/usr/bin/env bash
# Installs the Python SDK's checkers into a cache outside the clone (docs/sdk.md, "The Python
# SDK"): a venv with pinned mypy, pyright, ruff and pytest from PyPI. pyright's PyPI wrapper runs
# the npm package of the same version with the machine's node. Prints the venv's bin folder.
# Override the location with CHARTER_PY_DEPS. Idempotent: a venv holding these versions is kept.
set -euo pipefail
deps="${CHARTER_PY_DEPS:-${XDG_CACHE_HOME:-$HOME/.cache}/charter-tests/py}"
venv="$deps/venv"
pins=(mypy==2.4.1 pyright==1.1.414 ruff==0.17.5 pytest==9.2.0)
stamp="$venv/.charter-pins"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "${pins[*]}" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${pins[@]}" >&2
  # pyright fetches its npm package on first use: do it now, into the cache, not at test time.
  PYRIGHT_PYTHON_CACHE_DIR="$deps/pyright" "$venv/bin/pyright" --version >&2
  printf '%s' "${pins[*]}" >"$stamp"
fi
printf '%s\n' "$venv/bin"
