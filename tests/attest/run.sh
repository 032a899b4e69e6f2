#!/usr/bin/env bash
# Build attestations checked by independent implementations (docs/attest.md): the statements of
# `charter build --attest` read with the in-toto attestation models (Statement v1, SLSA
# Provenance v1), every subject's SHA-256 recomputed, DSSE envelopes (RS256, ES256) verified with
# `cryptography` and securesystemslib, reproducible bytes, and `charter attest verify` refusing
# changed, removed and added files. Installs its Python packages into the git-ignored
# .tools/venv (tests/attest/requirements.txt); needs cargo and python3 with venv.
# Runnable alone from the repository root: `bash tests/attest/run.sh`.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x .tools/venv/bin/python ]; then
  python3 -m venv .tools/venv
fi
.tools/venv/bin/pip install -q --disable-pip-version-check -r tests/attest/requirements.txt
cargo build --locked -q -p charter-cli
# A temporary folder of its own: pytest runs of other checkouts on the machine share the default.
base=$(mktemp -d)
trap 'rm -rf "$base"' EXIT
CHARTER_SKIP_BUILD=1 .tools/venv/bin/python -m pytest -q -p no:cacheprovider \
  --basetemp "$base/pytest" tests/attest
