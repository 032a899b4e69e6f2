"""Benchmark (not a test): the same decisions in the real OPA as in Charter's native evaluator,
and OPA's time to compile a bundle next to Charter's time to produce it.

    cargo build --release -p charter-cli -p charter-bench
    .tools/venv/bin/python tests/opa/bench_opa.py

Prints one line per measure; docs/benchmarks.md records them.
"""

import json
import pathlib
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from opa_bindings import OpaEngine  # noqa: E402

from conftest import eval_raw  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[2]
RELEASE = REPO / "target" / "release"


def load_bundle(folder):
    engine = OpaEngine()
    for path in sorted(folder.rglob("*.rego")):
        engine.add_policy(path.relative_to(folder).as_posix(), path.read_text())
    engine.add_data(json.loads((folder / "data.json").read_text()))
    return engine


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    # 1. Decisions of a 50-rule policy: OPA per decision (the native figure comes from divan).
    subprocess.run([str(RELEASE / "charter-policy-cases"), str(tmp / "p"), "--policies", "1", "--inputs", "2000", "--rules", "50"], check=True, capture_output=True)
    subprocess.run([str(RELEASE / "charter"), "build", str(tmp / "p"), "--target", "rego", "--out", str(tmp / "p-out")], check=True, capture_output=True)
    engine = load_bundle(tmp / "p-out" / "rego")
    cases = json.loads((tmp / "p" / "cases.json").read_text())
    raw = [("charter." + c["policy"] + ".verdict", c["input_text"].encode()) for c in cases]
    eval_raw(engine, *raw[0])
    start = time.perf_counter()
    for path, text in raw:
        eval_raw(engine, path, text)
    per = (time.perf_counter() - start) / len(cases)
    print(f"opa: 50-rule policy, {per * 1e6:.1f} us per decision over {len(cases)} decisions (through the Python bindings)")
    # 2. The large workspace: Charter builds and signs the bundle; OPA compiles it.
    big = tmp / "big"
    subprocess.run([str(RELEASE / "charter-gen"), str(big), "--lines", "100000"], check=True, capture_output=True)
    key = tmp / "key.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", str(key)], check=True, capture_output=True)
    start = time.perf_counter()
    subprocess.run([str(RELEASE / "charter"), "build", str(big), "--target", "rego", "--out", str(tmp / "big-out"), "--signing-key", str(key)], check=True, capture_output=True)
    charter_s = time.perf_counter() - start
    folder = tmp / "big-out" / "rego"
    modules = len(list(folder.rglob("*.rego")))
    lines = sum(p.read_text().count("\n") for p in folder.rglob("*.rego"))
    start = time.perf_counter()
    engine = load_bundle(folder)
    engine.eval_query("x = data.charter")
    opa_s = time.perf_counter() - start
    print(f"charter: check + emit + sign the bundle of {modules} modules ({lines} lines of Rego): {charter_s * 1000:.0f} ms (whole process)")
    print(f"opa: load and compile the same bundle: {opa_s * 1000:.0f} ms")


if __name__ == "__main__":
    main()
