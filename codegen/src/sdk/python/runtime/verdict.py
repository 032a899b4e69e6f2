"""Verdicts: reads the ``Charter-Verdict`` response header (an RFC 9651 dictionary,
docs/openapi.md) into a ``Verdict``, and signs and verifies the ``Charter-Verdict-Signature``
header that binds a verdict to the request it answers (docs/sdk.md, "Signed verdicts").

The same checks, in the same order and with the same error kinds, as the TypeScript and Go
runtimes; proven against the published vectors ``tests/sdk/vectors/verdicts.json``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from . import es256
from .sf import DisplayString, InnerList, Item, SfError, Token, parse_dictionary
from .wire import as_object

VERDICT_HEADER = "Charter-Verdict"
"""The response header carrying the verdict."""
SIGNATURE_HEADER = "Charter-Verdict-Signature"
"""The response header carrying the compact JWS over the verdict and its request."""
SIGNATURE_TYPE = "charter-verdict+jws"
"""The JWS ``typ`` of a verdict signature."""
SIGNATURE_ALGORITHM = "ES256"
"""The JWS ``alg`` of a verdict signature."""

VerdictErrorKind = Literal[
    "missing", "malformed", "unsigned", "unknown-key", "bad-signature", "wrong-request"
]
"""Why a verdict was refused (docs/sdk.md, "What a client checks")."""


@dataclass(frozen=True)
class Verdict:
    """The decision of the policy that guards an operation (``std.verdict.Verdict``)."""

    allow: bool
    """Whether the request was allowed."""
    decider: str
    """The full name of the policy that decided."""
    rule_id: str
    """The rule that decided, or ``default``."""
    reason: str
    """The deciding rule's ``because`` text."""
    policy_version: str | None = None
    """The version of the policy that decided, when sent."""
    confidence: float | None = None
    """The ``confidence`` member, when sent (an integer or decimal)."""
    canary: tuple[str, ...] | None = None
    """The canary rules that would have changed the outcome, when sent."""


class VerdictError(Exception):
    """A verdict that cannot be trusted: absent, unreadable, unsigned or not signed for this
    request. ``kind`` says which (``VerdictErrorKind``)."""

    kind: VerdictErrorKind

    def __init__(self, kind: VerdictErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _text(member: Item | InnerList | None) -> str | None:
    if isinstance(member, Item) and isinstance(member.value, str):
        if isinstance(member.value, Token):
            return None
        return str(member.value)
    return None


def parse_verdict(header: str | None) -> Verdict:
    """Reads a ``Charter-Verdict`` header value (step 1 of the client's checks).

    Raises ``VerdictError("missing")`` when there is none and ``VerdictError("malformed")`` when
    it is not an RFC 9651 dictionary with a boolean ``allow`` and string (or Display String)
    ``decider``, ``rule_id`` and ``reason``, or when ``policy_version`` (string),
    ``confidence`` (integer or decimal) or ``canary`` (inner list of strings) has another type.
    Unknown members are ignored; a later duplicate key replaces an earlier one.
    """
    if header is None:
        raise VerdictError("missing", f"no {VERDICT_HEADER} header")
    try:
        members = parse_dictionary(header)
    except SfError as error:
        raise VerdictError(
            "malformed",
            f"{VERDICT_HEADER} is not a structured-field dictionary: {error}",
        ) from None

    def malformed(what: str) -> VerdictError:
        return VerdictError("malformed", f"{VERDICT_HEADER}: {what}")

    allow = members.get("allow")
    if not isinstance(allow, Item) or not isinstance(allow.value, bool):
        raise malformed("`allow` must be a boolean")
    decider = _text(members.get("decider"))
    rule_id = _text(members.get("rule_id"))
    reason = _text(members.get("reason"))
    if decider is None:
        raise malformed("`decider` must be a string")
    if rule_id is None:
        raise malformed("`rule_id` must be a string")
    if reason is None:
        raise malformed("`reason` must be a string")
    policy_version: str | None = None
    if "policy_version" in members:
        policy_version = _text(members["policy_version"])
        if policy_version is None:
            raise malformed("`policy_version` must be a string")
    confidence: float | None = None
    if "confidence" in members:
        c = members["confidence"]
        if (
            not isinstance(c, Item)
            or isinstance(c.value, bool)
            or not isinstance(c.value, (int, Decimal))
        ):
            raise malformed("`confidence` must be a number")
        confidence = float(c.value)
    canary: tuple[str, ...] | None = None
    if "canary" in members:
        inner = members["canary"]
        if not isinstance(inner, InnerList):
            raise malformed("`canary` must be an inner list of strings")
        names: list[str] = []
        for item in inner.items:
            name = _text(item)
            if name is None:
                raise malformed("`canary` must be an inner list of strings")
            names.append(name)
        canary = tuple(names)
    return Verdict(
        allow=allow.value,
        decider=decider,
        rule_id=rule_id,
        reason=reason,
        policy_version=policy_version,
        confidence=confidence,
        canary=canary,
    )


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


_B64URL = re.compile(r"[A-Za-z0-9_-]*", re.ASCII)


def _b64url_decode(text: str) -> bytes | None:
    if _B64URL.fullmatch(text) is None or len(text) % 4 == 1:
        return None
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None


@dataclass(frozen=True)
class RequestBinding:
    """The request a verdict answers, as the client sent it (or the server received it)."""

    method: str
    """The method, upper case as sent (``GET``)."""
    path: str
    """The request target's path and query as sent (``/v1/datasets/7?limit=10``)."""
    trace_id: str
    """The 32 lowercase hex digits of the trace id of the request's ``traceparent``."""
    body: bytes | None = None
    """The request body's bytes, when there is one (an empty body counts as none)."""


def _jwk_bytes(jwk: Mapping[str, object], name: str) -> bytes:
    value = jwk.get(name)
    decoded = _b64url_decode(value) if isinstance(value, str) else None
    if decoded is None:
        raise es256.InvalidKeyError(f"the JWK member `{name}` is not base64url")
    return decoded


def _check_ec_jwk(jwk: Mapping[str, object]) -> None:
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise es256.InvalidKeyError("not an EC P-256 JWK")


@dataclass(frozen=True)
class VerdictKey:
    """A verification key: its JWS ``kid`` and its public JWK
    (``{"kty":"EC","crv":"P-256","x":…,"y":…}``). A JWK that is not a P-256 public key makes a
    verdict signed under its ``kid`` fail with ``unknown-key``, as in the TypeScript SDK."""

    kid: str
    jwk: Mapping[str, object] = field(hash=False, compare=False)

    @classmethod
    def from_jwk(cls, jwk: Mapping[str, object], kid: str | None = None) -> VerdictKey:
        """The key of a public JWK; ``kid`` defaults to the JWK's own ``kid`` member (a
        ``TypeError`` when neither is a string)."""
        name = kid if kid is not None else jwk.get("kid")
        if not isinstance(name, str):
            raise TypeError("a verdict key needs a `kid`")
        return cls(name, dict(jwk))

    def public_key(self) -> es256.PublicKey:
        """The P-256 public key; raises ``es256.InvalidKeyError`` when the JWK is not one."""
        _check_ec_jwk(self.jwk)
        return es256.PublicKey.from_bytes(
            _jwk_bytes(self.jwk, "x"), _jwk_bytes(self.jwk, "y")
        )


@dataclass(frozen=True)
class VerdictSigningKey:
    """A signing key: its ``kid`` and P-256 private key, for the service or gateway that signs
    verdicts (pure-Python signing: see ``es256``)."""

    kid: str
    private_key: es256.PrivateKey = field(repr=False)

    @classmethod
    def from_jwk(
        cls, jwk: Mapping[str, object], kid: str | None = None
    ) -> VerdictSigningKey:
        """The key of a private JWK (``d`` as well as ``x`` and ``y``, which must match it);
        raises ``ValueError`` (``es256.InvalidKeyError``) when it is not a P-256 private key."""
        name = kid if kid is not None else jwk.get("kid")
        if not isinstance(name, str):
            raise TypeError("a verdict signing key needs a `kid`")
        _check_ec_jwk(jwk)
        private = es256.PrivateKey.from_bytes(_jwk_bytes(jwk, "d"))
        if "x" in jwk or "y" in jwk:
            stated = es256.PublicKey.from_bytes(
                _jwk_bytes(jwk, "x"), _jwk_bytes(jwk, "y")
            )
            if stated != private.public_key():
                raise es256.InvalidKeyError(
                    "the JWK's `x` and `y` do not match its `d`"
                )
        return cls(name, private)

    def verdict_key(self) -> VerdictKey:
        """The matching verification key (a public JWK with this ``kid``)."""
        public = self.private_key.public_key()
        jwk: dict[str, object] = {
            "kty": "EC",
            "crv": "P-256",
            "x": _b64url(public.x.to_bytes(32, "big")),
            "y": _b64url(public.y.to_bytes(32, "big")),
            "kid": self.kid,
        }
        return VerdictKey(self.kid, jwk)


def _jcs(members: Mapping[str, str]) -> str:
    # RFC 8785 for an object of printable-ASCII strings: sorted members, no whitespace.
    return json.dumps(
        dict(sorted(members.items())), separators=(",", ":"), ensure_ascii=False
    )


def _payload(verdict_header: str, binding: RequestBinding) -> dict[str, str]:
    payload: dict[str, str] = {}
    if binding.body:
        payload["body_sha256"] = _b64url(hashlib.sha256(binding.body).digest())
    payload["method"] = binding.method
    payload["path"] = binding.path
    payload["trace_id"] = binding.trace_id
    payload["verdict"] = verdict_header
    return payload


def verdict_payload(verdict_header: str, binding: RequestBinding) -> str:
    """The signed payload for ``verdict_header`` answering ``binding``: RFC 8785 (JCS) JSON,
    members sorted, ``body_sha256`` (base64url SHA-256 of the body) only when there is a
    body."""
    return _jcs(_payload(verdict_header, binding))


def sign_verdict(
    verdict_header: str, binding: RequestBinding, key: VerdictSigningKey
) -> str:
    """The ``Charter-Verdict-Signature`` value for ``verdict_header`` answering ``binding``: a
    compact JWS (ES256, RFC 6979 nonces, so reproducible) whose protected header is
    ``{"alg":"ES256","kid":KID,"typ":"charter-verdict+jws"}``."""
    header = _jcs({"alg": SIGNATURE_ALGORITHM, "kid": key.kid, "typ": SIGNATURE_TYPE})
    payload = verdict_payload(verdict_header, binding)
    signing_input = f"{_b64url(header.encode())}.{_b64url(payload.encode())}"
    signature = es256.sign(key.private_key, signing_input.encode("ascii"))
    return f"{signing_input}.{_b64url(signature)}"


def signed_verdict_headers(
    verdict_header: str, binding: RequestBinding, key: VerdictSigningKey
) -> dict[str, str]:
    """Both response headers: ``Charter-Verdict`` and its ``Charter-Verdict-Signature``."""
    return {
        VERDICT_HEADER: verdict_header,
        SIGNATURE_HEADER: sign_verdict(verdict_header, binding, key),
    }


_PAYLOAD_MEMBERS = frozenset({"body_sha256", "method", "path", "trace_id", "verdict"})


def _decode_json(part: str, what: str) -> object:
    data = _b64url_decode(part)
    if data is None:
        raise VerdictError("bad-signature", f"the signature's {what} is not base64url")
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise VerdictError(
            "bad-signature", f"the signature's {what} is not JSON"
        ) from None


def verify_verdict(
    verdict_header: str,
    signature_header: str | None,
    binding: RequestBinding,
    keys: Sequence[VerdictKey],
) -> None:
    """Checks that ``signature_header`` is a valid signature, by one of ``keys``, of
    ``verdict_header`` answering ``binding`` (step 2 of the client's checks). Raises
    ``VerdictError``: ``unsigned`` (no signature), ``unknown-key`` (its ``kid`` is not among
    ``keys``, or that key is not a P-256 public key), ``bad-signature`` (malformed, wrong
    algorithm or type, not this key's signature, or a signature of another verdict),
    ``wrong-request`` (a valid signature of this verdict for another request: a replay)."""

    def bad(what: str) -> VerdictError:
        return VerdictError("bad-signature", f"{SIGNATURE_HEADER}: {what}")

    if signature_header is None or signature_header.strip() == "":
        raise VerdictError("unsigned", f"the verdict has no {SIGNATURE_HEADER} header")
    parts = signature_header.strip().split(".")
    if len(parts) != 3:
        raise bad("not a compact JWS (three base64url parts)")
    header_part, payload_part, signature_part = parts
    header = as_object(_decode_json(header_part, "header"))
    if header is None:
        raise bad("the protected header is not a JSON object")
    if header.get("alg") != SIGNATURE_ALGORITHM:
        raise bad(f"the algorithm must be {SIGNATURE_ALGORITHM}")
    if header.get("typ") != SIGNATURE_TYPE:
        raise bad(f"the type must be {SIGNATURE_TYPE}")
    if "crit" in header:
        raise bad("critical header parameters are not supported")
    kid = header.get("kid")
    if not isinstance(kid, str):
        raise bad("no key id (`kid`)")
    key = next((k for k in keys if k.kid == kid), None)
    if key is None:
        raise VerdictError(
            "unknown-key", f"the verdict is signed by an unknown key `{kid}`"
        )
    try:
        public = key.public_key()
    except ValueError:
        raise VerdictError(
            "unknown-key", f"the key `{kid}` is not an EC P-256 public key"
        ) from None
    signature = _b64url_decode(signature_part)
    if signature is None or len(signature) != 64:
        raise bad("the signature is not 64 base64url bytes")
    signing_input = f"{header_part}.{payload_part}".encode("ascii")
    if not es256.verify(public, signing_input, signature):
        raise bad(f"not a signature by the key `{kid}`")
    payload = as_object(_decode_json(payload_part, "payload"))
    if payload is None:
        raise bad("the payload is not a JSON object")
    for name, value in payload.items():
        if name not in _PAYLOAD_MEMBERS or not isinstance(value, str):
            raise bad(f"unexpected payload member `{name}`")
    if payload.get("verdict") != verdict_header:
        raise bad("the signature covers another verdict")
    expected = _payload(verdict_header, binding)
    for name in ("method", "path", "trace_id", "body_sha256"):
        if payload.get(name) != expected.get(name):
            raise VerdictError(
                "wrong-request",
                f"the verdict was signed for another request (its `{name}` differs)",
            )


_TRACEPARENT = re.compile(
    r"[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}", re.ASCII
)


def trace_id_of(traceparent: str | None) -> str | None:
    """The trace id of a W3C ``traceparent`` value, or ``None`` when it is not one."""
    if traceparent is None:
        return None
    m = _TRACEPARENT.fullmatch(traceparent.strip())
    return m.group(1) if m is not None else None


def request_binding(
    method: str, target: str, headers: Mapping[str, str], body: bytes | None
) -> RequestBinding | None:
    """The binding of a request as a server (or gateway) received it: its method, request
    target (path and query, as on the request line), the trace id of its ``traceparent``
    header (looked up case-insensitively) and its body. ``None`` without a valid
    ``traceparent``: there is nothing to bind the verdict to, and a server must not sign."""
    tp = next((v for k, v in headers.items() if k.lower() == "traceparent"), None)
    trace_id = trace_id_of(tp)
    if trace_id is None:
        return None
    return RequestBinding(method, target, trace_id, body if body else None)


__all__ = [
    "SIGNATURE_ALGORITHM",
    "SIGNATURE_HEADER",
    "SIGNATURE_TYPE",
    "VERDICT_HEADER",
    "DisplayString",
    "RequestBinding",
    "Verdict",
    "VerdictError",
    "VerdictErrorKind",
    "VerdictKey",
    "VerdictSigningKey",
    "parse_verdict",
    "request_binding",
    "sign_verdict",
    "signed_verdict_headers",
    "trace_id_of",
    "verdict_payload",
    "verify_verdict",
]
