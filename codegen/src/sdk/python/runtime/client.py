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
import logging
import random
import secrets
import threading
import time
import urllib.parse
import warnings
from collections.abc import Callable, Generator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import TypeVar, cast, overload

from .errors import APIError, CharterTimeoutError, DeniedError
from .httpio import Headers, HTTPRequest, HTTPResponse, HTTPSend, urllib_send
from .operation import (
    DeprecationEvent,
    Operation,
    Response,
    RetryPolicy,
    VerdictEvent,
)
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
    "LOG_FIELDS",
    "Transport",
    "call",
    "current_traceparent",
    "traceparent",
]
