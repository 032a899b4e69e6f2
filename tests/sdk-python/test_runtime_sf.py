"""The RFC 9651 dictionary parser: every bare item type, parameters, inner lists, and what the
RFC refuses."""

from decimal import Decimal

import pytest

from _charter import sf


def test_every_bare_item_type() -> None:
    d = sf.parse_dictionary(
        'a=1, b=-42, c=3.14, d="x \\"y\\" \\\\", e=tok/1:x, f=:aGVsbG8=:, g=?0, h, '
        'i=@1700000000, j=%"caf%c3%a9"'
    )
    values = {k: v.value for k, v in d.items() if isinstance(v, sf.Item)}
    assert values == {
        "a": 1,
        "b": -42,
        "c": Decimal("3.14"),
        "d": 'x "y" \\',
        "e": "tok/1:x",
        "f": b"hello",
        "g": False,
        "h": True,
        "i": sf.SfDate(1700000000),
        "j": "café",
    }
    assert isinstance(values["e"], sf.Token)
    assert isinstance(values["j"], sf.DisplayString)
    assert not isinstance(values["d"], (sf.Token, sf.DisplayString))


def test_parameters_and_inner_lists() -> None:
    d = sf.parse_dictionary('a=(1 "two" ?1);p=x, b=2;q;r="s", c=()')
    a = d["a"]
    assert isinstance(a, sf.InnerList)
    assert [i.value for i in a.items] == [1, "two", True]
    assert a.params == {"p": "x"}
    b = d["b"]
    assert isinstance(b, sf.Item)
    assert b.params == {"q": True, "r": "s"}
    c = d["c"]
    assert isinstance(c, sf.InnerList) and c.items == []


def test_a_later_duplicate_replaces_an_earlier_one_and_moves_last() -> None:
    d = sf.parse_dictionary("a=1, b=2, a=3")
    assert list(d) == ["b", "a"]
    a = d["a"]
    assert isinstance(a, sf.Item) and a.value == 3


def test_whitespace() -> None:
    assert list(sf.parse_dictionary("  a=1,\tb=2 ,  c=3   ")) == ["a", "b", "c"]
    assert sf.parse_dictionary("") == {}


@pytest.mark.parametrize(
    "text",
    [
        "a=1,",  # trailing comma
        "a=1 b=2",  # no comma
        "A=1",  # upper-case key
        "1a=1",  # key starting with a digit
        'a="unterminated',
        'a="bad \\n escape"',
        'a="caf\u00e9"',  # non-ASCII in a string
        "a=1234567890123456",  # 16 digits
        "a=1234567890123.5",  # 13 integer digits in a decimal
        "a=1.2345",  # 4 fraction digits
        "a=1.",
        "a=-",
        "a=?2",
        "a=:not base64!:",
        "a=:abc",
        "a=:ab=c:",  # padding inside
        "a=:YQ==YQ==:",
        "a=(1 2",
        "a=(1,2)",
        "a=@1.5",
        'a=%"caf%C3%A9"',  # upper-case hex
        'a=%"%ff"',  # not UTF-8
        "a=%x",
        "a=",
        "\ta=1",  # leading tab
        "a=1;",
    ],
)
def test_refused(text: str) -> None:
    with pytest.raises(sf.SfError):
        sf.parse_dictionary(text)


def test_number_limits() -> None:
    d = sf.parse_dictionary("a=999999999999999, b=-999999999999.999, c=0.5")
    assert {k: v.value for k, v in d.items() if isinstance(v, sf.Item)} == {
        "a": 999999999999999,
        "b": Decimal("-999999999999.999"),
        "c": Decimal("0.5"),
    }
