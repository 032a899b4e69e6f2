#!/usr/bin/env bash
# Installs the install-path tests' Python tools into a cache outside the clone: a venv with
# pinned maturin (builds the wheel) and pre-commit (runs the hooks of .pre-commit-hooks.yaml),
# from PyPI. Prints the venv's bin folder. Override the location with CHARTER_INSTALL_DEPS.
# Idempotent: a venv holding these versions is kept.
set -euo pipefail
deps="${CHARTER_INSTALL_DEPS:-${XDG_CACHE_HOME:-$HOME/.cache}/charter-tests/install}"
venv="$deps/venv"
pins=(maturin==1.16.0 pre-commit==4.7.0)
stamp="$venv/.charter-pins"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "${pins[*]}" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${pins[@]}" >&2
  printf '%s' "${pins[*]}" >"$stamp"
fi
printf '%s\n' "$venv/bin"
