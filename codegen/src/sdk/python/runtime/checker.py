"""The ``Checker``: refinements (ranges, patterns, closed enums, formats, set uniqueness)
reported by generated ``validate`` methods, collected, then raised at once."""

from __future__ import annotations

import datetime as _dt
import enum
import math
import re
from collections.abc import Callable, Generator, Sequence
from contextlib import contextmanager
from decimal import Decimal

from .validate import (
    DURATION_RE,
    UUID_RE,
    Direction,
    Problem,
    ValidationError,
    index_path,
)
from .wire import canonical_json

Number = int | float | Decimal
"""A number a range refinement bounds."""


def _is_nan(value: Number) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, Decimal) and value.is_nan()


_PATTERNS: dict[str, re.Pattern[str] | str] = {}


class Checker:
    """Collects problems; generated ``validate`` methods report into it.

    ``raise_if_any`` raises them all as one ``ValidationError`` (or ``ProvenanceError``).
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._envelope_depth = 0

    @property
    def ok(self) -> bool:
        """No problem was found."""
        return not self.problems

    def add(self, path: str, message: str) -> None:
        """Reports a problem at ``path`` (a provenance problem inside ``envelope``)."""
        self.problems.append(
            Problem(path, message, provenance=self._envelope_depth > 0)
        )

    def required(self, path: str, present: bool) -> None:
        """Reports a required value that is absent (``None``)."""
        if not present:
            self.add(path, "missing required field")

    def range(
        self, path: str, value: Number, min: Number | None, max: Number | None
    ) -> None:
        """Reports ``value`` outside ``min..max`` (both ends included, ``None`` is open)."""
        if (
            _is_nan(value)
            or (min is not None and value < min)
            or (max is not None and value > max)
        ):
            low = "" if min is None else str(min)
            high = "" if max is None else str(max)
            self.add(path, f"outside {low}..{high}")

    def pattern(self, path: str, value: str, regex: str) -> None:
        """Reports ``value`` not matching ``regex`` (searched, not anchored, as in the TypeScript
        SDK; compiled once per process). A pattern Python cannot compile is reported as a
        problem, never raised."""
        compiled = _PATTERNS.get(regex)
        if compiled is None:
            try:
                compiled = re.compile(regex)
            except re.error as error:
                compiled = str(error)
            _PATTERNS[regex] = compiled
        if isinstance(compiled, str):
            self.add(
                path,
                f"the pattern {canonical_json(regex)} cannot be checked: {compiled}",
            )
        elif compiled.search(value) is None:
            self.add(path, f"does not match {canonical_json(regex)}")

    def enum(self, path: str, value: object, cls: type[enum.Enum]) -> None:
        """Reports ``value`` that is not a member of the closed enum ``cls``."""
        if not isinstance(value, cls):
            self.add(path, f"not a value of {cls.__name__}")

    def uuid(self, path: str, value: str) -> None:
        """Reports ``value`` not of the 8-4-4-4-12 hexadecimal form."""
        if UUID_RE.fullmatch(value) is None:
            self.add(path, "invalid uuid")

    def duration(self, path: str, value: str) -> None:
        """Reports ``value`` not of Charter's duration form: digits and one unit of
        ``s m h d w y`` (``30d``)."""
        if DURATION_RE.fullmatch(value) is None:
            self.add(path, "invalid duration (such as 30d)")

    def timestamp(self, path: str, value: _dt.datetime) -> None:
        """Reports a naive ``datetime`` (a ``timestamp`` must carry its offset)."""
        if value.utcoffset() is None:
            self.add(path, "a timestamp must be timezone-aware")

    def unique(self, path: str, items: Sequence[object]) -> None:
        """Reports every item of a set equal to an earlier one, at ``path[i]``. ``items`` are
        JSON values (the items' ``to_json()``, or the scalars themselves)."""
        seen: set[str] = set()
        for i, item in enumerate(items):
            key = canonical_json(item)
            if key in seen:
                self.add(index_path(path, i), "duplicate item in a set")
            seen.add(key)

    def envelope(self, path: str, check: Callable[[], None]) -> None:
        """Runs ``check`` (the checks of the provenance envelope at ``path``): the problems it
        reports are provenance problems."""
        with self.envelope_scope(path):
            check()

    @contextmanager
    def envelope_scope(self, path: str) -> Generator[None, None, None]:
        """``with checker.envelope_scope(path):`` the problems reported inside are provenance
        problems (the same as ``envelope`` without a callable)."""
        del path
        self._envelope_depth += 1
        try:
            yield
        finally:
            self._envelope_depth -= 1

    def raise_if_any(
        self, direction: Direction = "value", provenance: bool = False
    ) -> None:
        """Raises the problems found, if any: a ``ProvenanceError`` when ``provenance`` (the
        operation requires provenance) and one is about an envelope, else a
        ``ValidationError``."""
        if self.problems:
            raise ValidationError(self.problems).redirect(direction, provenance)
