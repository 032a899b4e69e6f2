"""What the generated code declares (``Operation``), the retry policy, the hooks' events and a
call's ``Response``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from .httpio import Headers
from .verdict import Verdict

T = TypeVar("T")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
"""The methods that are retried (docs/sdk.md)."""


@dataclass(frozen=True)
class RetryPolicy:
    """Retries of idempotent methods on connection errors, 429 and 503: exponential backoff
    with full jitter (a random wait up to ``base_delay * 2**attempt``, at most ``max_delay``),
    or the ``Retry-After`` the server sent (seconds or an HTTP-date), as long as the waits add
    up to at most ``budget`` seconds."""

    max_retries: int = 2
    """Retries after the first attempt."""
    base_delay: float = 0.2
    """The first backoff step in seconds; doubled on every retry."""
    max_delay: float = 10.0
    """The longest backoff step in seconds."""
    budget: float = 30.0
    """The total time spent waiting between attempts, at most, in seconds."""


@dataclass(frozen=True)
class Operation:
    """One operation, as the generated code declares it."""

    service: str
    """The service's full name (``summit.lineage.Lineage``)."""
    name: str
    """The operation's full name (``summit.lineage.Lineage.ingest``), in errors and events."""
    method: str
    """The HTTP method, upper case."""
    path: str
    """The path template with the service's base path (``/v1/lineage/{id}``)."""
    idempotent: bool
    """Retried on connection errors, 429 and 503 (GET, HEAD, OPTIONS, PUT, DELETE)."""
    success: int = 200
    """The declared success status (any 2xx is taken as success)."""
    guarded: bool = False
    """``guarded by`` a policy: a success must carry a well-formed verdict."""
    requires_provenance: bool = False
    """Envelope problems, in the request or the response, raise ``ProvenanceError``."""
    deprecated: str | None = None
    """The warning of a deprecated operation (``X is deprecated: since …; use …``)."""
    replacement: str | None = None
    """The operation to use instead, when declared."""
    sunset: str | None = None
    """The declared sunset date, when declared."""


@dataclass(frozen=True)
class VerdictEvent:
    """What the ``on_verdict`` hook receives for every verdict of a guarded operation."""

    operation: str
    decider: str
    rule_id: str
    reason: str
    confidence: float | None
    """The ``provenance.confidence`` of the response body, else of the request body."""
    trace_id: str
    verdict: Verdict


@dataclass(frozen=True)
class DeprecationEvent:
    """What the ``on_deprecation`` hook receives: the once-per-process warning of a deprecated
    operation (``message`` set), or a response's ``Deprecation``/``Sunset`` headers."""

    operation: str
    message: str | None
    deprecation: str | None
    """The ``Deprecation`` header (RFC 9745, ``@<unix seconds>``), when received."""
    sunset: str | None
    """The ``Sunset`` header (RFC 8594, an HTTP-date), when received."""


@dataclass(frozen=True)
class Response(Generic[T]):
    """A successful call."""

    value: T
    """The decoded body (``None`` for an operation without a result)."""
    status: int
    headers: Headers
    trace_id: str
    """The trace id of the ``traceparent`` sent."""
    verdict: Verdict | None
    """The verdict of a guarded operation (always set for one)."""
    deprecation: str | None = None
    """The ``Deprecation`` response header, when sent."""
    sunset: str | None = None
    """The ``Sunset`` response header, when sent."""
