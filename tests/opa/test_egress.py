"""The egress check decides exactly as `charter eval --egress` does (docs/decisions.md,
"Egress"), and is never undefined.

`tests/opa/workspaces/egress` returns records `with provenance` directly, in lists, maps,
optionals, an alias and a recursive tree; summit's `Lineage.ingest` returns one. For each
operation, responses are made from a valid one: every envelope valid, then each envelope in turn
removed, `null`, emptied, or with one field wrong (the ingress rules: `std.provenance.Provenance`),
other fields wrong, extra attributes, the wrong JSON kind, deep trees, numbers OPA cannot
compare; then unknown services and operations and malformed inputs. OPA's
`data.charter.router.egress.verdict` must equal the native verdict field by field, and where a
response is denied the reason names the first offender in path order.
"""

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import REPO
from test_agreement import differences

ENVELOPE = {
    "origin": "sftp://partner.example/readings",
    "actor": "svc-loader",
    "timestamp": "2026-01-01T00:00:00Z",
    "confidence": 0.9,
    "simulated": False,
}

READING = {"provenance": ENVELOPE, "id": "r-1", "value": 1.5, "at": "2026-01-01T00:00:00Z"}


def node(depth, width=2):
    """A tree of `Node`s, `depth` levels deep."""
    children = [] if depth <= 1 else [node(depth - 1, width) for _ in range(width)]
    return {"provenance": ENVELOPE, "label": f"n{depth}", "children": children}


VALID = {
    ("tests/opa/workspaces/egress", "egress.Readings"): {
        "get": READING,
        "page": {"items": [READING, dict(READING, id="r-2")], "by_sensor": {"s-1": READING},
                 "latest": READING, "next": None},
        "tree": node(3),
        "many": [READING, READING, READING],
        "plain": {"id": "p"},
        "remove": None,
        "wired": {"provenance": ENVELOPE, "reading-id": "w-1", "Note": None, "maybe": "LOW",
                  "grade": "high+", "scores": [1, 2], "inner.reading": READING},
    },
    ("examples/summit", "summit.lineage.Lineage"): {
        "ingest": {"provenance": ENVELOPE, "event_id": "6f1c1d8e-0c5e-4a4b-9d47-3e1f7b0c2a10",
                   "sequence": 3, "chain_hash": "aGFzaA==", "accepted_at": "2026-01-01T00:00:00Z"},
        "trace": {},
    },
}

ENVELOPE_CHANGES = [
    None, {}, "x", [ENVELOPE],
    dict(ENVELOPE, origin=1), dict(ENVELOPE, confidence=1.01), dict(ENVELOPE, confidence=-0.1),
    dict(ENVELOPE, timestamp="2026-02-29T00:00:00Z"), dict(ENVELOPE, simulated="false"),
    dict(ENVELOPE, extra=1), {k: v for k, v in ENVELOPE.items() if k != "actor"},
    dict(ENVELOPE, confidence=1e-400), dict(ENVELOPE, confidence=0.99999999999999999),
]


def clone(value):
    """A deep copy that shares nothing (`copy.deepcopy` keeps one object met twice as one)."""
    return json.loads(json.dumps(value))


def envelopes(value, path=()):
    """The paths of every object holding a `provenance` key, in document order."""
    if isinstance(value, dict):
        if "provenance" in value:
            yield path
        for key, item in value.items():
            yield from envelopes(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from envelopes(item, path + (i,))


def at(value, path):
    for step in path:
        value = value[step]
    return value


# Responses of `wired` beside the generated variants: members under their identifiers instead of
# their wire names, enum values by identifier, `null` where `@nullable` allows it and where not.
WIRED = [
    {"provenance": ENVELOPE, "reading_id": "w-1", "note": "n", "scores": []},
    {"provenance": ENVELOPE, "reading-id": "w-1", "Note": "n", "scores": None},
    {"provenance": ENVELOPE, "reading-id": "w-1", "Note": "n", "scores": [None]},
    {"provenance": ENVELOPE, "reading-id": "w-1", "Note": None, "scores": None, "maybe": None},
    {"provenance": ENVELOPE, "reading-id": "w-1", "Note": "n", "scores": [], "grade": "low"},
    {"provenance": ENVELOPE, "reading-id": "w-1", "Note": "n", "scores": [], "grade": "LOW"},
    {"provenance": ENVELOPE, "reading-id": "w-1", "Note": "n", "scores": [], "maybe": "high"},
    {"provenance": ENVELOPE, "reading-id": None, "Note": 1, "scores": []},
    {"provenance": ENVELOPE, "reading-id": "w-1", "scores": []},
    {"provenance": ENVELOPE, "reading-id": "w-1", "Note": None},
    {"provenance": ENVELOPE, "reading-id": "w-1", "Note": None, "scores": [], "inner.reading": None},
    {"provenance": ENVELOPE, "reading-id": "w-1", "Note": None, "scores": [], "inner": READING},
    {"provenance": ENVELOPE, "reading-id": "w-1", "Note": None, "scores": [],
     "inner.reading": dict(READING, provenance=None)},
]


def responses(valid):
    """Variants of a valid response: envelopes broken one at a time (and two at once, so that
    the first offender matters), other values wrong, the wrong kind."""
    out = [valid, None, {}, [], "x", 1]
    if "reading-id" in (valid or {}):
        out += WIRED
    paths = list(envelopes(valid))
    for path in paths:
        for change in ENVELOPE_CHANGES:
            broken = clone(valid)
            at(broken, path)["provenance"] = change
            out.append(broken)
        dropped = clone(valid)
        del at(dropped, path)["provenance"]
        out.append(dropped)
        other = clone(valid)
        at(other, path)["zz"] = 1
        out.append(other)
    if len(paths) >= 2:
        both = clone(valid)
        del at(both, paths[-1])["provenance"]
        at(both, paths[0])["provenance"] = dict(ENVELOPE, confidence=2)
        out.append(both)
    if isinstance(valid, dict):
        for key in valid:
            if key != "provenance":
                out.append(dict(valid, **{key: None}))
                out.append(dict(valid, **{key: [1]}))
    return out


def native(charter, example, document):
    """`charter eval <example> --egress --input - --format json`: (exit code, output)."""
    result = subprocess.run(
        [str(charter), "eval", example, "--egress", "--input", "-", "--format", "json"],
        cwd=REPO,
        input=json.dumps(document),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def inputs(example):
    out = []
    for (where, service), operations in VALID.items():
        if where != example:
            continue
        for operation, valid in operations.items():
            out += [{"service": service, "operation": operation, "response": r} for r in responses(valid)]
            out.append({"service": service, "operation": operation})
        out += [
            {"service": service, "operation": "nope", "response": {}},
            {"service": "no.Such", "operation": "get", "response": {}},
            {"service": service},
            {"operation": "get"},
            {"service": 1, "operation": "get"},
            {"service": service, "operation": None},
            {},
            [],
            None,
        ]
    return out


@pytest.mark.parametrize("example", ["tests/opa/workspaces/egress", "examples/summit"])
def test_egress_agrees_with_charter_eval(charter, engines, example):
    engine = engines[example]
    todo = inputs(example)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda d: native(charter, example, d), todo))
    problems = []
    rule_ids = set()
    for document, (code, out) in zip(todo, results):
        label = json.dumps(document)[:300]
        opa = engine.eval_document("charter.router.egress.verdict", document)
        problems += differences(out["verdict"], opa, label)
        rule_id = out["verdict"]["rule_id"]
        rule_ids.add(rule_id)
        denied_input = rule_id in ("charter.egress.input_invalid", "charter.egress.response_invalid")
        assert code == (1 if denied_input else 0), label
        if rule_id == "charter.egress.response_invalid":
            first = out["problems"][0]
            assert out["verdict"]["reason"] == f"response invalid: {first['path']}: {first['message']}"
    assert not problems, f"{len(problems)} disagreement(s) in {len(todo)} inputs:\n" + "\n".join(problems[:40])
    expected = {"charter.egress.input_invalid", "charter.egress.unknown_operation",
                "charter.egress.no_provenance", "charter.egress.response_invalid", "charter.egress.valid"}
    assert expected <= rule_ids, sorted(rule_ids)
    print(f"{example}: {len(todo)} egress inputs agree")


def test_the_first_offender_is_the_first_in_path_order(charter, engines):
    """Two broken envelopes: the reason names the one first in a depth-first walk, indexes in
    order and keys by their bytes (`by_sensor` before `items` before `latest`)."""
    engine = engines["tests/opa/workspaces/egress"]
    page = clone(VALID[("tests/opa/workspaces/egress", "egress.Readings")]["page"])
    del page["latest"]["provenance"]
    page["items"][1]["provenance"] = None
    document = {"service": "egress.Readings", "operation": "page", "response": page}
    code, out = native(charter, "tests/opa/workspaces/egress", document)
    opa = engine.eval_document("charter.router.egress.verdict", document)
    assert code == 1
    assert opa == out["verdict"]
    assert opa["reason"].startswith("response invalid: $.response.items[1].provenance: ")
    page["by_sensor"]["s-1"]["provenance"] = dict(ENVELOPE, actor=None)
    document["response"] = page
    opa = engine.eval_document("charter.router.egress.verdict", document)
    assert opa["reason"] == "response invalid: $.response.by_sensor.s-1.provenance.actor: expected string, found null"
    assert native(charter, "tests/opa/workspaces/egress", document)[1]["verdict"] == opa
