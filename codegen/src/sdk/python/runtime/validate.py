"""Decoding and checking values against the declared types, standard library only.

Generated ``from_json(cls, value: object, path: str)`` class methods decode with the ``read_*``
functions and ``expect_object``, which raise ``ValidationError`` at the first value of the wrong
shape (all problems of one object at once); generated ``validate(self, checker, path)`` methods
then report refinements (ranges, patterns, closed enums, formats, set uniqueness) into a
``Checker``, which raises them all at once. Every problem names its JSON path in the notation of
the TypeScript and Go SDKs: ``body.items[2].id``, ``response.labels["a b"]`` (a member whose
name is not an identifier is quoted in brackets), rooted at ``body``, ``response``,
``query.NAME`` or ``path.NAME``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import enum
import math
import re
from collections.abc import (
    Callable,
    Collection,
    Iterable,
    Mapping,
)
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar, Literal, TypeAlias, TypeVar

from .wire import as_array, as_object, canonical_json

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)
O = TypeVar("O", bound="OpenEnum")

Direction = Literal["request", "response", "value"]
"""Where a problem was found: a request before sending, a response before returning it, or a
value checked on its own."""

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


@dataclass(frozen=True)
class Problem:
    """One reason a value does not match its type, at a JSON path."""

    path: str
    message: str
    provenance: bool = False
    """The problem is about a provenance envelope (missing or malformed)."""


class ValidationError(ValueError):
    """A request, response or value that does not match the declared types.

    ``problems`` lists every problem found (in the order found); ``direction`` is
    ``"request"``, ``"response"`` or ``"value"``. The message is
    ``invalid DIRECTION: PATH: MESSAGE; PATH: MESSAGE`` as in the TypeScript SDK.
    """

    direction: Direction
    problems: tuple[Problem, ...]

    def __init__(
        self, problems: Iterable[Problem], direction: Direction = "value"
    ) -> None:
        self.problems = tuple(problems)
        self.direction = direction
        text = "; ".join(f"{p.path}: {p.message}" for p in self.problems)
        super().__init__(f"invalid {direction}: {text}")

    def redirect(self, direction: Direction, provenance: bool) -> ValidationError:
        """The same problems as a ``direction`` error: a ``ProvenanceError`` when
        ``provenance`` (the operation requires provenance) and an envelope is at fault."""
        if provenance and any(p.provenance for p in self.problems):
            return ProvenanceError(self.problems, direction)
        return ValidationError(self.problems, direction)


class ProvenanceError(ValidationError):
    """A provenance envelope is missing or malformed on an operation that requires provenance."""


def member_path(path: str, name: str) -> str:
    """``path.name``, or ``path["name"]`` when ``name`` is not an identifier (the TypeScript
    SDK's notation); ``name`` alone when ``path`` is empty."""
    if _IDENT.fullmatch(name) is not None:
        return f"{path}.{name}" if path else name
    return f"{path}[{_quote(name)}]"


def index_path(path: str, index: int) -> str:
    """``path[index]``."""
    return f"{path}[{index}]"


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)


def _quote(text: str) -> str:
    # JSON.stringify's quoting, which the TypeScript SDK uses for member names in paths.
    return canonical_json(text)


def _found(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, Decimal)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def _expected(what: str, value: object, path: str) -> ValidationError:
    return ValidationError([Problem(path, f"expected {what}, found {_found(value)}")])


def expect_object(
    value: object,
    path: str,
    *,
    name: str,
    required: Collection[str] = (),
    known: Collection[str],
    envelope: str | None = None,
) -> dict[str, object]:
    """``value`` as a JSON object of the record ``name``: every member in ``required`` present,
    none outside ``known`` (records are closed). Raises ``ValidationError`` with every missing
    (``path.member: missing required field of NAME``) and unknown
    (``path.member: unknown field of NAME``) member at once. ``envelope`` names the provenance
    envelope member of a ``with provenance`` record: its absence is a provenance problem
    (``missing provenance envelope``)."""
    members = as_object(value)
    if members is None:
        raise _expected(f"a {name} object", value, path)
    problems: list[Problem] = []
    for member in required:
        if member not in members:
            at = member_path(path, member)
            if member == envelope:
                problems.append(
                    Problem(at, "missing provenance envelope", provenance=True)
                )
            else:
                problems.append(Problem(at, f"missing required field of {name}"))
    for member in members:
        if member not in known:
            problems.append(
                Problem(member_path(path, member), f"unknown field of {name}")
            )
    if problems:
        raise ValidationError(problems)
    return members


def read_envelope(value: object, path: str, reader: Callable[[object, str], T]) -> T:
    """``reader(value, path)`` for a provenance envelope: its problems are provenance problems
    (so an operation that requires provenance raises ``ProvenanceError``)."""
    try:
        return reader(value, path)
    except ValidationError as error:
        raise ValidationError(
            [Problem(p.path, p.message, provenance=True) for p in error.problems]
        ) from None


def read_nullable(
    value: object, path: str, reader: Callable[[object, str], T]
) -> T | None:
    """A ``@nullable`` member: ``None`` for JSON ``null``, else ``reader(value, path)``."""
    if value is None:
        return None
    return reader(value, path)


def read_str(value: object, path: str) -> str:
    """A JSON string."""
    if not isinstance(value, str):
        raise _expected("a string", value, path)
    return value


def read_bool(value: object, path: str) -> bool:
    """A JSON boolean."""
    if not isinstance(value, bool):
        raise _expected("a boolean", value, path)
    return value


def read_int(value: object, path: str) -> int:
    """An ``int`` (64-bit): a JSON integer, or a number with an integral value (``2.0``); never a
    boolean, a fraction or a value beyond 64 bits (refused, never rounded)."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float)):
        raise _expected("an integer", value, path)
    if isinstance(value, int):
        number = value
    else:
        if isinstance(value, float) and not value.is_integer():
            raise _expected("an integer", value, path)
        if isinstance(value, Decimal) and (
            not value.is_finite() or value != value.to_integral_value()
        ):
            raise _expected("an integer", value, path)
        number = int(value)
    if not INT64_MIN <= number <= INT64_MAX:
        raise ValidationError([Problem(path, "integer beyond 64 bits")])
    return number


def read_float(value: object, path: str) -> float:
    """A ``float``: any finite JSON number (integers too); never a boolean."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise _expected("a number", value, path)
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise _expected("a number", value, path)
    return number


def read_decimal(value: object, path: str) -> Decimal:
    """A ``decimal`` as ``Decimal``, digit for digit as written (integers too); never a boolean."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise _expected("a number", value, path)
    number = (
        value
        if isinstance(value, Decimal)
        else Decimal(repr(value) if isinstance(value, float) else value)
    )
    if not number.is_finite():
        raise _expected("a number", value, path)
    return number


_BASE64 = re.compile(
    r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?", re.ASCII
)
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))",
    re.ASCII,
)
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
DURATION_RE = re.compile(r"[0-9]+[smhdwy]", re.ASCII)
UUID_RE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    re.ASCII,
)


def read_bytes(value: object, path: str) -> bytes:
    """``bytes``: standard base64 (RFC 4648 §4) with its padding."""
    text = read_str(value, path)
    if _BASE64.fullmatch(text) is None:
        raise ValidationError([Problem(path, "invalid base64 bytes")])
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error:
        raise ValidationError([Problem(path, "invalid base64 bytes")]) from None


def read_uuid(value: object, path: str) -> str:
    """A ``uuid``: a string of the 8-4-4-4-12 hexadecimal form, kept as written."""
    text = read_str(value, path)
    if UUID_RE.fullmatch(text) is None:
        raise ValidationError([Problem(path, "invalid uuid")])
    return text


def read_duration(value: object, path: str) -> str:
    """A ``duration``: a string of digits and one unit of ``s m h d w y`` (``30d``)."""
    text = read_str(value, path)
    if DURATION_RE.fullmatch(text) is None:
        raise ValidationError([Problem(path, "invalid duration (such as 30d)")])
    return text


def read_datetime(value: object, path: str) -> _dt.datetime:
    """A ``timestamp``: an RFC 3339 date-time with an offset (``Z`` or ``±hh:mm``) as a
    timezone-aware ``datetime``; one without an offset is refused. Fraction digits beyond
    microseconds are truncated."""
    text = read_str(value, path)
    m = _TIMESTAMP.fullmatch(text)
    invalid = ValidationError([Problem(path, "invalid RFC 3339 timestamp")])
    if m is None:
        raise invalid
    year, month, day, hour, minute, second = (int(m.group(i)) for i in range(1, 7))
    micro = int((m.group(7) or "0")[:6].ljust(6, "0"))
    if m.group(8) is not None:
        zone = _dt.timezone.utc
    else:
        hours, minutes = int(m.group(10)), int(m.group(11))
        if hours > 23 or minutes > 59:
            raise invalid
        offset = _dt.timedelta(hours=hours, minutes=minutes)
        zone = _dt.timezone(-offset if m.group(9) == "-" else offset)
    try:
        return _dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=zone)
    except ValueError:
        raise invalid from None


def read_date(value: object, path: str) -> _dt.date:
    """A ``date``: ``YYYY-MM-DD``, a real calendar day."""
    text = read_str(value, path)
    m = _DATE.fullmatch(text)
    invalid = ValidationError([Problem(path, "invalid date (YYYY-MM-DD)")])
    if m is None:
        raise invalid
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise invalid from None


def read_list(value: object, path: str, item: Callable[[object, str], T]) -> list[T]:
    """A JSON array, each item read by ``item`` at ``path[i]``; the problems of every item are
    raised together."""
    items = as_array(value)
    if items is None:
        raise _expected("an array", value, path)
    out: list[T] = []
    problems: list[Problem] = []
    for i, v in enumerate(items):
        try:
            out.append(item(v, index_path(path, i)))
        except ValidationError as error:
            problems.extend(error.problems)
    if problems:
        raise ValidationError(problems)
    return out


def read_map(
    value: object, path: str, item: Callable[[object, str], T]
) -> dict[str, T]:
    """A ``map<string, T>``: a JSON object, each member read by ``item`` at ``path.key``."""
    members = as_object(value)
    if members is None:
        raise _expected("an object", value, path)
    out: dict[str, T] = {}
    problems: list[Problem] = []
    for name, v in members.items():
        try:
            out[name] = item(v, member_path(path, name))
        except ValidationError as error:
            problems.extend(error.problems)
    if problems:
        raise ValidationError(problems)
    return out


def read_enum(value: object, path: str, cls: type[E]) -> E:
    """A closed enum value: the member of ``cls`` (``class E(str, enum.Enum)``) whose value is
    the string; anything else is refused (``not a value of E``)."""
    text = read_str(value, path)
    try:
        return cls(text)
    except ValueError:
        raise ValidationError(
            [Problem(path, f"not a value of {cls.__name__}")]
        ) from None


class OpenEnum(str):
    """The base of an open enum: a ``str`` that keeps any value, known or not.

    A generated open enum is ``class Tier(OpenEnum)`` with ``KNOWN = frozenset({...})`` (the
    declared values) and one ``ClassVar`` constant per value assigned after the class
    (``Tier.GOLD = Tier("gold")``). ``Tier("platinum")`` is a valid ``Tier`` whose ``known`` is
    false; it compares equal to the plain string.
    """

    KNOWN: ClassVar[frozenset[str]] = frozenset()

    __slots__ = ()

    @property
    def known(self) -> bool:
        """The value is one of the declared values."""
        return str(self) in type(self).KNOWN

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


def read_open_enum(value: object, path: str, cls: type[O]) -> O:
    """An open enum value: any string, kept as ``cls(text)``."""
    return cls(read_str(value, path))


Decoder: TypeAlias = Callable[[object, str], T]
"""A decoder: ``(json_value, path) -> T``, raising ``ValidationError`` (every ``read_*``, and a
record's ``from_json``)."""


def list_of(item: Decoder[T]) -> Decoder[list[T]]:
    """The decoder of a JSON array of ``item`` (``read_list`` with ``item``)."""

    def read(value: object, path: str) -> list[T]:
        return read_list(value, path, item)

    return read


def map_of(item: Decoder[T]) -> Decoder[dict[str, T]]:
    """The decoder of a ``map<string, T>`` of ``item`` (``read_map`` with ``item``)."""

    def read(value: object, path: str) -> dict[str, T]:
        return read_map(value, path, item)

    return read


def enum_of(cls: type[E]) -> Decoder[E]:
    """The decoder of the closed enum ``cls`` (``read_enum``)."""

    def read(value: object, path: str) -> E:
        return read_enum(value, path, cls)

    return read


def open_enum_of(cls: type[O]) -> Decoder[O]:
    """The decoder of the open enum ``cls`` (``read_open_enum``)."""

    def read(value: object, path: str) -> O:
        return read_open_enum(value, path, cls)

    return read


def encode_list(items: Iterable[T], item: Callable[[T], object]) -> list[object]:
    """The JSON array of ``items``, each written by ``item`` (a record's ``to_json``,
    ``write_datetime``...)."""
    return [item(i) for i in items]


def encode_map(
    values: Mapping[str, T], item: Callable[[T], object]
) -> dict[str, object]:
    """The JSON object of ``values``, each written by ``item``."""
    return {k: item(v) for k, v in values.items()}


def write_datetime(value: _dt.datetime) -> str:
    """RFC 3339 text of a timezone-aware ``datetime`` (``Z`` for UTC). Raises ``ValueError`` for
    a naive one (``Checker.timestamp`` reports it before a request is sent)."""
    offset = value.utcoffset()
    if offset is None:
        raise ValueError("a timestamp must be timezone-aware")
    text = value.isoformat()
    return (
        text[:-6] + "Z"
        if offset == _dt.timedelta(0) and text.endswith("+00:00")
        else text
    )


def write_date(value: _dt.date) -> str:
    """``YYYY-MM-DD``."""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def write_bytes(value: bytes) -> str:
    """Standard base64 with padding."""
    return base64.b64encode(value).decode("ascii")
