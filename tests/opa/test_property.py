"""Property: on generated policies over a generated schema, with generated inputs full of edge
cases (missing attributes, nulls, empty sets, equal ordered-enum levels, boundary numbers,
missing or invalid provenance), the real OPA and Charter's native evaluator never disagree.

`charter-policy-cases` (benches/) writes the workspace and, for every input, the native verdict;
`charter build` emits the bundle; OPA decides every input again. At least 10,000 pairs run per
CI run (`CHARTER_PROPERTY_POLICIES` x `CHARTER_PROPERTY_INPUTS`, default 50 x 200), with a seed
that changes every run unless `CHARTER_PROPERTY_SEED` pins it. A disagreement prints a minimal
reproduction: the policy's source, the input, both verdicts.
"""

import json
import os
import pathlib
import subprocess
import time

from conftest import REPO, archive_files, build, engine_for

CASES_BIN = REPO / "target" / "debug" / "charter-policy-cases"
FIELDS = ["allow", "decider", "rule_id", "reason", "policy_version", "canary"]


def test_opa_agrees_with_the_native_evaluator_on_generated_policies(charter, tmp_path):
    policies = int(os.environ.get("CHARTER_PROPERTY_POLICIES", "50"))
    inputs = int(os.environ.get("CHARTER_PROPERTY_INPUTS", "200"))
    seed = int(os.environ.get("CHARTER_PROPERTY_SEED", str(int(time.time()) % 1_000_000)))
    if not os.environ.get("CHARTER_SKIP_BUILD"):
        subprocess.run(["cargo", "build", "-q", "-p", "charter-bench"], cwd=REPO, check=True)
    workspace = tmp_path / "fuzz"
    subprocess.run(
        [str(CASES_BIN), str(workspace), "--policies", str(policies), "--inputs", str(inputs), "--seed", str(seed)],
        check=True,
        capture_output=True,
        text=True,
    )
    cases = json.loads((workspace / "cases.json").read_text())
    assert len(cases) == policies * inputs
    folder = build(charter, str(workspace), tmp_path / "out")
    engine = engine_for(archive_files(folder))
    disagreements = []
    for case in cases:
        opa = engine.eval_document("charter." + case["policy"] + ".verdict", case["input"])
        native = case["verdict"]
        if any(opa.get(f) != native.get(f) for f in FIELDS):
            disagreements.append((case, opa))
    if disagreements:
        # The smallest reproduction: the input with the fewest attributes.
        case, opa = min(disagreements, key=lambda d: len(json.dumps(d[0]["input"])))
        package = case["policy"].rsplit(".", 1)[0]
        source = next(
            p.read_text() for p in (workspace / "src").rglob("*.charter") if f"package {package}\n" in p.read_text()
        )
        raise AssertionError(
            f"{len(disagreements)} of {len(cases)} decisions disagree (seed {seed}).\n"
            f"policy {case['policy']}:\n{source}\n"
            f"input: {json.dumps(case['input'], sort_keys=True)}\n"
            f"native: {json.dumps(case['verdict'], sort_keys=True)}\n"
            f"opa:    {json.dumps(opa, sort_keys=True)}"
        )
    print(f"{len(cases)} (policy, input) pairs, seed {seed}: no disagreement")
