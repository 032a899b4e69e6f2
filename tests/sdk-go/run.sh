#!/usr/bin/env bash
# The Go SDK's real consumers (docs/sdk.md, "The Go SDK"): for examples/summit, examples/hello
# and the hostile workspaces (tests/sdk/hostile, hostile-go and wire: Go keywords and predeclared names,
# names that collide after conversion, doc comments with `*/` and backticks), the generated module passes
# `gofmt -l` (prints nothing), `go vet`, `staticcheck` and `go build`; then the runtime passes
# the signed-verdict vectors (verdict_test.go, copied into the summit SDK's charter/ package)
# and the summit client works against a test server (server_test.go: verdicts, provenance,
# deprecation, Retry-After, timeouts, traceparent) and against Prism serving the emitted OpenAPI
# documents with request validation on, every operation (prism_test.go); so is the client of
# tests/sdk/wire (wire names, @nullable, @status: wire_prism_test.go), Prism answering each
# operation's declared success status.
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
# Prism comes from tests/sdk's npm install (tests/run installs it first).
prism="${CHARTER_SDK_DEPS:-${XDG_CACHE_HOME:-$HOME/.cache}/charter-tests/sdk}/node_modules/.bin/prism"
if [ ! -x "$prism" ]; then
  printf 'SKIP sdk-go Prism round trips: no %s (tests/run installs it)\n' "$prism"
  prism=""
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0
for ws in examples/* tests/sdk/hostile tests/sdk/hostile-go tests/sdk/wire; do
  name=$(basename "$ws")
  "$charter" build "$ws" --target sdk-go,openapi --out "$out/$name" >/dev/null
  sdk="$out/$name/sdk-go"
  if [ "$name" = summit ]; then
    cp tests/sdk-go/verdict_test.go "$sdk/charter/"
    cp tests/sdk-go/server_test.go tests/sdk-go/decode_test.go "$sdk/summit/lineage/"
    mkdir -p "$sdk/prism"
    cp tests/sdk-go/prism_test.go tests/sdk-go/prismkit_test.go "$sdk/prism/"
  fi
  if [ "$name" = wire ]; then
    mkdir -p "$sdk/prism"
    cp tests/sdk-go/wire_prism_test.go tests/sdk-go/prismkit_test.go "$sdk/prism/"
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
    if [ "${ws#examples/}" != "$ws" ]; then
      # Go naming (ST1003: initialisms such as EntityID, no underscores), which staticcheck skips
      # in generated files: checked on a copy without the `Code generated` line. (The hostile
      # workspaces' collision suffixes, `Validate_2`, are underscores by design.)
      naming="$out/$name-naming"
      cp -r . "$naming"
      find "$naming" -name '*.go' -exec sed -i '/^\/\/ Code generated .* DO NOT EDIT\.$/d' {} +
      (cd "$naming" && "$staticcheck" -checks ST1003 ./...)
    fi
    # The go line needs no toolchain download: the machine's Go builds it even when allowed to
    # switch toolchains, with the module proxy off (docs/sdk.md, "The Go SDK").
    GOTOOLCHAIN=auto GOPROXY=off go build ./...
    CHARTER_VERDICT_VECTORS="$root/tests/sdk/vectors/verdicts.json" CHARTER_PRISM="$prism" \
      CHARTER_OPENAPI="$out/$name/openapi" go test ./...
  ) && printf 'ok   sdk-go %s\n' "$name" || { printf 'FAIL sdk-go %s\n' "$name"; failed=1; }
done

# N-1 compatibility (docs/sdk.md, "Compatibility shims"): Go code written against the previous
# release's SDK builds against today's SDK built with `--compat` (tests/sdk-go/compat/).
compat() { # compat WORKSPACE CONSUMER [charter build arguments...]: builds the consumer
  local workspace=$1 consumer=$2 dir
  shift 2
  dir=$(mktemp -d -p "$out")
  "$charter" build "$workspace" --target sdk-go --out "$dir" "$@" >/dev/null 2>&1
  mkdir -p "$dir/sdk-go/compat"
  cp "tests/sdk-go/compat/$consumer" "$dir/sdk-go/compat/"
  (cd "$dir/sdk-go" && go vet ./compat/ 2>&1)
}
check() { # check NAME COMMAND...: ok when the command succeeds
  if "${@:2}" >"$out/log" 2>&1; then printf 'ok   sdk-go %s\n' "$1"; else printf 'FAIL sdk-go %s\n' "$1"; cat "$out/log"; failed=1; fi
}
refused() { # refused NAME COMMAND...: ok when the command fails
  if "${@:2}" >"$out/log" 2>&1; then printf 'FAIL sdk-go %s (built)\n' "$1"; failed=1; else printf 'ok   sdk-go %s\n' "$1"; fi
}
check "compat: the summit-v1 consumer against the v1 SDK" compat tests/evolution/summit-v1 summit_v1.go
check "compat: the summit-v1 consumer against today's SDK with --compat" \
  compat examples/summit summit_v1.go --compat tests/evolution/summit-v1
demo="$out/demo"
source='package demo\n\nrecord Item {\n  id: int\n}\n\nservice Shop version "1.0.0" {\n  op get_item GET "/items/{id}" (id: int) -> Item\n}\n'
for side in old new; do
  mkdir -p "$demo/$side/src"
  printf '[package]\nname = "demo"\nversion = "1.0.0"\n[build]\nsources = ["src"]\n' >"$demo/$side/charter.toml"
done
printf "$source" | sed 's/op get_item/op fetch/' >"$demo/old/src/demo.charter"
printf "$source" >"$demo/new/src/demo.charter"
check "compat: a renamed operation's consumer against the old SDK" compat "$demo/old" rename.go
check "compat: a renamed operation's old name with --compat" compat "$demo/new" rename.go --compat "$demo/old"
refused "compat: a renamed operation's old name without --compat" compat "$demo/new" rename.go
exit "$failed"
