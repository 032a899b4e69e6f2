"""The router decides exactly as `charter eval` without `--policy` does (docs/decisions.md,
"The router"), and is never undefined.

For every workspace with policies, router inputs are made from every test case's input: as it
is (the action alone), with the case policy's `resource_type`, naming the case's policy, naming
a policy that does not decide the action, naming no policy at all, with an unknown resource
type and with an unknown action; then malformed inputs (not an object, `action` missing or not
a string, `policy` or `resource_type` not a string) and, where several policies apply, context
attributes none of them declares. For each, OPA's `data.charter.router.verdict`, `.policy` and
`.policies` must equal what `charter eval --format json` prints, field by field.
"""

import copy
import json
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import REPO, examples, native_cases
from test_agreement import FIELDS, differences, routes

MALFORMED = [
    [],
    "read",
    None,
    1,
    {},
    {"action": 1},
    {"action": None, "policy": 1},
    {"policy": False},
    {"action": "read", "policy": None},
    {"action": "read", "resource_type": 5},
    {"action": "read", "policy": "x", "resource_type": ["y"]},
    {"action": ["read"], "resource_type": "x"},
]


def native_route(charter, example, document):
    """`charter eval <example> --input - --format json` without `--policy`: the router."""
    result = subprocess.run(
        [str(charter), "eval", example, "--input", "-", "--format", "json"],
        cwd=REPO,
        input=json.dumps(document),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def opa_document(engine, name, document):
    """`data.charter.router.<name>`, None when undefined."""
    from opa_bindings import OpaUndefinedError

    try:
        return engine.eval_document("charter.router." + name, document)
    except OpaUndefinedError:
        return None


def router_inputs(cases, table):
    """Router inputs made from the cases' inputs, deduplicated."""
    policies = sorted({p for by_type in table.values() for listed in by_type.values() for p in listed})
    types = {p: t for by_type in table.values() for t, listed in by_type.items() for p in listed}
    found = {}

    def add(document):
        found[json.dumps(document, sort_keys=True)] = document

    for case in cases:
        base = copy.deepcopy(case["input"])
        policy = case["policy"]
        deciders = {p for listed in table.get(base.get("action"), {}).values() for p in listed}
        add(base)
        add(dict(base, resource_type=types[policy]))
        add(dict(base, policy=policy))
        add(dict(base, policy=policy, resource_type="no.Such"))
        for other in sorted(set(policies) - deciders)[:1]:
            add(dict(base, policy=other))
        add(dict(base, policy="no.such.policy"))
        add(dict(base, resource_type="no.Such"))
        add(dict(base, action="no_such_action"))
        if len(deciders) > 1 and isinstance(base.get("context"), dict):
            add(dict(base, context=dict(base["context"], zz_unknown=1, aa_unknown=True)))
        # The case's context with every other decider's attributes it lacks left out or added
        # from another case of that decider: the same action seen by several policies.
        for other_case in cases:
            if other_case["policy"] in deciders and other_case["policy"] != policy:
                merged = dict(base.get("context") or {}, **(other_case["input"].get("context") or {}))
                add(dict(base, context=merged))
                break
    for document in MALFORMED:
        add(document)
    return list(found.values())


@pytest.mark.parametrize("example", examples())
def test_the_router_agrees_with_charter_eval(charter, bundles, engines, example):
    engine = engines[example]
    table = routes(bundles, example)
    todo = router_inputs(native_cases(charter, example), table)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda d: native_route(charter, example, d), todo))
    problems = []
    rule_ids = set()
    for document, (code, native) in zip(todo, results):
        label = json.dumps(document)[:300]
        verdict = opa_document(engine, "verdict", document)
        if verdict is None:
            problems.append(f"{label}: the router's verdict is undefined")
            continue
        problems += differences(native["verdict"], verdict, label)
        for name in ("policy", "policies"):
            opa = opa_document(engine, name, document)
            if opa != native[name]:
                problems.append(f"{label}: `{name}` differs: charter {native[name]!r}, OPA {opa!r}")
        invalid = native["verdict"]["rule_id"] in ("input_invalid", "charter.router.input_invalid")
        assert code == (1 if invalid else 0), label
        rule_ids.add(native["verdict"]["rule_id"])
    assert not problems, f"{len(problems)} disagreement(s) in {len(todo)} inputs:\n" + "\n".join(problems[:40])
    # The router's own denials were all met.
    for rule_id in ("charter.router.input_invalid", "charter.router.no_policy", "charter.router.policy_not_applicable"):
        assert rule_id in rule_ids, f"{example}: no input was denied with {rule_id}"
    if example == "tests/opa/workspaces/router":
        # `read` is decided on `Doc` (by two policies with different contexts) and on `Log`.
        assert "charter.router.resource_type_required" in rule_ids
    print(f"{example}: {len(todo)} router inputs agree; rule ids {sorted(rule_ids)}")


def test_two_policies_with_different_contexts(charter, engines):
    """tests/opa/workspaces/router: `fleet.a` (with `Mfa`) and `fleet.b` (no context) both decide
    `read` on `Doc`: one context serves both, and `b`'s denial wins over `a`'s allow."""
    engine = engines["tests/opa/workspaces/router"]
    base = {"action": "read", "resource_type": "fleet.Doc", "subject": {"id": "u", "admin": True},
            "resource": {"id": "d", "approved": True}, "context": {"mfa": True}}
    seen = []
    for approved in (True, False):
        document = dict(base, resource={"id": "d", "approved": approved})
        code, native = native_route(charter, "tests/opa/workspaces/router", document)
        opa = engine.eval_document("charter.router.verdict", document)
        assert not differences(native["verdict"], opa, json.dumps(document)), (native, opa)
        assert native["policies"] == ["fleet.a", "fleet.b"]
        seen.append((opa["allow"], opa["decider"], opa["rule_id"]))
    assert seen == [(True, "fleet.a", "admins"), (False, "fleet.b", "unapproved")]


def test_deny_overrides_on_summit(charter, engines):
    """summit: `dataset_access` and `export_control` both decide `read` on `Dataset`; each reads
    its own context's attributes, and one's denial wins over the other's allow."""
    engine = engines["examples/summit"]
    base = {
        "action": "read",
        "subject": {"id": "u-1", "tenant": "acme", "roles": ["admin"], "clearance": "secret",
                    "department": "eng", "mfa_enrolled": True},
        "resource": {"id": "ds-1", "tenant": "acme", "classification": "internal", "owner": "u-1",
                     "residency": "EU", "contains_pii": False, "legal_hold": False},
        "context": {"mfa": True, "ip_trusted": True, "external": False, "baa_signed": False},
    }
    code, native = native_route(charter, "examples/summit", base)
    opa = engine.eval_document("charter.router.verdict", base)
    assert not differences(native["verdict"], opa, "summit read"), (native, opa)
    assert native["policies"] == ["summit.policy.dataset_access", "summit.policy.export_control"]
    # Every applicable policy decided; the verdict is the first denial's, or the first allow.
    verdicts = [d["verdict"] for d in native["decisions"]]
    assert len(verdicts) == 2
    denials = [v for v in verdicts if not v["allow"]]
    assert native["verdict"] == (denials[0] if denials else verdicts[0])
    assert set(FIELDS) == set(opa)
