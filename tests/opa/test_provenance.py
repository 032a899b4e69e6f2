"""The provenance check of docs/decisions.md (step 2), in OPA: when no enforced deny matched, a
policy guarding an operation that `requires provenance` denies a request whose
`input.context.provenance` is absent or null (`provenance_missing`); an envelope that does not fit
`std.provenance.Provenance` makes the whole input invalid (`input_invalid`, checked first).

`edge.guarded` (tests/opa/workspaces/edge) guards such an operation and has no rule about the
envelope. Every case is compared with `charter eval` too.
"""

import copy

import pytest

from conftest import native_eval
from test_agreement import differences, opa_matches, opa_verdict

WORKSPACE = "tests/opa/workspaces/edge"
POLICY = "edge.guarded"

GOOD = {
    "origin": "sftp://partner.example/readings",
    "actor": "svc-loader",
    "timestamp": "2026-01-01T00:00:00Z",
    "confidence": 0.9,
    "simulated": False,
}

INPUT = {
    "action": "edit",
    "subject": {
        "id": "p-1",
        "level": "mid",
        "colours": [],
        "tags": {},
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
    },
    "context": {"trusted": True, "provenance": GOOD},
}

OUT = object()


def request(envelope, **context):
    out = copy.deepcopy(INPUT)
    out["context"].update(context)
    if envelope is OUT:
        del out["context"]["provenance"]
    else:
        out["context"]["provenance"] = envelope
    return out


def change(**fields):
    envelope = dict(GOOD)
    for key, value in fields.items():
        if value is OUT:
            envelope.pop(key)
        else:
            envelope[key] = value
    return envelope


def invalid(path, message):
    """An envelope that does not fit `std.provenance.Provenance`: the input is invalid."""
    return ("input_invalid", f"input invalid: $.context.provenance{path}: {message}")


MISSING = ("provenance_missing", "provenance envelope missing")
ABSENT = "missing required attribute of `Provenance`"
BAD_TIMESTAMP = "invalid timestamp (RFC 3339, such as `2026-01-15T09:30:00Z`)"

CASES = [
    (OUT, MISSING),
    (None, MISSING),
    # The first problem in path order decides the reason: `actor` sorts before `origin`.
    ({}, invalid(".actor", ABSENT)),
    ("a string", invalid("", "expected a `Provenance` object, found string")),
    ([GOOD], invalid("", "expected a `Provenance` object, found array")),
    (change(origin=1), invalid(".origin", "expected string, found number")),
    (change(origin=None), invalid(".origin", "expected string, found null")),
    (change(actor=OUT), invalid(".actor", ABSENT)),
    (change(actor=None, confidence=2), invalid(".actor", "expected string, found null")),
    (change(timestamp="2026-01-01"), invalid(".timestamp", BAD_TIMESTAMP)),
    (change(timestamp="2026-02-29T00:00:00Z"), invalid(".timestamp", BAD_TIMESTAMP)),
    (change(timestamp="2026-01-01t00:00:00z"), invalid(".timestamp", BAD_TIMESTAMP)),
    (change(timestamp="2026-01-01T24:00:00Z"), invalid(".timestamp", BAD_TIMESTAMP)),
    (change(timestamp="2026-01-01T23:59:60Z"), invalid(".timestamp", BAD_TIMESTAMP)),
    (change(timestamp="2026-01-01T00:00:00+24:00"), invalid(".timestamp", BAD_TIMESTAMP)),
    (change(timestamp=0), invalid(".timestamp", "expected timestamp, found number")),
    (change(confidence=1.01), invalid(".confidence", "does not satisfy `float in 0.0..1.0`")),
    (change(confidence=-0.1), invalid(".confidence", "does not satisfy `float in 0.0..1.0`")),
    (change(confidence="0.5"), invalid(".confidence", "expected float, found string")),
    (change(confidence=None), invalid(".confidence", "expected float, found null")),
    (change(simulated="false"), invalid(".simulated", "expected bool, found string")),
    (change(simulated=OUT), invalid(".simulated", ABSENT)),
    (change(extra=1), invalid(".extra", "unknown attribute of `Provenance`")),
    # Valid envelopes: the rules decide. A fraction may have any number of digits, a year
    # any of 0000-9999 (docs/decisions.md).
    (GOOD, ("trusted", "trusted")),
    (change(timestamp="2024-02-29T23:59:59.123456789+13:00"), ("trusted", "trusted")),
    (change(timestamp="2026-01-01T00:00:00.1234567890Z"), ("trusted", "trusted")),
    (change(timestamp="0001-01-01T00:00:00Z"), ("trusted", "trusted")),
    (change(timestamp="9999-12-31T23:59:59-23:59"), ("trusted", "trusted")),
    (change(timestamp="2026-01-01T00:00:00-00:00", confidence=1), ("trusted", "trusted")),
    (change(confidence=0, simulated=True), ("trusted", "trusted")),
]


@pytest.mark.parametrize("envelope,expected", CASES)
def test_the_envelope_is_checked(charter, engines, envelope, expected):
    input_ = request(envelope)
    verdict = opa_verdict(engines[WORKSPACE], POLICY, input_)
    rule_id, reason = expected
    assert (verdict["rule_id"], verdict["reason"]) == (rule_id, reason)
    assert verdict["allow"] is (rule_id == "trusted")
    if rule_id != "trusted":
        assert verdict["canary"] == []
    code, evaluated = native_eval(charter, WORKSPACE, POLICY, input_)
    # `charter eval` decides alike, and exits 1 exactly when the input does not fit.
    assert code == (1 if rule_id == "input_invalid" else 0), evaluated
    assert not differences(evaluated["verdict"], verdict, str(envelope))
    assert opa_matches(engines[WORKSPACE], POLICY, input_) == {
        m["rule"] for m in evaluated["matched"]
    }


def test_an_enforced_deny_decides_before_the_envelope(engines):
    input_ = request(OUT, trusted=False) | {"action": "purge"}
    verdict = opa_verdict(engines[WORKSPACE], POLICY, input_)
    assert verdict["rule_id"] == "not_trusted_purge"


def test_the_envelope_decides_before_an_allow_and_hides_canaries(engines):
    # `trusted` matches and the canary `low_confidence` would too: the envelope decides alone.
    verdict = opa_verdict(engines[WORKSPACE], POLICY, request(OUT))
    assert (verdict["rule_id"], verdict["canary"]) == ("provenance_missing", [])
    verdict = opa_verdict(engines[WORKSPACE], POLICY, request(change(confidence=0.3)))
    assert (verdict["rule_id"], verdict["canary"]) == ("trusted", ["low_confidence"])


def test_summit_denies_a_write_without_an_envelope_by_its_own_rule(engines):
    input_ = {
        "action": "write",
        "subject": {
            "id": "spiffe://summit.internal/ns/ingest/sa/loader",
            "tenant": "t-acme",
            "environment": "production",
            "attested": True,
        },
        "resource": {
            "id": "d",
            "tenant": "t-acme",
            "owner": "o",
            "sensitivity": "internal",
            "region": "eu",
            "contains_phi": False,
            "legal_hold": False,
        },
        "context": {"mfa": False, "ip_trusted": True},
    }
    policy = "summit.policy.provenance_enforcement"
    verdict = opa_verdict(engines["examples/summit"], policy, input_)
    assert verdict["rule_id"] == "missing_provenance"
