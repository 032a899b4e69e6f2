"""OPA decides exactly as Charter does (docs/decisions.md).

For every test case of every example, the native verdict (`charter test --format json`, and
`charter eval` for every input it accepts) must equal, field by field, what the real OPA
returns for `data.charter.<package>.<policy>.verdict` from the bundle `charter build` wrote;
the rules OPA sees match (`matches`) must be the ones `charter eval` reports; and
`data.charter.router.verdict` must give the same verdict when the policy alone decides the
action, and always when the input names the policy (`input.policy`); test_router.py compares the
router with `charter eval`'s on every kind of route.

Then every case is varied one attribute at a time (booleans flipped, strings and enum values
swapped for others seen at the same place, numbers moved, optional attributes dropped, other
actions), and every variant `charter eval` accepts is compared the same way.
"""

import copy
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from opa_bindings import OpaUndefinedError

from conftest import examples, loose_files, native_cases, native_eval

FIELDS = ["allow", "decider", "rule_id", "reason", "policy_version", "canary"]

# Policies whose disagreement is known and pinned by a strict xfail elsewhere (none now).
KNOWN: dict[str, str] = {}


def document(policy):
    return "charter." + policy


def opa_verdict(engine, policy, input_):
    return engine.eval_document(document(policy) + ".verdict", input_)


def opa_matches(engine, policy, input_):
    try:
        return set(engine.eval_document(document(policy) + ".matches", input_))
    except OpaUndefinedError:
        return set()


def differences(native, opa, label):
    """Why the two verdicts differ, field by field (empty when they agree)."""
    if set(opa) != set(FIELDS):
        return [f"{label}: OPA verdict fields {sorted(opa)}"]
    return [
        f"{label}: `{field}` differs: charter {native[field]!r}, OPA {opa[field]!r}"
        for field in FIELDS
        if opa[field] != native[field]
    ]


def assert_same(native, opa, label):
    problems = differences(native, opa, label)
    assert not problems, "\n".join(problems)


def routes(bundles, example):
    return json.loads(loose_files(bundles[example])["data.json"])["charter"]["routes"]


def only_decider(table, policy, action):
    """Whether `policy` is the only policy deciding `action` (then the router, given the action
    alone, gives exactly its verdict)."""
    deciders = {p for listed in table.get(action, {}).values() for p in listed}
    return deciders == {policy}


def check_router(engine, table, policy, input_, native, label):
    """The router's verdict is defined; it is the policy's when the input names the policy, and
    when the policy alone decides the action (tests/opa/test_router.py compares the router with
    `charter eval` on every route)."""
    verdict = engine.eval_document("charter.router.verdict", input_)
    assert verdict is not None, f"{label}: the router gave no verdict"
    named = engine.eval_document("charter.router.verdict", dict(input_, policy=policy))
    assert_same(native, named, label + " (router, input.policy)")
    if only_decider(table, policy, input_.get("action")):
        assert_same(native, verdict, label + " (router)")
        return True
    return False


@pytest.mark.parametrize("example", examples())
def test_every_case_agrees(charter, bundles, engines, example):
    engine = engines[example]
    table = routes(bundles, example)
    cases = native_cases(charter, example)
    routed = 0
    problems = []
    for case in (c for c in cases if c["policy"] not in KNOWN):
        label = f"{case['policy']} {case['name']!r}"
        native = case["verdict"]
        opa = opa_verdict(engine, case["policy"], case["input"])
        if differences(native, opa, label):
            problems += differences(native, opa, label)
            continue
        assert opa_matches(engine, case["policy"], case["input"]) == {
            m["rule"] for m in case["matched"]
        }, label
        code, evaluated = native_eval(charter, example, case["policy"], case["input"])
        if code == 0:
            assert evaluated["verdict"] == native, f"{label}: charter eval != charter test"
        else:
            # Generated cases may leave attributes out; eval validates its input, test does not.
            assert case["generated"] and "input_errors" in evaluated, label
        routed += check_router(engine, table, case["policy"], case["input"], native, label)
    assert not problems, f"{len(problems)} disagreement(s):\n" + "\n".join(problems)
    print(f"{example}: {len(cases)} cases agree, {routed} also through the router")


def leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, path + (key,))
    else:
        yield path, value


def set_at(document_, path, value):
    out = copy.deepcopy(document_)
    target = out
    for key in path[:-1]:
        target = target[key]
    if value is DROP:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return out


DROP = object()


def variants(cases, table):
    """Single-attribute variations of every written case, deduplicated."""
    seen_values = {}
    for case in cases:
        for root in ("subject", "resource", "context"):
            for path, value in leaves(case["input"].get(root, {}), (root,)):
                if isinstance(value, str):
                    seen_values.setdefault((case["policy"], path), set()).add(value)
    out = {}
    for case in cases:
        if case["generated"]:
            continue
        policy, base = case["policy"], case["input"]
        found = [set_at(base, ("action",), a) for a in table_actions(table, policy)]
        for root in ("subject", "resource", "context"):
            for path, value in leaves(base.get(root, {}), (root,)):
                if isinstance(value, bool):
                    found.append(set_at(base, path, not value))
                elif isinstance(value, (int, float)):
                    found += [set_at(base, path, v) for v in (value - 1, value + 1, 0.5, 0)]
                elif isinstance(value, str):
                    found += [
                        set_at(base, path, v)
                        for v in sorted(seen_values.get((policy, path), ()))
                        if v != value
                    ]
                found.append(set_at(base, path, DROP))
        for variant in found:
            out[(policy, json.dumps(variant, sort_keys=True))] = (policy, variant)
    return list(out.values())


def table_actions(table, policy):
    return sorted(
        a for a, by_type in table.items() for listed in by_type.values() if policy in listed
    )


@pytest.mark.parametrize("example", examples())
def test_variants_agree(charter, bundles, engines, example):
    engine = engines[example]
    table = routes(bundles, example)
    todo = variants(native_cases(charter, example), table)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(
            pool.map(lambda pv: native_eval(charter, example, pv[0], pv[1]), todo)
        )
    compared = 0
    problems = []
    for (policy, variant), (code, evaluated) in zip(todo, results):
        if code != 0:
            assert evaluated and "input_errors" in evaluated, (policy, variant)
            continue
        label = f"{policy} {json.dumps(variant)}"
        compared += 1
        found = differences(evaluated["verdict"], opa_verdict(engine, policy, variant), label)
        if found:
            problems += found
            continue
        assert opa_matches(engine, policy, variant) == {
            m["rule"] for m in evaluated["matched"]
        }, label
        check_router(engine, table, policy, variant, evaluated["verdict"], label)
    assert compared > 0 or not todo
    assert not problems, f"{len(problems)} disagreement(s) in {compared} variants:\n" + "\n".join(
        problems
    )
    print(f"{example}: {compared} of {len(todo)} variants evaluated, all agree")
