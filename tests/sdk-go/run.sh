#!/usr/bin/env bash
# The Go SDK's real consumers (docs/sdk.md, "The Go SDK"): for examples/summit, examples/hello
# and the hostile workspaces (tests/sdk/hostile and hostile-go: Go keywords and predeclared names,
# names that collide after conversion, doc comments with `*/` and backticks), the generated module passes
# `gofmt -l` (prints nothing), `go vet`, `staticcheck` and `go build`; then the runtime passes
# the signed-verdict vectors (verdict_test.go, copied into the summit SDK's charter/ package)
# and the summit client works against a test server (server_test.go: verdicts, provenance,
# deprecation, Retry-After, timeouts, traceparent).
# staticcheck (honnef.co/go/tools, pinned below) is installed through the Go module proxy into
# ~/.cache/charter-tests/go (or $CHARTER_GO_DEPS). Needs go and a built `charter`.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
charter="${CHARTER:-$root/target/debug/charter}"
deps="${CHARTER_GO_DEPS:-${XDG_CACHE_HOME:-$HOME/.cache}/charter-tests/go}"
staticcheck_version="v0.8.2"
staticcheck="$deps/bin/staticcheck"
if [ ! -x "$staticcheck" ] || ! "$staticcheck" -version 2>/dev/null | grep -q "${staticcheck_version#v}"; then
  GOBIN="$deps/bin" go install "honnef.co/go/tools/cmd/staticcheck@$staticcheck_version"
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0
for ws in examples/* tests/sdk/hostile tests/sdk/hostile-go; do
  name=$(basename "$ws")
  "$charter" build "$ws" --target sdk-go --out "$out/$name" >/dev/null
  sdk="$out/$name/sdk-go"
  if [ "$name" = summit ]; then
    cp tests/sdk-go/verdict_test.go "$sdk/charter/"
    cp tests/sdk-go/server_test.go "$sdk/summit/lineage/"
  fi
  (
    cd "$sdk"
    unformatted=$(gofmt -l .)
    if [ -n "$unformatted" ]; then
      printf 'gofmt would change:\n%s\n' "$unformatted"
      exit 1
    fi
    go vet ./...
    "$staticcheck" ./...
    go build ./...
    CHARTER_VERDICT_VECTORS="$root/tests/sdk/vectors/verdicts.json" go test ./...
  ) && printf 'ok   sdk-go %s\n' "$name" || { printf 'FAIL sdk-go %s\n' "$name"; failed=1; }
done
exit "$failed"
