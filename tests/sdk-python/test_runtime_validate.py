"""Decoding and checking: JSON paths in the TypeScript/Go notation, exact ints, strict
timestamps, closed records, enums open and closed, collected refinements, provenance."""

import datetime as dt
import enum
from decimal import Decimal
from typing import ClassVar

import pytest

import _charter


def problems(error: pytest.ExceptionInfo[_charter.ValidationError]) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in error.value.problems]


def test_paths() -> None:
    assert _charter.member_path("body", "items") == "body.items"
    assert _charter.member_path("body", "a b") == 'body["a b"]'
    assert _charter.member_path("body", 'q"') == 'body["q\\""]'
    assert _charter.member_path("", "x") == "x"
    assert _charter.index_path("body.items", 2) == "body.items[2]"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0), (-5, -5), (Decimal("2.0"), 2), (2**63 - 1, 2**63 - 1), (-(2**63), -(2**63))],
)
def test_read_int_accepts(value: object, expected: int) -> None:
    assert _charter.read_int(value, "x") == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "expected an integer, found a boolean"),
        (Decimal("2.5"), "expected an integer, found a number"),
        (2.5, "expected an integer, found a number"),
        ("1", "expected an integer, found a string"),
        (None, "expected an integer, found null"),
        (2**63, "integer beyond 64 bits"),
        (-(2**63) - 1, "integer beyond 64 bits"),
    ],
)
def test_read_int_refuses(value: object, message: str) -> None:
    with pytest.raises(_charter.ValidationError) as caught:
        _charter.read_int(value, "body.n")
    assert problems(caught) == [("body.n", message)]


def test_numbers() -> None:
    assert _charter.read_float(3, "x") == 3.0
    assert _charter.read_float(Decimal("0.1"), "x") == 0.1
    assert _charter.read_decimal(Decimal("0.10"), "x") == Decimal("0.10")
    assert str(_charter.read_decimal(7, "x")) == "7"
    for bad in (True, "1", None, Decimal("Infinity"), 10**400):
        with pytest.raises(_charter.ValidationError):
            _charter.read_float(bad, "x")
    with pytest.raises(_charter.ValidationError):
        _charter.read_decimal(False, "x")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-29T12:30:00Z", dt.datetime(2024, 2, 29, 12, 30, tzinfo=dt.timezone.utc)),
        (
            "2024-01-01t00:00:00.123456789+05:30",
            dt.datetime(
                2024, 1, 1, 0, 0, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))
            ),
        ),
        ("1999-12-31T23:59:59-08:00", dt.datetime(1999, 12, 31, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=-8)))),
    ],
)
def test_timestamps(text: str, expected: dt.datetime) -> None:
    got = _charter.read_datetime(text, "x")
    assert got == expected
    assert got.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "text",
    [
        "2024-01-01T00:00:00",  # naive
        "2024-01-01 00:00:00Z",  # space
        "2023-02-29T00:00:00Z",  # not a day
        "2024-01-01T24:00:00Z",
        "2024-01-01T00:00:60Z",  # leap second: a datetime cannot hold it
        "2024-01-01T00:00:00+2400",
        "2024-01-01T00:00:00+24:00",
        "2024-01-01",
        "20240101T000000Z",
        "2024-01-01T00:00:00.Z",
    ],
)
def test_timestamps_refused(text: str) -> None:
    with pytest.raises(_charter.ValidationError) as caught:
        _charter.read_datetime(text, "response.at")
    assert problems(caught) == [("response.at", "invalid RFC 3339 timestamp")]


def test_write_datetime() -> None:
    utc = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    assert _charter.write_datetime(utc) == "2024-01-02T03:04:05Z"
    plus = dt.datetime(2024, 1, 2, 3, 4, 5, 600, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert _charter.write_datetime(plus) == "2024-01-02T03:04:05.000600+02:00"
    assert _charter.read_datetime(_charter.write_datetime(plus), "x") == plus
    with pytest.raises(ValueError):
        _charter.write_datetime(dt.datetime(2024, 1, 2))  # noqa: DTZ001


def test_dates_bytes_and_formats() -> None:
    assert _charter.read_date("2024-02-29", "x") == dt.date(2024, 2, 29)
    assert _charter.write_date(dt.date(7, 1, 2)) == "0007-01-02"
    for bad in ("2023-02-29", "2024-1-01", "2024-01-01T00:00:00Z", 20240101):
        with pytest.raises(_charter.ValidationError):
            _charter.read_date(bad, "x")
    assert _charter.read_bytes("aGk=", "x") == b"hi"
    assert _charter.write_bytes(b"hi") == "aGk="
    for bad in ("aGk", "aGk=\n", "a-_=", "====", 5):
        with pytest.raises(_charter.ValidationError):
            _charter.read_bytes(bad, "x")
    assert _charter.read_uuid("123e4567-E89B-12d3-a456-426614174000", "x")
    with pytest.raises(_charter.ValidationError):
        _charter.read_uuid("123e4567e89b12d3a456426614174000", "x")
    assert _charter.read_duration("30d", "x") == "30d"
    with pytest.raises(_charter.ValidationError):
        _charter.read_duration("30 d", "x")


def test_closed_records() -> None:
    with pytest.raises(_charter.ValidationError) as caught:
        _charter.expect_object(
            {"id": 1, "extra": 2, "odd key": 3},
            "body",
            name="Dataset",
            required=("id", "name", "provenance"),
            known=frozenset({"id", "name", "provenance"}),
            envelope="provenance",
        )
    assert problems(caught) == [
        ("body.name", "missing required field of Dataset"),
        ("body.provenance", "missing provenance envelope"),
        ("body.extra", "unknown field of Dataset"),
        ('body["odd key"]', "unknown field of Dataset"),
    ]
    assert [p.provenance for p in caught.value.problems] == [False, True, False, False]
    assert isinstance(caught.value.redirect("response", True), _charter.ProvenanceError)
    assert type(caught.value.redirect("response", False)) is _charter.ValidationError
    with pytest.raises(_charter.ValidationError) as caught:
        _charter.expect_object([1], "body", name="Dataset", known=())
    assert problems(caught) == [("body", "expected a Dataset object, found an array")]


def test_lists_and_maps_collect_every_item() -> None:
    with pytest.raises(_charter.ValidationError) as caught:
        _charter.read_list([1, "a", 2, None], "body.ids", _charter.read_int)
    assert [p.path for p in caught.value.problems] == ["body.ids[1]", "body.ids[3]"]
    assert _charter.read_map({"a b": 1}, "m", _charter.read_int) == {"a b": 1}
    with pytest.raises(_charter.ValidationError) as caught:
        _charter.read_map({"a b": "x", "c": 1}, "body.labels", _charter.read_int)
    assert [p.path for p in caught.value.problems] == ['body.labels["a b"]']
    with pytest.raises(_charter.ValidationError):
        _charter.read_list({}, "x", _charter.read_int)


def test_envelope_problems_are_provenance_problems() -> None:
    def envelope(value: object, path: str) -> float:
        members = _charter.expect_object(
            value, path, name="Provenance", required=("confidence",), known={"confidence"}
        )
        return _charter.read_float(members["confidence"], _charter.member_path(path, "confidence"))

    assert _charter.read_envelope({"confidence": 1}, "body.provenance", envelope) == 1.0
    with pytest.raises(_charter.ValidationError) as caught:
        _charter.read_envelope({"confidence": "high"}, "body.provenance", envelope)
    assert caught.value.problems == (
        _charter.Problem(
            "body.provenance.confidence", "expected a number, found a string", provenance=True
        ),
    )


class Color(str, enum.Enum):
    RED = "red"
    GREEN = "green"


class Tier(_charter.OpenEnum):
    KNOWN: ClassVar[frozenset[str]] = frozenset({"gold", "silver"})
    GOLD: ClassVar["Tier"]


Tier.GOLD = Tier("gold")


def test_enums() -> None:
    assert _charter.read_enum("red", "x", Color) is Color.RED
    with pytest.raises(_charter.ValidationError) as caught:
        _charter.read_enum("blue", "body.color", Color)
    assert problems(caught) == [("body.color", "not a value of Color")]
    platinum = _charter.read_open_enum("platinum", "x", Tier)
    assert isinstance(platinum, Tier)
    assert platinum == "platinum"
    assert not platinum.known
    assert Tier.GOLD.known
    assert _charter.read_open_enum("gold", "x", Tier) == Tier.GOLD
    assert _charter.dump_json([Tier.GOLD, platinum, Color.GREEN]) == b'["gold","platinum","green"]'
    assert repr(platinum) == "Tier('platinum')"


def test_checker_collects_and_raises() -> None:
    c = _charter.Checker()
    c.range("body.n", 11, 0, 10)
    c.range("body.x", Decimal("0.5"), Decimal("0.5"), None)
    c.range("body.f", float("nan"), None, None)
    c.pattern("body.s", "abc", "^b")
    c.pattern("body.t", "xbz", "b")
    c.pattern("body.u", "x", "(")
    c.enum("body.c", "red", Color)
    c.enum("body.d", Color.RED, Color)
    c.uuid("body.id", "nope")
    c.duration("body.ttl", "30d")
    c.timestamp("body.at", dt.datetime(2024, 1, 1))  # noqa: DTZ001
    c.unique("body.tags", ["a", "b", "a", {"k": 1, "j": 2}, {"j": 2, "k": 1}])
    c.required("body.r", False)
    c.envelope("body.provenance", lambda: c.range("body.provenance.confidence", 2, 0, 1))
    with c.envelope_scope("body.provenance"):
        c.add("body.provenance.source", "custom")
    assert not c.ok
    got = [(p.path, p.message, p.provenance) for p in c.problems]
    assert got == [
        ("body.n", "outside 0..10", False),
        ("body.f", "outside ..", False),
        ("body.s", 'does not match "^b"', False),
        ("body.u", got[3][1], False),
        ("body.c", "not a value of Color", False),
        ("body.id", "invalid uuid", False),
        ("body.at", "a timestamp must be timezone-aware", False),
        ("body.tags[2]", "duplicate item in a set", False),
        ("body.tags[4]", "duplicate item in a set", False),
        ("body.r", "missing required field", False),
        ("body.provenance.confidence", "outside 0..1", True),
        ("body.provenance.source", "custom", True),
    ]
    assert got[3][1].startswith('the pattern "(" cannot be checked')
    with pytest.raises(_charter.ProvenanceError) as caught:
        c.raise_if_any("request", provenance=True)
    assert caught.value.direction == "request"
    assert str(caught.value).startswith("invalid request: body.n: outside 0..10; ")
    with pytest.raises(_charter.ValidationError) as plain:
        c.raise_if_any("request", provenance=False)
    assert type(plain.value) is _charter.ValidationError
    _charter.Checker().raise_if_any("response", provenance=True)


def test_combinators() -> None:
    colors = _charter.list_of(_charter.list_of(_charter.enum_of(Color)))
    assert colors([["red"], [], ["green", "red"]], "x") == [[Color.RED], [], [Color.GREEN, Color.RED]]
    with pytest.raises(_charter.ValidationError) as caught:
        colors([["red"], ["blue", 1]], "body.c")
    assert problems(caught) == [
        ("body.c[1][0]", "not a value of Color"),
        ("body.c[1][1]", "expected a string, found a number"),
    ]
    tiers = _charter.map_of(_charter.open_enum_of(Tier))
    assert tiers({"a": "gold", "b": "x"}, "t") == {"a": Tier.GOLD, "b": "x"}
    assert _charter.encode_list([dt.date(2024, 1, 2)], _charter.write_date) == ["2024-01-02"]
    assert _charter.encode_map({"k": b"hi"}, _charter.write_bytes) == {"k": "aGk="}
