"""The provenance check of docs/decisions.md (step 2), in OPA: when no enforced deny matched, a
policy guarding an operation that `requires provenance` denies a request whose
`input.context.provenance` is absent or null (`provenance_missing`) or has a first field among
origin, actor, timestamp, confidence, simulated that is missing or wrong (`provenance_invalid`).

`edge.guarded` (tests/opa/workspaces/edge) guards such an operation and has no rule about the
envelope. Envelopes that fit `std.provenance.Provenance` (and absent or null ones) are compared
with `charter eval` too; the others only `charter eval` rejects as input, so OPA is checked
against the page itself.
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


def invalid(field):
    return ("provenance_invalid", f"provenance envelope invalid: {field}")


MISSING = ("provenance_missing", "provenance envelope missing")

CASES = [
    (OUT, MISSING),
    (None, MISSING),
    ({}, invalid("origin")),
    ("a string", invalid("origin")),
    ([GOOD], invalid("origin")),
    (change(origin=1), invalid("origin")),
    (change(origin=None), invalid("origin")),
    (change(actor=OUT), invalid("actor")),
    (change(actor=None, confidence=2), invalid("actor")),
    (change(timestamp="2026-01-01"), invalid("timestamp")),
    (change(timestamp="2026-02-29T00:00:00Z"), invalid("timestamp")),
    (change(timestamp="2026-01-01t00:00:00z"), invalid("timestamp")),
    (change(timestamp="2026-01-01T24:00:00Z"), invalid("timestamp")),
    (change(timestamp="2026-01-01T23:59:60Z"), invalid("timestamp")),
    (change(timestamp="2026-01-01T00:00:00.1234567890Z"), invalid("timestamp")),
    (change(timestamp="2026-01-01T00:00:00+24:00"), invalid("timestamp")),
    (change(timestamp=0), invalid("timestamp")),
    (change(confidence=1.01), invalid("confidence")),
    (change(confidence=-0.1), invalid("confidence")),
    (change(confidence="0.5"), invalid("confidence")),
    (change(confidence=None), invalid("confidence")),
    (change(simulated="false"), invalid("simulated")),
    (change(simulated=OUT), invalid("simulated")),
    # Valid envelopes: the rules decide.
    (GOOD, ("trusted", "trusted")),
    (change(timestamp="2024-02-29T23:59:59.123456789+13:00"), ("trusted", "trusted")),
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
    if rule_id.startswith("provenance_"):
        assert verdict["canary"] == []
    code, evaluated = native_eval(charter, WORKSPACE, POLICY, input_)
    if code == 0:
        assert not differences(evaluated["verdict"], verdict, str(envelope))
        assert opa_matches(engines[WORKSPACE], POLICY, input_) == {
            m["rule"] for m in evaluated["matched"]
        }
    else:
        # Only envelopes that do not fit `Provenance` are rejected as input.
        assert rule_id == "provenance_invalid", evaluated


def test_an_enforced_deny_decides_before_the_envelope(engines):
    input_ = request(OUT, trusted=False) | {"action": "purge"}
    verdict = opa_verdict(engines[WORKSPACE], POLICY, input_)
    assert verdict["rule_id"] == "not_trusted_purge"


def test_the_envelope_decides_before_an_allow_and_hides_canaries(engines):
    # `trusted` matches and the canary `low_confidence` would too: the envelope decides alone.
    verdict = opa_verdict(engines[WORKSPACE], POLICY, request(change(confidence=0.3, actor=1)))
    assert (verdict["rule_id"], verdict["canary"]) == ("provenance_invalid", [])
    verdict = opa_verdict(engines[WORKSPACE], POLICY, request(change(confidence=0.3)))
    assert (verdict["rule_id"], verdict["canary"]) == ("trusted", ["low_confidence"])


def test_summit_denies_a_write_without_an_envelope_by_its_own_rule(engines):
    input_ = {
        "action": "write",
        "subject": {"id": "s", "tenant": "t-acme", "environment": "production", "attested": True},
        "resource": {"id": "d", "tenant": "t-acme"},
        "context": {"mfa": False, "ip_trusted": True},
    }
    policy = "summit.policy.provenance_enforcement"
    verdict = opa_verdict(engines["examples/summit"], policy, input_)
    assert verdict["rule_id"] == "missing_provenance"
