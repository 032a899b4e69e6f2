# Sourced by run.sh: the crates as a public release would publish them (nothing is published).

# Every crate but the benchmarks names what crates.io shows.
metadata() {
  cargo metadata --locked --offline --no-deps --format-version 1 | "$tools/python" -c '
import json, sys
packages = [p for p in json.load(sys.stdin)["packages"] if p["publish"] != []]
need = ("description", "repository", "homepage", "license", "readme", "keywords", "categories")
names = sorted(p["name"] for p in packages)
assert names == ["charter", "charter-cli", "charter-codegen", "charter-interop", "charter-lsp"], names
for p in packages:
    missing = [k for k in need if not p.get(k)]
    assert not missing, (p["name"], missing)
    assert len(p["keywords"]) <= 5, p["name"]
    print(p["name"], "ok")
'
}
check "cargo: every published crate names description, repository, license, readme, keywords, categories" metadata

# `cargo package --list`: the files each crate would ship, README included.
package_list() {
  local list
  list=$(cargo package --list --allow-dirty --locked --offline -p "$1")
  for file in Cargo.toml README.md "$2"; do
    grep -qx "$file" <<<"$list" || { echo "$1: $file is not packaged"; echo "$list"; return 1; }
  done
}
for crate in charter:src/lib.rs charter-codegen:src/lib.rs charter-interop:src/lib.rs \
  charter-lsp:src/main.rs charter-cli:src/main.rs; do
  check "cargo package --list -p ${crate%%:*}" package_list "${crate%%:*}" "${crate#*:}"
done

# `cargo install --path cli` and `--path lsp` (the release build above is reused: same target
# folder, same profile), into a folder of their own.
cargo_install() {
  CARGO_TARGET_DIR="$root/target" cargo install --locked --offline -q --path "$1" --root "$work/cargo"
  [ "$("$work/cargo/bin/$2" --version)" = "$3" ]
}
check "cargo install --path cli: charter" cargo_install cli charter "$version_line"
check "cargo install --path lsp: charter-lsp" cargo_install lsp charter-lsp "charter-lsp $version"
