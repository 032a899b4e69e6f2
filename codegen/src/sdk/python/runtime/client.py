"""The transport every generated client uses: HTTP (``urllib.request`` by default, or any
``HTTPSend``), retries, timeouts, trace context, verdicts and deprecation signals.

A generated client method checks its parameters (``Checker``), then calls ``call`` with the
operation's ``Operation``, its path and query parameters, its JSON body (the ``to_json()`` of
the body value), a ``decode`` for the success body and one exception factory per declared error
status. ``call`` does the rest, in the order of docs/sdk.md ("Clients").
"""

from __future__ import annotations

import base64
import datetime as _dt
import email.utils
import enum
import http.client
import logging
import random
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, Protocol, TypeVar, cast, overload

from .validate import Problem, ValidationError, write_date, write_datetime
from .verdict import (
    SIGNATURE_HEADER,
    VERDICT_HEADER,
    RequestBinding,
    Verdict,
    VerdictKey,
    parse_verdict,
    trace_id_of,
    verify_verdict,
)
from .wire import WireError, as_object, dump_json, read_json

T = TypeVar("T")
B = TypeVar("B")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
"""The methods that are retried (docs/sdk.md)."""


class Headers(Mapping[str, str]):
    """HTTP headers, looked up case-insensitively; a repeated header's values are joined with
    ``", "`` (``get_all`` keeps them apart). Iterates over the names as first received."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        items = pairs
        self._names: dict[str, str] = {}
        self._values: dict[str, list[str]] = {}
        for name, value in items:
            key = name.lower()
            self._names.setdefault(key, name)
            self._values.setdefault(key, []).append(value)

    def __getitem__(self, name: str) -> str:
        return ", ".join(self._values[name.lower()])

    def __iter__(self) -> Iterator[str]:
        return iter(self._names.values())

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._values

    def get_all(self, name: str) -> list[str]:
        """Every value of ``name``, in order (empty when absent)."""
        return list(self._values.get(name.lower(), []))

    def __repr__(self) -> str:
        return f"Headers({[(n, self[n]) for n in self]!r})"


@dataclass(frozen=True)
class HTTPRequest:
    """One HTTP attempt, as given to an ``HTTPSend``."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes | None
    timeout: float
    """Seconds the attempt may take (connecting, and each read)."""


@dataclass(frozen=True)
class HTTPResponse:
    """A response of any status, as an ``HTTPSend`` returns it."""

    status: int
    headers: Headers
    body: bytes


class HTTPSend(Protocol):
    """The injectable HTTP stack: sends one request and returns its response, whatever its
    status. It raises ``TimeoutError`` when the attempt times out and ``OSError`` (for example
    ``ConnectionError``) when no response came; ``call`` retries the latter for idempotent
    methods. It must not follow redirects of non-GET requests."""

    def __call__(self, request: HTTPRequest, /) -> HTTPResponse: ...


class _NoUnsafeRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: object,
        newurl: str,
    ) -> urllib.request.Request | None:
        if req.get_method() not in ("GET", "HEAD"):
            return (
                None  # the 3xx is returned as it is, never silently turned into a GET
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


_OPENER = urllib.request.build_opener(_NoUnsafeRedirects())


def _is_timeout(error: BaseException) -> bool:
    return isinstance(error, TimeoutError) or isinstance(
        getattr(error, "reason", None), TimeoutError
    )


def urllib_send(request: HTTPRequest) -> HTTPResponse:
    """The default ``HTTPSend``, on ``urllib.request``: follows redirects of GET and HEAD only,
    returns every status as a response, raises ``TimeoutError`` on a timeout and
    ``ConnectionError`` (an ``OSError``) when the connection fails."""
    req = urllib.request.Request(
        request.url,
        data=request.body,
        headers=dict(request.headers),
        method=request.method,
    )
    try:
        with _OPENER.open(req, timeout=request.timeout) as response:
            body: bytes = response.read()
            return HTTPResponse(
                response.status, Headers(response.headers.items()), body
            )
    except urllib.error.HTTPError as error:
        try:
            body = error.read()
        except (OSError, http.client.HTTPException):
            body = b""
        return HTTPResponse(error.code, Headers(error.headers.items()), body)
    except (OSError, http.client.HTTPException) as error:
        if _is_timeout(error):
            raise TimeoutError(str(error)) from error
        if isinstance(error, OSError):
            raise
        raise ConnectionError(str(error)) from error


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


class APIError(Exception):
    """A response that is not a success and not a declared error (or one whose body is
    invalid): its status, headers and raw body."""

    def __init__(
        self, operation: str, status: int, headers: Headers, body: bytes
    ) -> None:
        super().__init__(f"{operation}: HTTP {status}")
        self.operation = operation
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self) -> str:
        """The body as text (UTF-8, undecodable bytes replaced)."""
        return self.body.decode("utf-8", "replace")


class DeclaredError(APIError, Generic[B]):
    """A declared error response with its typed body ``value``; each declared error has its own
    generated subclass (``class LineageIngest409Error(DeclaredError[Conflict])``)."""

    def __init__(self, operation: str, response: HTTPResponse, value: B) -> None:
        super().__init__(operation, response.status, response.headers, response.body)
        self.value = value


class DeniedError(Exception):
    """A guarded operation whose verdict denies (fail closed, whatever the status)."""

    def __init__(self, operation: str, status: int, verdict: Verdict) -> None:
        super().__init__(
            f"{operation}: denied by {verdict.decider} ({verdict.rule_id}): {verdict.reason}"
        )
        self.operation = operation
        self.status = status
        self.verdict = verdict


class CharterTimeoutError(TimeoutError):
    """An attempt took longer than its timeout (never retried)."""

    def __init__(self, operation: str, timeout: float) -> None:
        super().__init__(f"{operation}: no response within {timeout} s")
        self.operation = operation
        self.timeout = timeout


class Transport:
    """What a generated client sends its calls through: the server and every option.

    ``base_url`` is the server's URL without the service's base path
    (``https://api.example.com``). ``timeout`` bounds each attempt, in seconds. ``headers`` are
    sent with every call. With ``verdict_keys``, every guarded response must carry a verdict
    signed by one of them for the request sent. ``on_verdict`` receives every verdict,
    ``on_deprecation`` the deprecation warnings and headers; ``logger`` gets one ``INFO`` record
    per verdict and one ``WARNING`` per deprecation warning (see ``LOG_FIELDS``). ``send``
    replaces the HTTP stack (default ``urllib_send``).
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        verdict_keys: Sequence[VerdictKey] = (),
        on_verdict: Callable[[VerdictEvent], None] | None = None,
        on_deprecation: Callable[[DeprecationEvent], None] | None = None,
        logger: logging.Logger | None = None,
        send: HTTPSend | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retry = retry if retry is not None else RetryPolicy()
        self.headers: dict[str, str] = dict(headers or {})
        self.verdict_keys = tuple(verdict_keys)
        self.on_verdict = on_verdict
        self.on_deprecation = on_deprecation
        self.logger = logger
        self.send: HTTPSend = send if send is not None else urllib_send


LOG_FIELDS = (
    "charter.operation",
    "verdict.allow",
    "verdict.decider",
    "verdict.rule_id",
    "verdict.reason",
    "verdict.policy_version",
    "provenance.confidence",
    "trace_id",
)
"""The ``extra`` attributes of the logger's verdict record (read them with
``getattr(record, "verdict.decider")``); a deprecation record has ``charter.operation``,
``deprecation.message``, ``deprecation.replacement`` and ``deprecation.sunset``."""

_TRACEPARENT: ContextVar[str | None] = ContextVar("charter_traceparent", default=None)


@contextmanager
def traceparent(value: str) -> Generator[None, None, None]:
    """Calls made inside ``with traceparent(tp):`` forward the W3C ``traceparent`` ``tp``
    unchanged (an invalid one is ignored: a new trace is sent). Works across threads' and
    tasks' own contexts (``contextvars``)."""
    token = _TRACEPARENT.set(value)
    try:
        yield
    finally:
        _TRACEPARENT.reset(token)


def current_traceparent() -> str | None:
    """The ``traceparent`` set by the innermost ``with traceparent(...)``, if any."""
    return _TRACEPARENT.get()


_warned: set[str] = set()
_warned_lock = threading.Lock()


def format_param(value: object) -> str:
    """A path or query parameter value as text on the wire: ``true``/``false``, an enum's
    value, RFC 3339 for a ``datetime``, ``YYYY-MM-DD`` for a ``date``, base64 for ``bytes``,
    numbers exactly (``repr`` of a ``float``), ``str`` as it is (not percent-encoded: ``call``
    does that)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return format_param(value.value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, _dt.datetime):
        return write_datetime(value)
    if isinstance(value, _dt.date):
        return write_date(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (int, Decimal)):
        return str(value)
    return str(value)


def _delay(attempt: int, policy: RetryPolicy, retry_after: str | None) -> float:
    if retry_after is not None:
        text = retry_after.strip()
        if text.isdigit():
            return float(int(text))
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=_dt.timezone.utc)
            return max(0.0, (when - _dt.datetime.now(_dt.timezone.utc)).total_seconds())
    step = min(policy.max_delay, policy.base_delay * 2**attempt)
    return random.uniform(0, step)


def _confidence(value: object) -> float | None:
    record = as_object(value)
    provenance = None if record is None else as_object(record.get("provenance"))
    if provenance is None:
        return None
    confidence = provenance.get("confidence")
    if isinstance(confidence, bool) or not isinstance(
        confidence, (int, float, Decimal)
    ):
        return None
    return float(confidence)


def _warn_deprecated(transport: Transport, op: Operation, stacklevel: int) -> None:
    if op.deprecated is None:
        return
    with _warned_lock:
        if op.name in _warned:
            return
        _warned.add(op.name)
    warnings.warn(op.deprecated, DeprecationWarning, stacklevel=stacklevel + 1)
    if transport.on_deprecation is not None:
        transport.on_deprecation(DeprecationEvent(op.name, op.deprecated, None, None))
    if transport.logger is not None:
        transport.logger.warning(
            "%s",
            op.deprecated,
            extra={
                "charter.operation": op.name,
                "deprecation.message": op.deprecated,
                "deprecation.replacement": op.replacement,
                "deprecation.sunset": op.sunset,
            },
        )


def _send(transport: Transport, op: Operation, request: HTTPRequest) -> HTTPResponse:
    policy = transport.retry
    retries = max(0, policy.max_retries) if op.idempotent else 0
    budget = policy.budget
    attempt = 0
    while True:
        response: HTTPResponse | None = None
        failure: OSError | None = None
        try:
            response = transport.send(request)
        except TimeoutError as error:
            raise CharterTimeoutError(op.name, request.timeout) from error
        except OSError as error:
            failure = error
        retryable = response is None or response.status in (429, 503)
        if attempt < retries and retryable:
            wait = _delay(
                attempt,
                policy,
                None if response is None else response.headers.get("Retry-After"),
            )
            if wait <= budget:
                budget -= wait
                time.sleep(wait)
                attempt += 1
                continue
        if response is not None:
            return response
        assert failure is not None
        raise failure


@overload
def call(
    transport: Transport,
    op: Operation,
    *,
    path_params: Mapping[str, object] | None = ...,
    query: Mapping[str, object] | Sequence[tuple[str, object]] | None = ...,
    headers: Mapping[str, str] | None = ...,
    body: object = ...,
    decode: None = ...,
    errors: Mapping[int, Callable[[object, HTTPResponse], Exception]] | None = ...,
    timeout: float | None = ...,
    stacklevel: int = ...,
) -> Response[None]: ...


@overload
def call(
    transport: Transport,
    op: Operation,
    *,
    path_params: Mapping[str, object] | None = ...,
    query: Mapping[str, object] | Sequence[tuple[str, object]] | None = ...,
    headers: Mapping[str, str] | None = ...,
    body: object = ...,
    decode: Callable[[object, str], T],
    errors: Mapping[int, Callable[[object, HTTPResponse], Exception]] | None = ...,
    timeout: float | None = ...,
    stacklevel: int = ...,
) -> Response[T]: ...


def call(
    transport: Transport,
    op: Operation,
    *,
    path_params: Mapping[str, object] | None = None,
    query: Mapping[str, object] | Sequence[tuple[str, object]] | None = None,
    headers: Mapping[str, str] | None = None,
    body: object = None,
    decode: Callable[[object, str], T] | None = None,
    errors: Mapping[int, Callable[[object, HTTPResponse], Exception]] | None = None,
    timeout: float | None = None,
    stacklevel: int = 2,
) -> Response[T] | Response[None]:
    """Sends one call of ``op`` and returns its ``Response`` (docs/sdk.md, "Clients").

    - ``path_params`` fill the ``{name}`` slots of ``op.path`` (percent-encoded like
      ``encodeURIComponent``); ``query`` members (a mapping or name-value pairs) are appended
      in order (``None`` skipped, a list or tuple repeated). Values are written as on the wire: ``true``/``false``, enum
      values, RFC 3339 timestamps, ``YYYY-MM-DD`` dates, base64 bytes, numbers exactly.
    - ``body`` is the JSON value of the body (the ``to_json()`` of the body value), ``None``
      for no body; sent as compact UTF-8 JSON (``dump_json``).
    - ``decode(value, "response")`` reads and checks the success body (raising
      ``ValidationError``); ``None`` for an operation without a result (the body is ignored).
    - ``errors`` maps a declared error status to a factory ``(json_value, response) ->
      exception`` (a ``DeclaredError`` subclass) that raises ``ValidationError`` when the body is
      not that error's: the response then raises ``APIError`` like any other.
    - ``headers`` are sent over the transport's; a ``traceparent`` among them is forwarded, else
      the one of ``with traceparent(...)``, else a new one. ``timeout`` overrides the
      transport's for this call. ``stacklevel`` is that of the deprecation warning as seen from
      the caller of ``call`` (2: the generated method's caller).

    Raises: ``DeprecationWarning`` (a warning, once per process and operation),
    ``CharterTimeoutError``, ``OSError`` (no response after the retries), ``VerdictError``
    (a guarded response without a trustworthy verdict), ``DeniedError``, the declared error,
    ``APIError``, and ``ValidationError``/``ProvenanceError`` (direction ``response``).
    """
    _warn_deprecated(transport, op, stacklevel + 1)
    path = op.path
    for name, value in (path_params or {}).items():
        path = path.replace(
            "{" + name + "}", urllib.parse.quote(format_param(value), safe="!'()*")
        )
    pairs: list[tuple[str, str]] = []
    members = query.items() if isinstance(query, Mapping) else (query or ())
    for name, value in members:
        if value is None:
            continue
        items: Sequence[object] = (
            cast("Sequence[object]", value)
            if isinstance(value, (list, tuple))
            else [value]
        )
        pairs.extend((name, format_param(item)) for item in items)
    search = urllib.parse.urlencode(pairs)
    target = f"{path}?{search}" if search else path
    url = transport.base_url + target

    merged: dict[str, tuple[str, str]] = {}
    for name, value in [*transport.headers.items(), *(headers or {}).items()]:
        merged[name.lower()] = (name, value)  # a call's header replaces the client's
    sent_headers = Headers(merged.values())
    forwarded = sent_headers.get("traceparent") or current_traceparent()
    trace_id = trace_id_of(forwarded)
    if forwarded is not None and trace_id is not None:
        tp = forwarded.strip()
    else:
        trace_id = secrets.token_hex(16)
        tp = f"00-{trace_id}-{secrets.token_hex(8)}-01"
    out_headers: dict[str, str] = {"Accept": "application/json"}
    for name in sent_headers:
        if name.lower() not in ("traceparent", "accept"):
            out_headers[name] = sent_headers[name]
        elif name.lower() == "accept":
            out_headers["Accept"] = sent_headers[name]
    out_headers["traceparent"] = tp
    payload: bytes | None = None
    if body is not None:
        payload = dump_json(body)
        out_headers["Content-Type"] = "application/json"
    request = HTTPRequest(
        op.method,
        url,
        out_headers,
        payload,
        timeout if timeout is not None else transport.timeout,
    )

    response = _send(transport, op, request)
    deprecation = response.headers.get("Deprecation")
    sunset = response.headers.get("Sunset")
    if transport.on_deprecation is not None and (
        deprecation is not None or sunset is not None
    ):
        transport.on_deprecation(DeprecationEvent(op.name, None, deprecation, sunset))
    ok = 200 <= response.status < 300
    verdict: Verdict | None = None
    header = response.headers.get(VERDICT_HEADER)
    # A guarded success must carry a verdict (fail closed); an error response that carries one
    # (a denial) has it read and checked too; one without (a gateway's 503) is raised as it is.
    if op.guarded and (ok or header is not None):
        verdict = parse_verdict(header)
        if transport.verdict_keys and header is not None:
            binding = RequestBinding(op.method, _origin_form(url), trace_id, payload)
            verify_verdict(
                header,
                response.headers.get(SIGNATURE_HEADER),
                binding,
                transport.verdict_keys,
            )
        confidence = _confidence(_json_or_none(response.body))
        if confidence is None:
            confidence = _confidence(body)
        _report(transport, op, verdict, confidence, trace_id)
        if not verdict.allow:
            raise DeniedError(op.name, response.status, verdict)
    if not ok:
        raise _error(op, response, errors or {})
    if decode is None:
        return Response(
            None,
            response.status,
            response.headers,
            trace_id,
            verdict,
            deprecation,
            sunset,
        )
    try:
        value = read_json(response.body)
    except WireError as error:
        raise ValidationError([Problem("response", str(error))], "response") from None
    try:
        decoded = decode(value, "response")
    except ValidationError as error:
        raise error.redirect("response", op.requires_provenance) from None
    return Response(
        decoded,
        response.status,
        response.headers,
        trace_id,
        verdict,
        deprecation,
        sunset,
    )


def _origin_form(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _json_or_none(data: bytes) -> object:
    try:
        return read_json(data)
    except WireError:
        return None


def _report(
    transport: Transport,
    op: Operation,
    verdict: Verdict,
    confidence: float | None,
    trace_id: str,
) -> None:
    if transport.on_verdict is not None:
        transport.on_verdict(
            VerdictEvent(
                op.name,
                verdict.decider,
                verdict.rule_id,
                verdict.reason,
                confidence,
                trace_id,
                verdict,
            )
        )
    if transport.logger is not None:
        transport.logger.info(
            "verdict of %s: %s by %s (%s): %s",
            op.name,
            "allow" if verdict.allow else "deny",
            verdict.decider,
            verdict.rule_id,
            verdict.reason,
            extra={
                "charter.operation": op.name,
                "verdict.allow": verdict.allow,
                "verdict.decider": verdict.decider,
                "verdict.rule_id": verdict.rule_id,
                "verdict.reason": verdict.reason,
                "verdict.policy_version": verdict.policy_version,
                "provenance.confidence": confidence,
                "trace_id": trace_id,
            },
        )


def _error(
    op: Operation,
    response: HTTPResponse,
    errors: Mapping[int, Callable[[object, HTTPResponse], Exception]],
) -> Exception:
    factory = errors.get(response.status)
    if factory is not None:
        try:
            return factory(read_json(response.body), response)
        except (WireError, ValidationError):
            pass  # not that error's body: the generic error below
    return APIError(op.name, response.status, response.headers, response.body)


__all__ = [
    "IDEMPOTENT_METHODS",
    "LOG_FIELDS",
    "APIError",
    "CharterTimeoutError",
    "DeclaredError",
    "DeniedError",
    "DeprecationEvent",
    "HTTPRequest",
    "HTTPResponse",
    "HTTPSend",
    "Headers",
    "Operation",
    "Response",
    "RetryPolicy",
    "Transport",
    "VerdictEvent",
    "call",
    "current_traceparent",
    "traceparent",
    "urllib_send",
]
