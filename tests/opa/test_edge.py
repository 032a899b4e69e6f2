"""Hand-made inputs for tests/opa/workspaces/edge, whose conditions exercise what the Rego has to
get exactly right: timestamps by instant (offsets, fractions, leap days), durations by length
(units, signs, leading zeros), dates, map keys, numbers (`1 == 1.0`), optional attributes
absent or null, nested `not` and `or`, enum order, canaries, and rule names Rego reserves.

Every input `charter eval` accepts must get the same verdict and matched rules from OPA.
"""

import copy
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import native_eval
from test_agreement import differences, opa_matches, opa_verdict

WORKSPACE = "tests/opa/workspaces/edge"
POLICIES = ["edge.edge", "edge.names"]

BASE = {
    "action": "view",
    "subject": {
        "id": "p-1",
        "level": "mid",
        "colours": ["red"],
        "tags": {"team": "core"},
        "since": "2021-05-01",
        "seen": "2026-03-01T10:00:00Z",
        "grace": "30d",
        "score": 0.4,
        "count": 2,
        "admin": False,
    },
    "resource": {
        "id": "t-1",
        "level": "low",
        "opened": "2026-01-01T00:00:00Z",
        "expires": "2027-01-01",
        "ttl": "7d",
        "weight": 2.5,
        "owner": "pat",
    },
    "context": {
        "at": "2026-03-01T09:00:00+01:00",
        "window": "14d",
        "labels": {"x": 1},
        "ratio": 0.75,
    },
}

DROP = object()

# (root, attribute, values): each value replaces the base's, one at a time.
CHANGES = [
    ("action", None, ["view", "edit", "purge"]),
    ("subject", "level", ["low", "mid", "high"]),
    ("resource", "level", ["low", "mid", "high"]),
    ("subject", "colours", [[], ["green"], ["green", "red"]]),
    ("subject", "tags", [{}, {"team": ""}, {"Team": "x"}]),
    ("subject", "since", ["2019-12-31", "2020-01-01", "2020-01-02"]),
    (
        "subject",
        "seen",
        [
            "2025-12-31T23:59:59.999999999Z",
            "2026-01-01T00:00:00Z",
            "2026-01-01T01:00:00+01:00",
            "2026-01-01T00:59:59+01:00",
            "2025-12-31T19:00:00-05:00",
            "2025-12-31T18:59:59.5-05:00",
            "2024-02-29T12:00:00Z",
            "2026-01-01T00:00:00.000000001Z",
        ],
    ),
    (
        "subject",
        "last",
        [
            "2026-03-01T08:00:00Z",
            "2026-03-01T07:59:59Z",
            "2026-03-01T09:00:00+01:00",
            "2026-03-01T03:00:00-05:00",
            None,
            DROP,
        ],
    ),
    (
        "subject",
        "grace",
        ["23h", "1d", "24h", "1440m", "86400s", "1w", "5y", "1825d", "1826d"]
        + ["007d", "+2d", "-1d", "0s"],
    ),
    ("subject", "limit", ["7d", "8d", "168h", "1y", None, DROP]),
    ("resource", "ttl", ["14d", "2w", "337h", "15d", "-1d", "+15d", "0s", "106751991167300d"]),
    ("context", "window", ["1y", "6d", "0s", "-2d"]),
    ("context", "labels", [{}, {"x": 0}, {"y": 1}]),
    ("context", "ratio", [0.5, 0.50000001, 0, 1, 0.4999]),
    ("context", "flag", [True, False, None]),
    ("resource", "weight", [2, 2.0, 2.5, 3]),
    ("subject", "count", [0, 2, 3, 4]),
    ("subject", "nick", ["pat", "pa", None, DROP]),
    ("resource", "owner", ["pat", None, DROP]),
    ("resource", "expires", ["2025-12-31", "2026-01-01", "2028-02-29"]),
    ("subject", "score", [0.5, 0.51, 1]),
    ("subject", "admin", [True, False]),
]


def changed(base, root, attr, value):
    out = copy.deepcopy(base)
    if attr is None:
        out[root] = value
    elif value is DROP:
        out[root].pop(attr, None)
    else:
        out[root][attr] = value
    return out


def inputs():
    """The base, each single change, and each single change on top of a second base."""
    admin_purge = changed(changed(BASE, "subject", "admin", True), "action", None, "purge")
    found = [BASE, admin_purge]
    for base in (BASE, admin_purge):
        for root, attr, values in CHANGES:
            found += [changed(base, root, attr, v) for v in values]
    unique = {json.dumps(i, sort_keys=True): i for i in found}
    return list(unique.values())


@pytest.mark.parametrize("policy", POLICIES)
def test_edge_inputs_agree(charter, bundles, engines, policy):
    engine = engines[WORKSPACE]
    todo = inputs()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda i: native_eval(charter, WORKSPACE, policy, i), todo))
    compared, problems = 0, []
    for input_, (code, evaluated) in zip(todo, results):
        if code != 0:
            assert evaluated and "input_errors" in evaluated, input_
            continue
        compared += 1
        label = f"{policy} {json.dumps(input_)}"
        found = differences(evaluated["verdict"], opa_verdict(engine, policy, input_), label)
        matched = {m["rule"] for m in evaluated["matched"]}
        opa = opa_matches(engine, policy, input_)
        if opa != matched:
            found.append(
                f"{label}: matched rules differ: charter {sorted(matched)}, OPA {sorted(opa)}"
            )
        problems += found
    assert not problems, f"{len(problems)} disagreement(s) in {compared} inputs:\n" + "\n".join(
        problems
    )
    # Most inputs are valid: the comparison is not vacuous.
    assert compared >= len(todo) * 3 // 4, f"only {compared} of {len(todo)} inputs were valid"
    print(f"{policy}: {compared} of {len(todo)} inputs agree")


def agree(charter, engines, policy, input_, label):
    """`charter eval` rejects `input_`, or OPA decides it the same way."""
    code, evaluated = native_eval(charter, WORKSPACE, policy, input_)
    if code != 0:
        assert evaluated and "input_errors" in evaluated, evaluated
        return False
    opa = opa_verdict(engines[WORKSPACE], policy, input_)
    assert not differences(evaluated["verdict"], opa, label)
    assert opa_matches(engines[WORKSPACE], policy, input_) == {
        m["rule"] for m in evaluated["matched"]
    }
    return True


# Timestamps placed so that `stale` (`subject.seen < resource.opened`) would match for a reader
# that took them: not RFC 3339, so `charter eval` must reject them as OPA cannot read them.
@pytest.mark.parametrize(
    "attribute,value",
    [("opened", "2027-1-001T00:00:00Z"), ("seen", "+026-01-01T00:00:00Z")],
)
def test_timestamps_that_are_not_rfc3339(charter, engines, attribute, value):
    root = "subject" if attribute == "seen" else "resource"
    agree(charter, engines, "edge.edge", changed(BASE, root, attribute, value), value)


# Outside the years time.parse_rfc3339_ns represents (1677-09-21 to 2262-04-11): OPA cannot
# compare them, and `charter eval` rejects them.
@pytest.mark.parametrize(
    "attribute,value",
    [("seen", "1600-01-01T00:00:00Z"), ("opened", "2300-01-01T00:00:00Z")],
)
def test_timestamps_outside_opas_range(charter, engines, attribute, value):
    root = "subject" if attribute == "seen" else "resource"
    agree(charter, engines, "edge.edge", changed(BASE, root, attribute, value), value)


def test_integers_beyond_f64_precision(charter, engines):
    # 2^53 + 1 and 2^53 are one f64, but two integers.
    input_ = changed(changed(BASE, "subject", "count", 2**53 + 1), "resource", "weight", 2**53)
    assert agree(charter, engines, "edge.edge", input_, "2^53 + 1 == 2^53")


def test_an_integer_and_a_float_beyond_f64_precision(charter, engines):
    input_ = changed(changed(BASE, "subject", "count", 2**53 + 1), "resource", "weight", 2.0**53)
    assert agree(charter, engines, "edge.edge", input_, "2^53 + 1 == 2.0^53")
