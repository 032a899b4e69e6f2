"""The bundle as OPA loads it: every module compiles, the archive holds exactly the loose files,
the manifest's roots cover every package and datum without overlapping, and the build is
byte-for-byte deterministic."""

import json
import re

import pytest

from conftest import archive_files, build, engine_for, examples, loose_files, unpack


@pytest.mark.parametrize("example", examples())
def test_every_module_compiles_in_opa(bundles, example):
    files = loose_files(bundles[example])
    modules = [p for p in files if p.endswith(".rego")]
    assert "charter/router/router.rego" in modules
    assert "charter/router/egress.rego" in modules
    assert len(modules) >= 2
    engine_for(files)


@pytest.mark.parametrize("example", examples())
def test_modules_are_rego_v1(bundles, example):
    for path, data in loose_files(bundles[example]).items():
        if path.endswith(".rego"):
            text = data.decode()
            assert "\nimport rego.v1\n" in text, path
            package = re.search(r"^package (\S+)$", text, re.M).group(1)
            assert package.startswith("charter."), path


@pytest.mark.parametrize("example", examples())
def test_archive_holds_the_loose_files(bundles, example):
    folder = bundles[example]
    assert archive_files(folder) == loose_files(folder)
    members = unpack((folder / "bundle.tar.gz").read_bytes())
    assert [m.name for m in members] == sorted(m.name for m in members)
    for m in members:
        assert (m.mtime, m.uid, m.gid, m.uname, m.gname) == (0, 0, 0, "", ""), m.name


@pytest.mark.parametrize("example", examples())
def test_manifest_roots_cover_everything(bundles, example):
    files = loose_files(bundles[example])
    manifest = json.loads(files[".manifest"])
    assert manifest["rego_version"] == 1
    assert set(manifest["metadata"]) == {"package", "version"}
    assert re.fullmatch(r"[0-9a-f]{64}", manifest["revision"])
    roots = [r.split("/") for r in manifest["roots"]]

    def within(path):
        return any(path[: len(r)] == r for r in roots)

    for i, a in enumerate(roots):
        for b in roots[i + 1 :]:
            n = min(len(a), len(b))
            assert a[:n] != b[:n], f"roots overlap: {a} {b}"
    for path, data in files.items():
        if path.endswith(".rego"):
            package = re.search(r"^package (\S+)$", data.decode(), re.M).group(1)
            assert within(package.split(".")), f"{package} outside the roots"

    def leaves(value, path):
        if isinstance(value, dict) and value and not within(path):
            for key, item in value.items():
                yield from leaves(item, path + [key])
        else:
            yield path

    for leaf in leaves(json.loads(files["data.json"]), []):
        assert within(leaf), f"data at {'/'.join(leaf)} outside the roots"


@pytest.mark.parametrize("example", examples())
def test_build_is_deterministic(charter, bundles, example, tmp_path):
    again = build(charter, example, tmp_path)
    first = bundles[example]
    assert loose_files(again) == loose_files(first)
    assert (again / "bundle.tar.gz").read_bytes() == (first / "bundle.tar.gz").read_bytes()
