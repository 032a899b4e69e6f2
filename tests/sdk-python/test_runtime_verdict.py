"""The verdict runtime against the published vectors (tests/sdk/vectors/verdicts.json): every
case verifies to its expected outcome, every valid case is re-signed byte for byte (RFC 6979),
every parse case gives its verdict; and ES256 itself."""

import base64
import json
import secrets
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import _charter
from _charter import es256

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[1] / "sdk/vectors/verdicts.json").read_text("utf-8")
)
KEYS = [_charter.VerdictKey.from_jwk(k) for k in VECTORS["verification_keys"]]
SIGNING = {k["kid"]: _charter.VerdictSigningKey.from_jwk(k) for k in VECTORS["signing_keys"]}


def binding(case: dict[str, Any]) -> _charter.RequestBinding:
    r = case["request"]
    body = r["body"].encode("utf-8") if "body" in r else None
    return _charter.RequestBinding(r["method"], r["path"], r["trace_id"], body)


def outcome(case: dict[str, Any]) -> str:
    try:
        _charter.parse_verdict(case["verdict"])
        _charter.verify_verdict(case["verdict"], case["signature"], binding(case), KEYS)
    except _charter.VerdictError as error:
        return error.kind
    return "valid"


def test_the_vectors_have_every_kind() -> None:
    kinds = {c["expected"] for c in VECTORS["cases"]}
    assert kinds == {
        "valid",
        "missing",
        "malformed",
        "unsigned",
        "unknown-key",
        "bad-signature",
        "wrong-request",
    }
    assert VECTORS["signature_header"] == _charter.SIGNATURE_HEADER


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda c: c["name"])
def test_vector_case(case: dict[str, Any]) -> None:
    assert outcome(case) == case["expected"]


@pytest.mark.parametrize(
    "case", [c for c in VECTORS["cases"] if c["expected"] == "valid"], ids=lambda c: c["name"]
)
def test_signing_reproduces_the_reference(case: dict[str, Any]) -> None:
    header = json.loads(base64.urlsafe_b64decode(case["signature"].split(".")[0] + "=="))
    signed = _charter.sign_verdict(case["verdict"], binding(case), SIGNING[header["kid"]])
    assert signed == case["signature"]
    headers = _charter.signed_verdict_headers(
        case["verdict"], binding(case), SIGNING[header["kid"]]
    )
    assert headers == {"Charter-Verdict": case["verdict"], "Charter-Verdict-Signature": signed}


def expected_verdict(expected: dict[str, Any]) -> _charter.Verdict:
    confidence = expected.get("confidence")
    canary = expected.get("canary")
    return _charter.Verdict(
        allow=expected["allow"],
        decider=expected["decider"],
        rule_id=expected["rule_id"],
        reason=expected["reason"],
        policy_version=expected.get("policy_version"),
        confidence=None if confidence is None else float(Decimal(str(confidence))),
        canary=None if canary is None else tuple(canary),
    )


@pytest.mark.parametrize("case", VECTORS["parse"], ids=lambda c: c["header"][:40])
def test_parse_vector(case: dict[str, Any]) -> None:
    if case["expected"] == "malformed":
        with pytest.raises(_charter.VerdictError) as caught:
            _charter.parse_verdict(case["header"])
        assert caught.value.kind == "malformed"
    else:
        assert _charter.parse_verdict(case["header"]) == expected_verdict(case["expected"])


def test_missing_header() -> None:
    with pytest.raises(_charter.VerdictError) as caught:
        _charter.parse_verdict(None)
    assert caught.value.kind == "missing"


def test_a_fresh_key_signs_what_it_verifies_and_nothing_else() -> None:
    for _ in range(3):
        d = secrets.randbelow(es256.N - 1) + 1
        key = es256.PrivateKey(d)
        message = secrets.token_bytes(40)
        signature = es256.sign(key, message)
        assert es256.verify(key.public_key(), message, signature)
        assert not es256.verify(key.public_key(), message + b"x", signature)
        flipped = bytes([signature[0] ^ 1]) + signature[1:]
        assert not es256.verify(key.public_key(), message, flipped)


def test_signatures_out_of_range_are_refused() -> None:
    key = es256.PrivateKey(7)
    public = key.public_key()
    zero = bytes(32)
    n = es256.N.to_bytes(32, "big")
    good = es256.sign(key, b"m")
    assert not es256.verify(public, b"m", zero + good[32:])
    assert not es256.verify(public, b"m", good[:32] + zero)
    assert not es256.verify(public, b"m", n + good[32:])
    assert not es256.verify(public, b"m", good[:32] + n)
    assert not es256.verify(public, b"m", good[:63])


def test_points_off_the_curve_are_not_keys() -> None:
    public = es256.PrivateKey(7).public_key()
    with pytest.raises(es256.InvalidKeyError):
        es256.PublicKey(public.x, public.y + 1)
    with pytest.raises(es256.InvalidKeyError):
        es256.PrivateKey(0)
    with pytest.raises(es256.InvalidKeyError):
        es256.PrivateKey(es256.N)


def test_a_key_off_the_curve_is_an_unknown_key() -> None:
    case = next(c for c in VECTORS["cases"] if c["name"] == "valid-get")
    jwk = dict(VECTORS["verification_keys"][0])
    jwk["y"] = jwk["x"]  # (x, x) is not on the curve
    with pytest.raises(_charter.VerdictError) as caught:
        _charter.verify_verdict(
            case["verdict"], case["signature"], binding(case), [_charter.VerdictKey.from_jwk(jwk)]
        )
    assert caught.value.kind == "unknown-key"


def test_a_private_jwk_must_match_its_public_half() -> None:
    k1, k2 = VECTORS["signing_keys"]
    with pytest.raises(ValueError, match="do not match"):
        _charter.VerdictSigningKey.from_jwk({**k1, "x": k2["x"], "y": k2["y"]})
    derived = SIGNING["k1"].verdict_key()
    assert derived.jwk["x"] == k1["x"]
    assert derived.jwk["y"] == k1["y"]


def test_a_signature_with_crit_or_without_kid_is_bad() -> None:
    case = next(c for c in VECTORS["cases"] if c["name"] == "valid-get")
    payload = case["signature"].split(".")[1]

    def header(obj: object) -> str:
        text = json.dumps(obj, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(text).rstrip(b"=").decode()

    for h in (
        {"alg": "ES256", "kid": "k1", "typ": "charter-verdict+jws", "crit": ["x"]},
        {"alg": "ES256", "typ": "charter-verdict+jws"},
        {"alg": "HS256", "kid": "k1", "typ": "charter-verdict+jws"},
        ["not", "an", "object"],
    ):
        forged = f"{header(h)}.{payload}.{case['signature'].split('.')[2]}"
        with pytest.raises(_charter.VerdictError) as caught:
            _charter.verify_verdict(case["verdict"], forged, binding(case), KEYS)
        assert caught.value.kind == "bad-signature"


def test_an_empty_signature_is_unsigned() -> None:
    case = next(c for c in VECTORS["cases"] if c["name"] == "valid-get")
    with pytest.raises(_charter.VerdictError) as caught:
        _charter.verify_verdict(case["verdict"], "  ", binding(case), KEYS)
    assert caught.value.kind == "unsigned"


def test_trace_id_and_server_binding() -> None:
    tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    assert _charter.trace_id_of(tp) == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert _charter.trace_id_of(" " + tp + " ") == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert _charter.trace_id_of("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01") is None
    assert _charter.trace_id_of(None) is None
    b = _charter.request_binding("POST", "/v1/x?a=1", {"TraceParent": tp}, b"{}")
    assert b == _charter.RequestBinding(
        "POST", "/v1/x?a=1", "4bf92f3577b34da6a3ce929d0e0e4736", b"{}"
    )
    assert _charter.request_binding("GET", "/", {}, None) is None
    empty = _charter.request_binding("GET", "/", {"traceparent": tp}, b"")
    assert empty is not None and empty.body is None
