"""ES256 (ECDSA on P-256 with SHA-256, RFC 7518 §3.4) in pure Python, standard library only.

Python's standard library has no ECDSA, so this is a small textbook implementation: Jacobian
coordinates, modular inverses with ``pow(x, -1, p)``, and RFC 6979 deterministic nonces (so
signatures are reproducible and match the Rust reference's test vectors). Verification checks
that the public key is a point of the curve and that ``r`` and ``s`` are in ``1..n-1``; it
is not constant time, which verification (of public data) does not need. **Signing is not
constant time either: it is meant for tests and for gateways without a crypto library**; a
service handling its private key on a shared machine should sign with a vetted library.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
A = P - 3
B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
GX = 0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296
GY = 0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5

_Jacobian = tuple[int, int, int]
_INFINITY: _Jacobian = (1, 1, 0)


class InvalidKeyError(ValueError):
    """A key that is not a P-256 key (a point off the curve, a scalar out of range)."""


def _on_curve(x: int, y: int) -> bool:
    return 0 <= x < P and 0 <= y < P and (y * y - (x * x * x + A * x + B)) % P == 0


def _double(p: _Jacobian) -> _Jacobian:
    x, y, z = p
    if z == 0 or y == 0:
        return _INFINITY
    yy = y * y % P
    s = 4 * x * yy % P
    zz = z * z % P
    m = 3 * (x - zz) * (x + zz) % P  # a = -3
    x3 = (m * m - 2 * s) % P
    y3 = (m * (s - x3) - 8 * yy * yy) % P
    z3 = 2 * y * z % P
    return (x3, y3, z3)


def _add(p: _Jacobian, q: _Jacobian) -> _Jacobian:
    x1, y1, z1 = p
    x2, y2, z2 = q
    if z1 == 0:
        return q
    if z2 == 0:
        return p
    z1z1 = z1 * z1 % P
    z2z2 = z2 * z2 % P
    u1 = x1 * z2z2 % P
    u2 = x2 * z1z1 % P
    s1 = y1 * z2 * z2z2 % P
    s2 = y2 * z1 * z1z1 % P
    if u1 == u2:
        return _double(p) if s1 == s2 else _INFINITY
    h = (u2 - u1) % P
    r = (s2 - s1) % P
    hh = h * h % P
    hhh = h * hh % P
    v = u1 * hh % P
    x3 = (r * r - hhh - 2 * v) % P
    y3 = (r * (v - x3) - s1 * hhh) % P
    z3 = h * z1 * z2 % P
    return (x3, y3, z3)


def _multiply(k: int, point: _Jacobian) -> _Jacobian:
    result = _INFINITY
    addend = point
    while k > 0:
        if k & 1:
            result = _add(result, addend)
        addend = _double(addend)
        k >>= 1
    return result


def _affine(p: _Jacobian) -> tuple[int, int] | None:
    x, y, z = p
    if z == 0:
        return None
    zi = pow(z, -1, P)
    zi2 = zi * zi % P
    return (x * zi2 % P, y * zi2 * zi % P)


@dataclass(frozen=True)
class PublicKey:
    """A P-256 public key: a point of the curve (checked on construction)."""

    x: int
    y: int

    def __post_init__(self) -> None:
        if not _on_curve(self.x, self.y):
            raise InvalidKeyError("the point is not on the P-256 curve")

    @classmethod
    def from_bytes(cls, x: bytes, y: bytes) -> PublicKey:
        """The key of the 32-byte big-endian coordinates (a JWK's ``x`` and ``y``)."""
        if len(x) != 32 or len(y) != 32:
            raise InvalidKeyError("P-256 coordinates are 32 bytes each")
        return cls(int.from_bytes(x, "big"), int.from_bytes(y, "big"))


@dataclass(frozen=True)
class PrivateKey:
    """A P-256 private key: the scalar ``d`` in ``1..n-1``."""

    d: int

    def __post_init__(self) -> None:
        if not 1 <= self.d < N:
            raise InvalidKeyError("the private scalar is out of range")

    @classmethod
    def from_bytes(cls, d: bytes) -> PrivateKey:
        """The key of the 32-byte big-endian scalar (a JWK's ``d``)."""
        if len(d) != 32:
            raise InvalidKeyError("a P-256 private scalar is 32 bytes")
        return cls(int.from_bytes(d, "big"))

    def public_key(self) -> PublicKey:
        """The matching public key ``d·G``."""
        point = _affine(_multiply(self.d, (GX, GY, 1)))
        if point is None:
            raise InvalidKeyError("the private scalar is out of range")
        return PublicKey(point[0], point[1])


def _digest_int(message: bytes) -> int:
    # bits2int of SHA-256: 256 bits, the size of n, so no shift is needed.
    return int.from_bytes(hashlib.sha256(message).digest(), "big")


def _rfc6979_nonces(d: int, h: int) -> list[int]:
    """RFC 6979 §3.2 with HMAC-SHA-256, yielding candidates until one is accepted."""
    x = d.to_bytes(32, "big")
    h1 = (h % N).to_bytes(32, "big")
    v = b"\x01" * 32
    k = b"\x00" * 32
    k = hmac.new(k, v + b"\x00" + x + h1, hashlib.sha256).digest()
    v = hmac.new(k, v, hashlib.sha256).digest()
    k = hmac.new(k, v + b"\x01" + x + h1, hashlib.sha256).digest()
    v = hmac.new(k, v, hashlib.sha256).digest()
    out: list[int] = []
    while len(out) < 8:
        v = hmac.new(k, v, hashlib.sha256).digest()
        candidate = int.from_bytes(v, "big")
        if 1 <= candidate < N:
            out.append(candidate)
        k = hmac.new(k, v + b"\x00", hashlib.sha256).digest()
        v = hmac.new(k, v, hashlib.sha256).digest()
    return out


def sign(key: PrivateKey, message: bytes) -> bytes:
    """The ES256 signature of ``message``: the 64 bytes ``r || s`` (big-endian), with an
    RFC 6979 deterministic nonce. Not constant time (see the module's docstring)."""
    h = _digest_int(message)
    for k in _rfc6979_nonces(key.d, h):
        point = _affine(_multiply(k, (GX, GY, 1)))
        if point is None:
            continue
        r = point[0] % N
        if r == 0:
            continue
        s = pow(k, -1, N) * (h + r * key.d) % N
        if s == 0:
            continue
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")
    raise ArithmeticError("no usable nonce (practically impossible)")


def verify(key: PublicKey, message: bytes, signature: bytes) -> bool:
    """Whether ``signature`` (64 bytes ``r || s``) is ``key``'s ES256 signature of
    ``message``. Never raises: anything malformed is simply not a valid signature."""
    if len(signature) != 64:
        return False
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:], "big")
    if not (1 <= r < N and 1 <= s < N):
        return False
    if not _on_curve(key.x, key.y):
        return False
    h = _digest_int(message)
    w = pow(s, -1, N)
    u1 = h * w % N
    u2 = r * w % N
    point = _affine(_add(_multiply(u1, (GX, GY, 1)), _multiply(u2, (key.x, key.y, 1))))
    if point is None:
        return False
    return point[0] % N == r
