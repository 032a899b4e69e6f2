#!/usr/bin/env bash
# The auditor portal in a real browser (docs/portal.md): builds the portal of examples/summit
# (with the crosswalk, evidence, OpenAPI and GraphQL targets beside it, and an evidence folder
# holding some of the declared evidence, its readiness gates computed for a fixed day), of a
# hostile copy of summit (hostile.py) and of a workspace with lists longer than a page
# (large.py), then runs portal.test.mjs with node's test runner: headless Debian Chromium driven
# by playwright-core, axe-core injected into every summit page.
#
# Installs what it needs when missing: Debian's chromium and chromium-driver (apt-get, as root or
# through sudo), and the npm packages pinned in package-lock.json into
# ~/.cache/charter-tests/portal (or $CHARTER_PORTAL_DEPS), again only when the lockfile changes.
# Artefacts (screenshots of the overview and the risk matrix, the overview as PDF) go to
# target/portal-test/artefacts. Needs cargo (or $CHARTER, a built charter), node, npm, python3.
# Run from the repository root: bash tests/portal/run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

if ! command -v chromium >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi

deps="${CHARTER_PORTAL_DEPS:-${XDG_CACHE_HOME:-$HOME/.cache}/charter-tests/portal}"
if ! cmp -s tests/portal/package-lock.json "$deps/package-lock.json" \
  || [ ! -d "$deps/node_modules/playwright-core" ] || [ ! -f "$deps/node_modules/axe-core/axe.min.js" ]; then
  mkdir -p "$deps"
  cp tests/portal/package.json tests/portal/package-lock.json "$deps/"
  npm ci --prefix "$deps" --no-audit --no-fund --loglevel=error \
    || { rm -f "$deps/package-lock.json"; exit 1; }
fi

charter="${CHARTER:-}"
if [ -z "$charter" ]; then
  if [ -z "${CHARTER_SKIP_BUILD:-}" ]; then
    nice -n 10 cargo build -q -p charter-cli
  fi
  charter="$root/target/debug/charter"
fi

work="$root/target/portal-test"
rm -rf "$work"
mkdir -p "$work/artefacts"

# An evidence folder holding some of summit's evidence: present items get their SHA-256.
evidence="$work/evidence"
mkdir -p "$evidence/audit/ga-evidence/governance/decision-logs"
printf 'decision log\n' > "$evidence/audit/ga-evidence/governance/decision-logs/2026-01.jsonl"
printf 'bundle\n' > "$evidence/audit/ga-evidence/governance/policy-bundles"

# The readiness gates are computed for the day of SOURCE_DATE_EPOCH: 2027-01-15 (13:30 UTC), after
# two of summit's sunsets, so the gates pass, fail, are off and are not measured.
day=2027-01-15
SOURCE_DATE_EPOCH=1800019800 "$charter" build examples/summit \
  --target portal,crosswalk,evidence,openapi,graphql --out "$work/summit" \
  --evidence-root "$evidence" >/dev/null 2>"$work/summit.log" \
  || { cat "$work/summit.log"; exit 1; }

python3 tests/portal/hostile.py "$work/hostile-ws" > "$work/hostile.jsonl"
"$charter" build "$work/hostile-ws" --target portal --out "$work/hostile" \
  >/dev/null 2>"$work/hostile.log" || { cat "$work/hostile.log"; exit 1; }

# More rows than a page holds: the lists are paged (large.py).
python3 tests/portal/large.py "$work/large-ws"
"$charter" build "$work/large-ws" --target portal --out "$work/large" \
  >/dev/null 2>"$work/large.log" || { cat "$work/large.log"; exit 1; }

PORTAL_DEPS="$deps" PORTAL_WORK="$work" PORTAL_CHARTER="$charter" PORTAL_DAY="$day" \
  node --test tests/portal/
