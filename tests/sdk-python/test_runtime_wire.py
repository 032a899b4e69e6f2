"""JSON exactness: integers unbounded, fractions as Decimal, no NaN, no duplicate members; the
writer compact, ordered and exact."""

import enum
from decimal import Decimal

import pytest

import _charter


def test_numbers_are_never_rounded() -> None:
    value = _charter.read_json(
        b'{"big": 123456789012345678901234567890, "d": 0.1000000000000000055511151231257827,'
        b' "e": 1e400, "neg": -0.0}'
    )
    assert value == {
        "big": 123456789012345678901234567890,
        "d": Decimal("0.1000000000000000055511151231257827"),
        "e": Decimal("1e400"),
        "neg": Decimal("-0.0"),
    }
    assert isinstance(_charter.as_object(value), dict)
    assert _charter.dump_json(value) == (
        b'{"big":123456789012345678901234567890,"d":0.1000000000000000055511151231257827,'
        b'"e":1E+400,"neg":-0.0}'
    )


@pytest.mark.parametrize(
    "text",
    [
        b"NaN",
        b"[Infinity]",
        b"-Infinity",
        b'{"a": 1, "a": 2}',
        b"{",
        b"",
        b"1 2",
        b"\xff",
        b"'single'",
    ],
)
def test_refused(text: bytes) -> None:
    with pytest.raises(_charter.WireError):
        _charter.read_json(text)


def test_duplicates_are_refused_at_any_depth() -> None:
    with pytest.raises(_charter.WireError, match="duplicate"):
        _charter.read_json(b'[{"x": {"k": 1, "k": 1}}]')


class Color(str, enum.Enum):
    RED = "red"


def test_dump_is_compact_ordered_and_typed() -> None:
    value = {
        "z": 1,
        "a": [True, False, None, 1.5, Decimal("2.50"), "é\"\\\n", Color.RED, ("t",)],
    }
    assert _charter.dump_json(value) == '{"z":1,"a":[true,false,null,1.5,2.50,"é\\"\\\\\\n","red",["t"]]}'.encode()
    assert _charter.read_json(_charter.dump_json(value)) == {
        "z": 1,
        "a": [True, False, None, Decimal("1.5"), Decimal("2.50"), 'é"\\\n', "red", ["t"]],
    }


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), Decimal("NaN"), Decimal("-Infinity")])
def test_dump_refuses_non_finite(bad: object) -> None:
    with pytest.raises(ValueError):
        _charter.dump_json({"x": bad})


def test_dump_refuses_what_is_not_json() -> None:
    with pytest.raises(TypeError):
        _charter.dump_json({"x": object()})
    with pytest.raises(TypeError):
        _charter.dump_json({1: "non-string key"})
    with pytest.raises(TypeError):
        _charter.dump_json(b"bytes")
