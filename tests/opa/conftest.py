"""Fixtures for the OPA agreement tests: the real `charter` binary, the bundles it builds, and
an embedded OPA (opa-golib-python-bindings) loaded with each bundle.

Run through `tests/run`, which installs the venv; or by hand:
`.tools/venv/bin/python -m pytest tests/opa`.
"""

import io
import json
import os
import pathlib
import subprocess
import tarfile

import pytest
from opa_bindings import OpaEngine
from opa_bindings.engine import _cstr

REPO = pathlib.Path(__file__).resolve().parents[2]
CHARTER = REPO / "target" / "debug" / "charter"


def examples():
    """Every workspace with a policy: the examples, then the test workspaces of tests/opa, as
    paths relative to the repository."""
    found = []
    for parent in (REPO / "examples", REPO / "tests" / "opa" / "workspaces"):
        for folder in sorted(parent.iterdir()):
            if (folder / "charter.toml").exists() and any(
                "policy " in p.read_text() for p in folder.rglob("*.charter")
            ):
                found.append(folder.relative_to(REPO).as_posix())
    return found


@pytest.fixture(scope="session")
def charter():
    """The `charter` binary, built once for the session."""
    if not os.environ.get("CHARTER_SKIP_BUILD"):
        subprocess.run(
            ["cargo", "build", "-q", "-p", "charter-cli"], cwd=REPO, check=True
        )
    assert CHARTER.exists(), f"{CHARTER} was not built"
    return CHARTER


def run(charter, *args, check=True):
    return subprocess.run(
        [str(charter), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=check,
    )


def build(charter, example, out):
    """`charter build <example> --target rego --out <out>`; the rego folder."""
    run(charter, "build", example, "--target", "rego", "--out", str(out))
    return pathlib.Path(out) / "rego"


def loose_files(folder):
    """The bundle's files beside bundle.tar.gz, by path relative to the folder."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "bundle.tar.gz"
    }


def archive_files(folder):
    """The files inside bundle.tar.gz, by path, in archive order."""
    with tarfile.open(folder / "bundle.tar.gz", "r:gz") as tar:
        return {
            m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()
        }


def engine_for(files):
    """An OPA engine with the bundle's modules and data.json, every module compiled."""
    engine = OpaEngine()
    for path, data in files.items():
        if path.endswith(".rego"):
            engine.add_policy(path, data.decode())
    engine.add_data(json.loads(files["data.json"]))
    # Compilation is lazy: one query over the whole tree compiles every module.
    engine.eval_query("x = data.charter")
    return engine


def eval_raw(engine, path, raw):
    """The document `data.<path>` for an input given as raw JSON bytes, passed to OPA as they
    are (`eval_document` would re-encode a Python value, and numbers such as
    `0.99999999999999999` do not survive a Python float). None when the document is undefined;
    OPA's errors are raised (opa_bindings.OpaError)."""
    with engine._eval_lock:
        engine._eval_reset()
        rs = engine._eval_result(
            engine._call(engine._lib.OpaEvalDocument, _cstr(path), raw, 0, 0)
        )
    if not rs or not rs[0].get("expressions"):
        return None
    return rs[0]["expressions"][0]["value"]


@pytest.fixture(scope="session")
def bundles(charter, tmp_path_factory):
    """example name -> the built rego folder."""
    out = {}
    for example in examples():
        out[example] = build(charter, example, tmp_path_factory.mktemp("bundle"))
    return out


@pytest.fixture(scope="session")
def engines(bundles):
    """example name -> an OPA engine loaded from the example's bundle.tar.gz."""
    return {name: engine_for(archive_files(folder)) for name, folder in bundles.items()}


def native_cases(charter, example):
    """`charter test --format json`: every case with its input and native verdict."""
    result = run(charter, "test", example, "--format", "json", check=False)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["cases"]


def native_eval(charter, example, policy, document):
    """`charter eval --input - --format json` of one input: (returncode, parsed output)."""
    result = subprocess.run(
        [
            str(charter),
            "eval",
            example,
            "--policy",
            policy,
            "--input",
            "-",
            "--format",
            "json",
        ],
        cwd=REPO,
        input=json.dumps(document),
        capture_output=True,
        text=True,
        check=False,
    )
    output = json.loads(result.stdout) if result.stdout.strip() else None
    return result.returncode, output


def unpack(data):
    """A tar.gz's members as tarfile.TarInfo objects (for header checks)."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return tar.getmembers()
