# Sourced by run.sh: the npm packages (packaging/npm), packed, and installed OFFLINE (with an empty
# npm cache) into a fresh folder: nothing can be downloaded, so nothing is.

npm_pack() {
  node packaging/npm/stage.js "$work/npm" "$version" "$charter" "$lsp" >/dev/null
  mkdir -p "$work/tgz"
  for dir in "$work"/npm/*/; do
    (cd "$dir" && npm pack --silent --pack-destination "$work/tgz" >/dev/null)
  done
  ls "$work"/tgz/*.tgz
  # No install script in either package: npm runs nothing, downloads nothing.
  for dir in "$work"/npm/*/; do
    node -e 'const p = require(process.argv[1]); if (p.scripts) { console.error(p.name, "has scripts"); process.exit(1) }' "$dir/package.json"
  done
}
check "npm: the launcher and this platform's package, staged and packed" npm_pack
launcher=$(ls "$work"/tgz/charter-lang-charter-*.tgz 2>/dev/null | head -n 1 || true)
platform=$(ls "$work"/tgz/charter-lang-cli-*.tgz 2>/dev/null | head -n 1 || true)
launcher_size=$( [ -n "$launcher" ] && wc -c <"$launcher" || echo 0)
platform_size=$( [ -n "$platform" ] && wc -c <"$platform" || echo 0)

# npm install --offline of the two tarballs into a fresh folder; npx runs the binaries.
npm_offline() {
  local app="$work/npm-app-$1"
  mkdir -p "$app"
  (
    cd "$app"
    printf '{"name": "app", "version": "1.0.0", "private": true}\n' >package.json
    npm install --offline --cache "$work/npm-cache-$1" --no-audit --no-fund --loglevel=error "${@:2}"
  )
}
npx_version() {
  npm_offline full "$launcher" "$platform"
  (
    cd "$work/npm-app-full"
    [ "$(npx --no-install charter --version)" = "$version_line" ]
    [ "$(npx --no-install charter-lsp --version)" = "charter-lsp $version" ]
    npx --no-install charter check "$root/examples/hello"
  )
}
check "npm install --offline of the tarballs into a fresh folder: npx charter --version, charter-lsp, check" npx_version

# Without the platform package (optional dependencies omitted) the launcher says so, exit 2.
npx_missing() {
  npm_offline omit --omit=optional "$launcher"
  local status=0
  (cd "$work/npm-app-omit" && npx --no-install charter --version) 2>"$work/npx-stderr" || status=$?
  [ "$status" = 2 ] && grep -q 'is not installed' "$work/npx-stderr" || { cat "$work/npx-stderr"; return 1; }
}
check "npm install --omit=optional: the launcher names the missing platform package (exit 2)" npx_missing
