# Sourced by run.sh: the Python wheel (packaging/python, maturin `bin` bindings), built from the
# release build above, installed into a fresh venv.

# maturin builds `charter` from cli/ (cargo finds the release build fresh); `charter-lsp` is a
# script of the wheel's data folder, copied from the same build.
build_wheel() {
  mkdir -p packaging/python/data/scripts "$work/wheels"
  cp "$lsp" packaging/python/data/scripts/charter-lsp
  (cd packaging/python && "$tools/maturin" build --release --locked --offline --quiet --out "$work/wheels")
}
check "maturin build: the wheel" build_wheel
wheel=$(ls "$work"/wheels/*.whl 2>/dev/null | head -n 1 || true)
wheel_size=$( [ -n "$wheel" ] && wc -c <"$wheel" || echo 0)

# Its name, tag and metadata: this platform's tag, the project named, both binaries inside.
wheel_metadata() {
  "$tools/python" - "$wheel" "$version" <<'PY'
import re, sys, sysconfig, zipfile
from pathlib import Path
wheel, version = Path(sys.argv[1]), sys.argv[2]
name, ver, python, abi, platform = wheel.stem.split("-")
assert (name, ver, python, abi) == ("charter_cli", version, "py3", "none"), wheel.name
# manylinux_2_X_x86_64 / linux_x86_64 on Linux: the machine's architecture, nothing universal.
machine = sysconfig.get_platform().split("-")[-1].replace("-", "_")
assert any(p.endswith("_" + machine) for p in platform.split(".")), (platform, machine)
assert sysconfig.get_platform().split("-")[0] in platform, platform  # linux in manylinux_…
with zipfile.ZipFile(wheel) as z:
    files = z.namelist()
    meta = z.read(f"charter_cli-{version}.dist-info/METADATA").decode()
    tag = z.read(f"charter_cli-{version}.dist-info/WHEEL").decode()
for script in ("charter", "charter-lsp"):
    assert f"charter_cli-{version}.data/scripts/{script}" in files, files
assert re.search(r"^Name: charter-cli$", meta, re.M), meta
assert re.search(rf"^Version: {re.escape(version)}$", meta, re.M), meta
assert re.search(r"^Summary: Compiler for the Charter governance language", meta, re.M), meta
assert re.search(r"^Project-URL: Repository, https://", meta, re.M), meta
assert "Root-Is-Purelib: false" in tag and f"Tag: py3-none-{platform.split('.')[0]}" in tag, tag
print(wheel.name, "ok")
PY
}
check "the wheel: this platform's tag, metadata naming charter-cli, charter and charter-lsp inside" wheel_metadata

# pip install into a fresh venv (no index): both programs on the venv's PATH, and they work.
wheel_install() {
  python3 -m venv "$work/venv"
  "$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index "$wheel"
  [ "$(PATH="$work/venv/bin:/usr/bin:/bin" charter --version)" = "$version_line" ]
  [ "$(PATH="$work/venv/bin:/usr/bin:/bin" charter-lsp --version)" = "charter-lsp $version" ]
  PATH="$work/venv/bin:/usr/bin:/bin" charter check examples/hello
}
check "pip install of the wheel into a fresh venv: charter --version, charter-lsp, charter check" wheel_install
