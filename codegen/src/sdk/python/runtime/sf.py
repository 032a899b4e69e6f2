"""RFC 9651 structured fields: the dictionary parser (§4.2.2) and every bare item type.

Used for the ``Charter-Verdict`` header; strict: anything the RFC refuses raises ``SfError``.
Bare items are Python values: ``bool``, ``int`` (integers), ``Decimal`` (decimals, at most 12
integer and 3 fraction digits), ``str`` (strings), ``Token`` and ``DisplayString`` (``str``
subclasses), ``bytes`` (byte sequences) and ``SfDate`` (dates).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeAlias


class SfError(ValueError):
    """The text is not a well-formed structured field."""


class Token(str):
    """A token bare item (``foo``, ``*bar/1``)."""

    __slots__ = ()


class DisplayString(str):
    """A Display String bare item (``%"caf%c3%a9"``), decoded."""

    __slots__ = ()


@dataclass(frozen=True)
class SfDate:
    """A date bare item (``@1700000000``): seconds since the Unix epoch."""

    seconds: int


BareItem: TypeAlias = bool | int | Decimal | str | bytes | SfDate
"""A bare item: ``str`` may be a ``Token`` or a ``DisplayString``."""


@dataclass(frozen=True)
class Item:
    """An item with its parameters."""

    value: BareItem
    params: dict[str, BareItem] = field(default_factory=lambda: dict[str, BareItem]())


@dataclass(frozen=True)
class InnerList:
    """An inner list with its parameters."""

    items: list[Item]
    params: dict[str, BareItem] = field(default_factory=lambda: dict[str, BareItem]())


Member: TypeAlias = Item | InnerList
"""A dictionary member."""

_DIGITS = "0123456789"
_LCALPHA = "abcdefghijklmnopqrstuvwxyz"
_ALPHA = _LCALPHA + _LCALPHA.upper()
_KEY_CHARS = frozenset(_LCALPHA + _DIGITS + "_-.*")
_TCHARS = frozenset("!#$%&'*+-.^_`|~" + _DIGITS + _ALPHA + ":/")
_BASE64_CHARS = frozenset(_ALPHA + _DIGITS + "+/=")
_LCHEX = frozenset("0123456789abcdef")


class _Cursor:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def peek(self) -> str:
        return self.text[self.pos : self.pos + 1]

    def next(self) -> str:
        c = self.text[self.pos : self.pos + 1]
        self.pos += 1
        return c

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def skip_sp(self) -> None:
        while self.peek() == " ":
            self.pos += 1

    def skip_ows(self) -> None:
        while self.peek() in (" ", "\t") and not self.at_end():
            self.pos += 1

    def fail(self, what: str) -> SfError:
        return SfError(f"{what} at offset {self.pos}")


def parse_dictionary(text: str) -> dict[str, Member]:
    """The members of an RFC 9651 dictionary, in order; a later duplicate key replaces an
    earlier one (and takes its place at the end). Leading and trailing spaces are allowed;
    raises ``SfError`` on anything else the RFC refuses (an empty text is an empty
    dictionary)."""
    c = _Cursor(text)
    out: dict[str, Member] = {}
    c.skip_sp()
    while not c.at_end():
        key = _key(c)
        member: Member
        if c.peek() == "=":
            c.next()
            member = _item_or_inner_list(c)
        else:
            member = Item(True, _params(c))
        out.pop(key, None)
        out[key] = member
        c.skip_ows()
        if c.at_end():
            return out
        if c.next() != ",":
            raise c.fail("expected `,` after a dictionary member")
        c.skip_ows()
        if c.at_end():
            raise c.fail("trailing `,`")
    return out


def _key(c: _Cursor) -> str:
    first = c.peek()
    if first == "" or (first not in _LCALPHA and first != "*"):
        raise c.fail("expected a key")
    start = c.pos
    while not c.at_end() and c.peek() in _KEY_CHARS:
        c.pos += 1
    return c.text[start : c.pos]


def _item_or_inner_list(c: _Cursor) -> Member:
    if c.peek() != "(":
        return _item(c)
    c.next()
    items: list[Item] = []
    while True:
        c.skip_sp()
        if c.at_end():
            raise c.fail("unclosed inner list")
        if c.peek() == ")":
            c.next()
            return InnerList(items, _params(c))
        items.append(_item(c))
        if c.peek() not in (" ", ")") or c.at_end():
            raise c.fail("expected a space or `)` in an inner list")


def _item(c: _Cursor) -> Item:
    value = _bare_item(c)
    return Item(value, _params(c))


def _params(c: _Cursor) -> dict[str, BareItem]:
    params: dict[str, BareItem] = {}
    while c.peek() == ";":
        c.next()
        c.skip_sp()
        key = _key(c)
        value: BareItem = True
        if c.peek() == "=":
            c.next()
            value = _bare_item(c)
        params.pop(key, None)
        params[key] = value
    return params


def _bare_item(c: _Cursor) -> BareItem:
    first = c.peek()
    if first == "":
        raise c.fail("expected a bare item")
    if first == "-" or first in _DIGITS:
        return _number(c)
    if first == '"':
        return _string(c)
    if first in _ALPHA or first == "*":
        return _token(c)
    if first == ":":
        return _bytes(c)
    if first == "?":
        return _boolean(c)
    if first == "@":
        c.next()
        n = _number(c)
        if not isinstance(n, int):
            raise c.fail("a date must be an integer")
        return SfDate(n)
    if first == "%":
        return _display_string(c)
    raise c.fail("expected a bare item")


def _number(c: _Cursor) -> int | Decimal:
    negative = False
    if c.peek() == "-":
        c.next()
        negative = True
    if c.peek() == "" or c.peek() not in _DIGITS:
        raise c.fail("expected a digit")
    digits = ""
    decimal = False
    while True:
        ch = c.peek()
        if ch != "" and ch in _DIGITS:
            digits += c.next()
        elif ch == "." and not decimal:
            if len(digits) > 12:
                raise c.fail("too many integer digits in a decimal")
            digits += c.next()
            decimal = True
        else:
            break
        if not decimal and len(digits) > 15:
            raise c.fail("an integer has at most 15 digits")
        if decimal and len(digits) > 16:
            raise c.fail("a decimal has at most 16 characters")
    if not decimal:
        return -int(digits) if negative else int(digits)
    if digits.endswith("."):
        raise c.fail("a decimal needs a fraction")
    if len(digits) - digits.index(".") - 1 > 3:
        raise c.fail("a decimal has at most 3 fraction digits")
    value = Decimal(digits)
    return -value if negative else value


def _string(c: _Cursor) -> str:
    c.next()
    out: list[str] = []
    while True:
        if c.at_end():
            raise c.fail("unclosed string")
        ch = c.next()
        if ch == "\\":
            escaped = c.next()
            if escaped not in ('"', "\\"):
                raise c.fail("bad escape in a string")
            out.append(escaped)
        elif ch == '"':
            return "".join(out)
        else:
            if not 0x20 <= ord(ch) <= 0x7E:
                raise c.fail("a string holds only printable ASCII")
            out.append(ch)


def _token(c: _Cursor) -> Token:
    start = c.pos
    c.next()
    while not c.at_end() and c.peek() in _TCHARS:
        c.pos += 1
    return Token(c.text[start : c.pos])


def _bytes(c: _Cursor) -> bytes:
    c.next()
    start = c.pos
    while True:
        if c.at_end():
            raise c.fail("unclosed byte sequence")
        ch = c.next()
        if ch == ":":
            break
        if ch not in _BASE64_CHARS:
            raise c.fail("bad character in a byte sequence")
    text = c.text[start : c.pos - 1].rstrip("=")
    if len(text) % 4 == 1 or "=" in text:
        raise c.fail("bad base64 in a byte sequence")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except binascii.Error:
        raise c.fail("bad base64 in a byte sequence") from None


def _boolean(c: _Cursor) -> bool:
    c.next()
    ch = c.next()
    if ch == "1":
        return True
    if ch == "0":
        return False
    raise c.fail("a boolean is `?1` or `?0`")


def _display_string(c: _Cursor) -> DisplayString:
    c.next()
    if c.next() != '"':
        raise c.fail('expected `"` after `%`')
    out = bytearray()
    while True:
        if c.at_end():
            raise c.fail("unclosed display string")
        ch = c.next()
        if not 0x20 <= ord(ch) <= 0x7E:
            raise c.fail("a display string holds only printable ASCII")
        if ch == "%":
            hex_digits = c.next() + c.next()
            if len(hex_digits) != 2 or any(h not in _LCHEX for h in hex_digits):
                raise c.fail("expected two lowercase hex digits after `%`")
            out.append(int(hex_digits, 16))
        elif ch == '"':
            try:
                return DisplayString(out.decode("utf-8"))
            except UnicodeDecodeError:
                raise c.fail("a display string must be UTF-8") from None
        else:
            out.append(ord(ch))
