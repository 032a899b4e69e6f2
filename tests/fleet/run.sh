#!/usr/bin/env bash
# The fleet suite (tests/fleet): real OPA servers (tests/tools/opa.sh builds opa once per machine)
# pulling signed bundles from a real OCI registry (Debian's docker-registry, installed by
# tests/fleet/install-registry.sh when /usr/bin/docker-registry is missing) and from a bundle
# server, all on 127.0.0.1, started and stopped by the tests. Uses .tools/venv (created when
# missing) and target/debug/charter (built unless CHARTER_SKIP_BUILD is set). About 2 minutes.
# Extra arguments go to pytest (`tests/fleet/run.sh -k oci`).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tests/fleet/install-registry.sh
bash tests/tools/opa.sh >/dev/null
if [ ! -x .tools/venv/bin/python ]; then
  python3 -m venv .tools/venv
fi
.tools/venv/bin/pip install -q --disable-pip-version-check -r tests/fleet/requirements.txt
if [ -z "${CHARTER_SKIP_BUILD:-}" ]; then
  cargo build --locked -q -p charter-cli
fi
CHARTER_SKIP_BUILD=1 exec timeout 600 .tools/venv/bin/python -m pytest -q -p no:cacheprovider \
  -o tmp_path_retention_policy=none tests/fleet "$@"
