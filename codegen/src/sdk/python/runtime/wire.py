"""JSON on the wire, exactly: numbers are never rounded on the way in or out.

``read_json`` keeps integers as ``int`` (unbounded) and reads every number with a fraction or
an exponent as ``decimal.Decimal``, so a ``decimal`` loses no digit and a ``float`` field decides
itself when to round. NaN and Infinity (which ``json`` accepts by default) and duplicate object
members are refused. ``dump_json`` writes compact, deterministic JSON (members in the order
given, no whitespace, non-ASCII text as UTF-8 like ``JSON.stringify``) and ``Decimal`` values
digit for digit.
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TypeAlias, Union, cast

JSON: TypeAlias = Union[
    None, bool, int, float, Decimal, str, "list[JSON]", "dict[str, JSON]"
]
"""A JSON value as ``read_json`` returns it and ``dump_json`` writes it (``float`` only on the
way out: ``read_json`` reads fractions as ``Decimal``)."""


class WireError(ValueError):
    """The bytes are not one JSON value (or hold NaN, Infinity or a duplicate member)."""


def _pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise WireError(f"duplicate object member {json.dumps(key)}")
        out[key] = value
    return out


def _constant(name: str) -> object:
    raise WireError(f"{name} is not JSON")


def read_json(data: bytes | str) -> object:
    """The JSON value of ``data`` (UTF-8 when bytes): ``dict``, ``list``, ``str``, ``int``,
    ``Decimal`` (any number with a fraction or exponent), ``bool`` or ``None``.

    Raises ``WireError`` (a ``ValueError``) when ``data`` is not UTF-8 or not exactly one JSON
    value, holds ``NaN``/``Infinity``, or repeats a member of an object.
    """
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_constant,
            object_pairs_hook=_pairs,
        )
    except WireError:
        raise
    except (ValueError, RecursionError) as error:
        raise WireError(f"not JSON: {error}") from None


def _write(value: object, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, enum.Enum):
        _write(value.value, out)
    elif isinstance(value, str):
        out.append(json.dumps(str(value), ensure_ascii=False))
    elif isinstance(value, int):
        out.append(str(int(value)))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} cannot be written as JSON")
        out.append(repr(value))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} cannot be written as JSON")
        out.append(str(value))
    elif isinstance(value, Mapping):
        out.append("{")
        first = True
        for key, item in cast("Mapping[object, object]", value).items():
            if not isinstance(key, str):
                raise TypeError(
                    f"a JSON object member name must be a str, not {type(key)}"
                )
            if not first:
                out.append(",")
            first = False
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _write(item, out)
        out.append("}")
    elif isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        out.append("[")
        for i, item in enumerate(cast("Sequence[object]", value)):
            if i > 0:
                out.append(",")
            _write(item, out)
        out.append("]")
    else:
        raise TypeError(f"{type(value).__name__} cannot be written as JSON")


def dump_json(value: object) -> bytes:
    """The compact UTF-8 JSON text of ``value`` (see ``JSON``; ``enum.Enum`` members are written
    as their value, tuples as arrays). Raises ``ValueError`` for NaN or infinite numbers and
    ``TypeError`` for anything else that is not JSON. Absent fields are simply not in the
    mapping: nothing is turned into ``null`` here."""
    out: list[str] = []
    _write(value, out)
    return "".join(out).encode("utf-8")


def as_object(value: object) -> dict[str, object] | None:
    """``value`` as a JSON object (what ``read_json`` returns for one), else ``None``."""
    return cast("dict[str, object]", value) if isinstance(value, dict) else None


def as_array(value: object) -> list[object] | None:
    """``value`` as a JSON array, else ``None``."""
    return cast("list[object]", value) if isinstance(value, list) else None


def canonical_json(value: object) -> str:
    """``value`` as JSON text with object members sorted by name: equal values, equal texts
    (used to compare the items of a set)."""
    return json.dumps(
        _sorted(value), ensure_ascii=False, separators=(",", ":"), default=str
    )


def _sorted(value: object) -> object:
    if isinstance(value, enum.Enum):
        return _sorted(value.value)
    if isinstance(value, Mapping):
        members = cast("Mapping[object, object]", value).items()
        return {k: _sorted(v) for k, v in sorted((str(k), v) for k, v in members)}
    if isinstance(value, (list, tuple)):
        return [_sorted(v) for v in cast("Sequence[object]", value)]
    if isinstance(value, Decimal):
        return value.normalize()
    return value
