"""Code in the shape a generated module has, type-checked against the runtime with
``mypy --strict`` and pyright (strict) by ``tests/sdk-python/runtime.sh``: proves that the
runtime's API can be used without a single ``Any`` or ``type: ignore``."""

from __future__ import annotations

import datetime as dt
import enum
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from . import _charter


class Color(str, enum.Enum):
    """A closed enum."""

    RED = "red"
    GREEN = "green"


class Tier(_charter.OpenEnum):
    """An open enum."""

    KNOWN: ClassVar[frozenset[str]] = frozenset({"gold", "silver"})
    GOLD: ClassVar[Tier]
    SILVER: ClassVar[Tier]


Tier.GOLD = Tier("gold")
Tier.SILVER = Tier("silver")


@dataclass(frozen=True)
class Provenance:
    """An envelope."""

    confidence: float

    @classmethod
    def from_json(cls, value: object, path: str) -> Provenance:
        m = _charter.expect_object(
            value, path, name="Provenance", required=("confidence",), known=("confidence",)
        )
        return cls(_charter.read_float(m["confidence"], _charter.member_path(path, "confidence")))

    def to_json(self) -> dict[str, object]:
        return {"confidence": self.confidence}

    def validate(self, c: _charter.Checker, path: str) -> None:
        c.range(_charter.member_path(path, "confidence"), self.confidence, 0, 1)


@dataclass(frozen=True)
class Dataset:
    """A record with every kind of field."""

    provenance: Provenance
    id: str
    rows: int
    price: Decimal
    color: Color
    tier: Tier
    at: dt.datetime
    day: dt.date
    blob: bytes
    tags: list[str] = field(default_factory=lambda: list[str]())
    labels: dict[str, int] = field(default_factory=lambda: dict[str, int]())
    note: str | None = None

    _KNOWN: ClassVar[frozenset[str]] = frozenset(
        {"provenance", "id", "rows", "price", "color", "tier", "at", "day", "blob", "tags", "labels", "note"}
    )

    @classmethod
    def from_json(cls, value: object, path: str) -> Dataset:
        m = _charter.expect_object(
            value,
            path,
            name="Dataset",
            required=("provenance", "id", "rows", "price", "color", "tier", "at", "day", "blob"),
            known=cls._KNOWN,
            envelope="provenance",
        )
        at = _charter.member_path
        note = m.get("note")
        return cls(
            provenance=_charter.read_envelope(m["provenance"], at(path, "provenance"), Provenance.from_json),
            id=_charter.read_uuid(m["id"], at(path, "id")),
            rows=_charter.read_int(m["rows"], at(path, "rows")),
            price=_charter.read_decimal(m["price"], at(path, "price")),
            color=_charter.read_enum(m["color"], at(path, "color"), Color),
            tier=_charter.read_open_enum(m["tier"], at(path, "tier"), Tier),
            at=_charter.read_datetime(m["at"], at(path, "at")),
            day=_charter.read_date(m["day"], at(path, "day")),
            blob=_charter.read_bytes(m["blob"], at(path, "blob")),
            tags=_charter.read_list(m.get("tags", []), at(path, "tags"), _charter.read_str),
            labels=_charter.map_of(_charter.read_int)(m.get("labels", {}), at(path, "labels")),
            note=None if note is None else _charter.read_str(note, at(path, "note")),
        )

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "provenance": self.provenance.to_json(),
            "id": self.id,
            "rows": self.rows,
            "price": self.price,
            "color": self.color.value,
            "tier": str(self.tier),
            "at": _charter.write_datetime(self.at),
            "day": _charter.write_date(self.day),
            "blob": _charter.write_bytes(self.blob),
            "tags": _charter.encode_list(self.tags, str),
            "labels": _charter.encode_map(self.labels, int),
        }
        if self.note is not None:
            out["note"] = self.note
        return out

    def validate(self, c: _charter.Checker, path: str) -> None:
        at = _charter.member_path
        c.envelope(at(path, "provenance"), lambda: self.provenance.validate(c, at(path, "provenance")))
        with c.envelope_scope(at(path, "provenance")):
            self.provenance.validate(c, at(path, "provenance"))
        c.uuid(at(path, "id"), self.id)
        c.range(at(path, "rows"), self.rows, 0, None)
        c.enum(at(path, "color"), self.color, Color)
        c.timestamp(at(path, "at"), self.at)
        c.unique(at(path, "tags"), self.tags)
        if self.note is not None:
            c.pattern(at(path, "note"), self.note, "^[a-z]+$")


_COLORS: _charter.Decoder[list[list[Color]]] = _charter.list_of(
    _charter.list_of(_charter.enum_of(Color))
)
_TIERS: _charter.Decoder[dict[str, Tier]] = _charter.map_of(_charter.open_enum_of(Tier))


class DatasetConflict(_charter.DeclaredError[Dataset]):
    """A declared error."""


def _decode_dataset(value: object, path: str) -> Dataset:
    d = Dataset.from_json(value, path)
    c = _charter.Checker()
    d.validate(c, path)
    c.raise_if_any("value")
    return d


def _conflict(value: object, response: _charter.HTTPResponse) -> Exception:
    return DatasetConflict("s.Datasets.put", response, _decode_dataset(value, "response"))


_PUT = _charter.Operation(
    service="s.Datasets",
    name="s.Datasets.put",
    method="PUT",
    path="/v1/datasets/{id}",
    idempotent=True,
    guarded=True,
    requires_provenance=True,
    deprecated="s.Datasets.put is deprecated: since 1.0; use s.Datasets.replace",
    replacement="s.Datasets.replace",
)
_DELETE = _charter.Operation(
    service="s.Datasets", name="s.Datasets.delete", method="DELETE", path="/v1/datasets/{id}", idempotent=True, success=204
)


class DatasetsClient:
    """A client."""

    def __init__(self, transport: _charter.Transport) -> None:
        self._transport = transport

    def put(self, id: str, body: Dataset, *, dry_run: bool | None = None) -> _charter.Response[Dataset]:
        c = _charter.Checker()
        body.validate(c, "body")
        c.raise_if_any("request", provenance=True)
        return _charter.call(
            self._transport,
            _PUT,
            path_params={"id": id},
            query={"dry_run": dry_run},
            body=body.to_json(),
            decode=_decode_dataset,
            errors={409: _conflict},
        )

    def delete(self, id: str) -> _charter.Response[None]:
        return _charter.call(self._transport, _DELETE, path_params={"id": id})


def my_send(request: _charter.HTTPRequest) -> _charter.HTTPResponse:
    """A user's own HTTP stack."""
    return _charter.urllib_send(request)


def use_example() -> None:
    """Calls as a user would."""
    t = _charter.Transport(
        "https://api.example.test",
        send=my_send,
        logger=logging.getLogger("x"),
        timeout=3,
    )
    del t
    t = _charter.Transport(
        "https://api.example.test",
        retry=_charter.RetryPolicy(max_retries=1),
        verdict_keys=[_charter.VerdictKey.from_jwk({"kty": "EC", "kid": "k"})],
        on_verdict=lambda e: print(e.decider, e.confidence),
        on_deprecation=lambda e: print(e.message),
    )
    with _charter.traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"):
        r = DatasetsClient(t).delete("x")
    value: None = r.value
    del value
    try:
        DatasetsClient(t).delete("y")
    except DatasetConflict as e:
        d: Dataset = e.value
        print(d.id, e.status)
    except _charter.VerdictError as e:
        kind: _charter.VerdictErrorKind = e.kind
        print(kind)
