#!/usr/bin/env bash
# Installs the registry the fleet tests start: Debian's `docker-registry` package (the CNCF
# distribution registry), unless /usr/bin/docker-registry is already there. Needs root (or sudo)
# and apt; the package's own service is not started (the tests start their own registry on
# 127.0.0.1 with a configuration of theirs).
set -euo pipefail
if [ -x /usr/bin/docker-registry ]; then
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || {
  echo "tests/fleet/install-registry.sh: /usr/bin/docker-registry is missing and apt-get is not available (install the CNCF distribution registry as /usr/bin/docker-registry)" >&2
  exit 1
}
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || {
    echo "tests/fleet/install-registry.sh: installing docker-registry needs root (or sudo)" >&2
    exit 1
  }
  sudo=(sudo)
fi
# The package's service must not start (no policy-rc.d means it would, on :5000).
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
RUNLEVEL=1 "${sudo[@]}" apt-get install -y -qq --no-install-recommends docker-registry >&2
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker-registry 2>/dev/null; then
  "${sudo[@]}" systemctl stop docker-registry || true
fi
test -x /usr/bin/docker-registry
