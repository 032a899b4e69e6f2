#!/usr/bin/env bash
# The Go SDK of the API-contract workload (docs/benchmarks.md, "SDKs"): writes the workload with
# charter-gen (N records, N GET operations; default 2000), builds its Go SDK with
# `charter build --target sdk-go` (whole process, timed), then times `go build ./...` on the
# generated module with a cold Go build cache (a fresh GOCACHE: the runtime and every package
# compiled), again with the cache warm, and with only the generated packages cold.
#
#   cargo build --release -p charter-cli -p charter-bench
#   benches/sdk-go-build.sh [N]            # CHARTER_BIN=DIR picks other binaries
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-2000}"
bin="${CHARTER_BIN:-target/release}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
seconds() { # seconds COMMAND...: runs it, prints its wall and CPU time
  local TIMEFORMAT='%R s wall, %U s user, %S s sys'
  time "$@" >/dev/null 2>&1
}
"$bin/charter-gen" "$tmp/ws" --models "$n" --gets "$n" >/dev/null
printf 'charter build --target sdk-go (%s records, %s operations): ' "$n" "$n"
{ seconds "$bin/charter" build "$tmp/ws" --target sdk-go --out "$tmp/out"; } 2>&1
sdk="$tmp/out/sdk-go"
printf 'generated: %s Go files, %s bytes\n' "$(find "$sdk" -name '*.go' | wc -l)" "$(find "$sdk" -name '*.go' -exec cat {} + | wc -c)"
export GOCACHE="$tmp/gocache" GOFLAGS=-mod=mod GOTOOLCHAIN=local
printf 'go build ./... (cold cache: the standard library packages too): '
{ seconds go -C "$sdk" build ./...; } 2>&1
printf 'go build ./... (warm cache, nothing to do): '
{ seconds go -C "$sdk" build ./...; } 2>&1
# The SDK's own packages: a fresh cache primed with the runtime package (and so the standard
# library packages it imports), then the whole module.
export GOCACHE="$tmp/gocache2"
go -C "$sdk" build ./charter
printf 'go build ./... (the standard library and runtime cached, the generated packages cold): '
{ seconds go -C "$sdk" build ./...; } 2>&1
