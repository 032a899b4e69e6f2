"""The transport against a real HTTP server on 127.0.0.1 (http.server in a thread): verdicts
present, absent, garbled, denying and signed; provenance missing in a response; deprecation
warnings and headers; retries and Retry-After; timeouts; traceparent; declared errors;
redirects; the hook and the logger's attributes."""

from __future__ import annotations

import email.utils
import json
import logging
import socket
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import _charter

VERDICT = (
    'allow=?1, decider="summit.policy.dataset_access", rule_id="read_within_clearance", '
    'reason="same-tenant read", policy_version="1.4.0"'
)
DENIAL = 'allow=?0, decider="summit.policy.dataset_access", rule_id="default", reason="no"'
VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[1] / "sdk/vectors/verdicts.json").read_text("utf-8")
)
K1 = _charter.VerdictSigningKey.from_jwk(VECTORS["signing_keys"][0])
KEYS = [_charter.VerdictKey.from_jwk(k) for k in VECTORS["verification_keys"]]


@dataclass
class Received:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {})
    body: bytes = b""
    delay: float = 0.0


Route = Callable[[Received, int], Reply]


class Server:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.received: list[Received] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                del format, args

            def handle_any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                got = Received(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
                server.received.append(got)
                route = server.routes.get(self.path.split("?")[0])
                count = sum(1 for r in server.received if r.target.split("?")[0] == self.path.split("?")[0])
                reply = route(got, count) if route else Reply(404)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:
                    pass

            do_GET = do_POST = do_PUT = do_DELETE = handle_any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.close()


def op(name: str, method: str = "GET", path: str = "/v1/items", **kw: Any) -> _charter.Operation:
    return _charter.Operation(
        service="summit.test.Items",
        name=f"summit.test.Items.{name}",
        method=method,
        path=path,
        idempotent=method in _charter.IDEMPOTENT_METHODS,
        **kw,
    )


def decode_item(value: object, path: str) -> dict[str, object]:
    members = _charter.expect_object(
        value,
        path,
        name="Item",
        required=("id", "provenance"),
        known={"id", "provenance"},
        envelope="provenance",
    )
    _charter.read_str(members["id"], _charter.member_path(path, "id"))

    def envelope(v: object, p: str) -> float:
        inner = _charter.expect_object(v, p, name="Provenance", required=("confidence",), known={"confidence"})
        return _charter.read_float(inner["confidence"], _charter.member_path(p, "confidence"))

    _charter.read_envelope(members["provenance"], _charter.member_path(path, "provenance"), envelope)
    return members


ITEM = b'{"id":"d-7","provenance":{"confidence":0.875}}'


def json_reply(body: bytes = ITEM, status: int = 200, **headers: str) -> Route:
    return lambda _r, _n: Reply(status, {"Content-Type": "application/json", **headers}, body)


def test_a_guarded_call_reports_its_verdict_to_the_hook_and_the_logger(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    server.routes["/v1/items/a%20b%2Fc"] = json_reply(**{"Charter-Verdict": VERDICT})
    events: list[_charter.VerdictEvent] = []
    logger = logging.getLogger("charter-test")
    t = _charter.Transport(server.url + "/", on_verdict=events.append, logger=logger)
    with caplog.at_level(logging.INFO, logger="charter-test"):
        r = _charter.call(
            t,
            op("get", path="/v1/items/{id}", guarded=True),
            path_params={"id": "a b/c"},
            query=[("tag", ["x", "y z"]), ("flag", True), ("skip", None)],
            decode=decode_item,
        )
    got = server.received[-1]
    assert got.target == "/v1/items/a%20b%2Fc?tag=x&tag=y+z&flag=true"
    assert got.headers["accept"] == "application/json"
    assert r.value == {"id": "d-7", "provenance": {"confidence": pytest.approx(0.875)}}
    assert r.status == 200
    assert r.verdict == _charter.parse_verdict(VERDICT)
    assert _charter.trace_id_of(got.headers["traceparent"]) == r.trace_id
    assert events == [
        _charter.VerdictEvent(
            "summit.test.Items.get",
            "summit.policy.dataset_access",
            "read_within_clearance",
            "same-tenant read",
            0.875,
            r.trace_id,
            r.verdict,
        )
    ]
    [record] = [rec for rec in caplog.records if rec.name == "charter-test"]
    assert record.levelno == logging.INFO
    fields = {name: getattr(record, name) for name in _charter.LOG_FIELDS}
    assert fields == {
        "charter.operation": "summit.test.Items.get",
        "verdict.allow": True,
        "verdict.decider": "summit.policy.dataset_access",
        "verdict.rule_id": "read_within_clearance",
        "verdict.reason": "same-tenant read",
        "verdict.policy_version": "1.4.0",
        "provenance.confidence": 0.875,
        "trace_id": r.trace_id,
    }


@pytest.mark.parametrize(
    ("headers", "kind"),
    [({}, "missing"), ({"Charter-Verdict": "allow=yes"}, "malformed"), ({"Charter-Verdict": 'allow=?1, decider="p"'}, "malformed")],
)
def test_a_guarded_success_without_a_well_formed_verdict_fails_closed(
    server: Server, headers: dict[str, str], kind: str
) -> None:
    server.routes["/v1/items"] = json_reply(**headers)
    t = _charter.Transport(server.url)
    with pytest.raises(_charter.VerdictError) as caught:
        _charter.call(t, op("list", guarded=True), decode=decode_item)
    assert caught.value.kind == kind
    # An unguarded operation does not look.
    assert _charter.call(t, op("plain"), decode=decode_item).verdict is None


def test_a_denial_raises_whatever_the_status(server: Server) -> None:
    server.routes["/v1/items"] = json_reply(b'{"error":"no"}', 403, **{"Charter-Verdict": DENIAL})
    events: list[_charter.VerdictEvent] = []
    t = _charter.Transport(server.url, on_verdict=events.append)
    with pytest.raises(_charter.DeniedError) as caught:
        _charter.call(t, op("list", "POST", guarded=True), body={"q": 1}, decode=decode_item)
    assert caught.value.status == 403
    assert caught.value.verdict.rule_id == "default"
    assert [e.verdict.allow for e in events] == [False]
    server.routes["/v1/items"] = json_reply(**{"Charter-Verdict": DENIAL})
    with pytest.raises(_charter.DeniedError):
        _charter.call(t, op("list", "POST", guarded=True), body={"q": 1}, decode=decode_item)


def test_an_error_without_a_verdict_is_raised_as_it_is(server: Server) -> None:
    server.routes["/v1/items"] = json_reply(b"gateway", 503)
    t = _charter.Transport(server.url)
    with pytest.raises(_charter.APIError) as caught:
        _charter.call(t, op("create", "POST", guarded=True), body={}, decode=decode_item)
    assert (caught.value.status, caught.value.text) == (503, "gateway")
    assert len(server.received) == 1  # POST: never retried


def signed(route_verdict: str, tamper: Callable[[_charter.RequestBinding], _charter.RequestBinding] | None = None) -> Route:
    def reply(r: Received, _n: int) -> Reply:
        binding = _charter.request_binding(r.method, r.target, r.headers, r.body)
        assert binding is not None
        if tamper is not None:
            binding = tamper(binding)
        headers = _charter.signed_verdict_headers(route_verdict, binding, K1)
        return Reply(200, {"Content-Type": "application/json", **headers}, ITEM)

    return reply


def test_signed_verdicts_are_bound_to_the_request_sent(server: Server) -> None:
    t = _charter.Transport(server.url + "/base", verdict_keys=KEYS)
    guarded = op("create", "POST", guarded=True)
    server.routes["/base/v1/items"] = signed(VERDICT)
    r = _charter.call(t, guarded, query={"tenant": "a"}, body={"rows": [1, 2]}, decode=decode_item)
    assert r.verdict is not None and r.verdict.allow
    assert server.received[-1].body == b'{"rows":[1,2]}'
    assert server.received[-1].headers["content-type"] == "application/json"

    server.routes["/base/v1/items"] = signed(
        VERDICT, lambda b: _charter.RequestBinding(b.method, b.path.replace("tenant=a", "tenant=b"), b.trace_id, b.body)
    )
    with pytest.raises(_charter.VerdictError) as caught:
        _charter.call(t, guarded, query={"tenant": "a"}, body={"rows": [1, 2]}, decode=decode_item)
    assert caught.value.kind == "wrong-request"

    server.routes["/base/v1/items"] = json_reply(**{"Charter-Verdict": VERDICT})
    with pytest.raises(_charter.VerdictError) as caught:
        _charter.call(t, guarded, body={}, decode=decode_item)
    assert caught.value.kind == "unsigned"


def test_provenance_missing_in_a_response(server: Server) -> None:
    server.routes["/v1/items"] = json_reply(b'{"id":"d-7"}')
    t = _charter.Transport(server.url)
    with pytest.raises(_charter.ProvenanceError) as caught:
        _charter.call(t, op("get", requires_provenance=True), decode=decode_item)
    assert caught.value.direction == "response"
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("response.provenance", "missing provenance envelope")
    ]
    with pytest.raises(_charter.ValidationError) as plain:
        _charter.call(t, op("get"), decode=decode_item)
    assert type(plain.value) is _charter.ValidationError
    server.routes["/v1/items"] = json_reply(b"{not json")
    with pytest.raises(_charter.ValidationError) as bad:
        _charter.call(t, op("get"), decode=decode_item)
    assert bad.value.direction == "response" and bad.value.problems[0].path == "response"


def test_deprecated_operations_warn_once_and_surface_the_headers(server: Server) -> None:
    server.routes["/v1/old"] = json_reply(
        Deprecation="@1700000000", Sunset="Sun, 01 Jun 2025 00:00:00 GMT"
    )
    events: list[_charter.DeprecationEvent] = []
    t = _charter.Transport(server.url, on_deprecation=events.append)
    old = op(
        "old",
        path="/v1/old",
        deprecated="summit.test.Items.old is deprecated: since 1.2; use summit.test.Items.get",
        replacement="summit.test.Items.get",
    )

    def client_method() -> _charter.Response[dict[str, object]]:
        return _charter.call(t, old, decode=decode_item)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = client_method()
        client_method()
    deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    assert len(deprecations) == 1
    assert "use summit.test.Items.get" in str(deprecations[0].message)
    assert deprecations[0].filename == __file__  # points at the caller of the client method
    assert (r.deprecation, r.sunset) == ("@1700000000", "Sun, 01 Jun 2025 00:00:00 GMT")
    assert events[0] == _charter.DeprecationEvent(
        "summit.test.Items.old", old.deprecated, None, None
    )
    assert events[1:] == [
        _charter.DeprecationEvent("summit.test.Items.old", None, "@1700000000", "Sun, 01 Jun 2025 00:00:00 GMT")
    ] * 2


def flaky(status: int, retry_after: str | None, ok_from: int) -> Route:
    def reply(_r: Received, n: int) -> Reply:
        if n < ok_from:
            return Reply(status, {} if retry_after is None else {"Retry-After": retry_after})
        return Reply(200, {"Content-Type": "application/json"}, ITEM)

    return reply


def test_retry_after_seconds_is_honoured(server: Server) -> None:
    server.routes["/v1/items"] = flaky(503, "1", 2)
    t = _charter.Transport(server.url)
    start = time.monotonic()
    r = _charter.call(t, op("list"), decode=decode_item)
    assert r.status == 200
    assert len(server.received) == 2
    assert time.monotonic() - start >= 0.95


def test_retry_after_http_date_is_honoured(server: Server) -> None:
    when = email.utils.formatdate(time.time() + 2, usegmt=True)
    server.routes["/v1/items"] = flaky(429, when, 2)
    t = _charter.Transport(server.url)
    start = time.monotonic()
    _charter.call(t, op("list"), decode=decode_item)
    assert len(server.received) == 2
    assert time.monotonic() - start >= 0.5


def test_backoff_retries_are_bounded(server: Server) -> None:
    server.routes["/v1/items"] = flaky(503, None, 99)
    t = _charter.Transport(server.url, retry=_charter.RetryPolicy(max_retries=3, base_delay=0.01))
    with pytest.raises(_charter.APIError) as caught:
        _charter.call(t, op("list"), decode=decode_item)
    assert caught.value.status == 503
    assert len(server.received) == 4
    # A Retry-After beyond the budget is not waited for.
    server.received.clear()
    server.routes["/v1/items"] = flaky(503, "100", 99)
    start = time.monotonic()
    with pytest.raises(_charter.APIError):
        _charter.call(t, op("list"), decode=decode_item)
    assert len(server.received) == 1
    assert time.monotonic() - start < 5
    # Non-idempotent methods are never retried.
    server.received.clear()
    server.routes["/v1/items"] = flaky(503, "0", 2)
    with pytest.raises(_charter.APIError):
        _charter.call(t, op("create", "POST"), body={}, decode=decode_item)
    assert len(server.received) == 1


def test_connection_errors_are_retried_for_idempotent_methods() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    attempts: list[str] = []

    def send(request: _charter.HTTPRequest) -> _charter.HTTPResponse:
        attempts.append(request.method)
        return _charter.urllib_send(request)

    t = _charter.Transport(
        f"http://127.0.0.1:{port}", send=send, retry=_charter.RetryPolicy(base_delay=0.01)
    )
    with pytest.raises(OSError):
        _charter.call(t, op("list"))
    assert attempts == ["GET"] * 3
    attempts.clear()
    with pytest.raises(OSError):
        _charter.call(t, op("create", "POST"), body={})
    assert attempts == ["POST"]


def test_timeouts(server: Server) -> None:
    server.routes["/v1/items"] = lambda _r, _n: Reply(200, {}, ITEM, delay=1.0)
    t = _charter.Transport(server.url, timeout=0.2)
    start = time.monotonic()
    with pytest.raises(_charter.CharterTimeoutError) as caught:
        _charter.call(t, op("list"), decode=decode_item)
    assert isinstance(caught.value, TimeoutError)
    assert caught.value.operation == "summit.test.Items.list"
    assert time.monotonic() - start < 0.9
    assert len(server.received) == 1  # a timeout is not retried


def test_traceparent_is_forwarded_or_new(server: Server) -> None:
    server.routes["/v1/items"] = json_reply()
    t = _charter.Transport(server.url)
    tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    with _charter.traceparent(tp):
        assert _charter.current_traceparent() == tp
        r = _charter.call(t, op("list"), decode=decode_item)
    assert server.received[-1].headers["traceparent"] == tp
    assert r.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert _charter.current_traceparent() is None
    other = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    r = _charter.call(t, op("list"), headers={"TraceParent": other}, decode=decode_item)
    assert server.received[-1].headers["traceparent"] == other
    a = _charter.call(t, op("list"), decode=decode_item)
    b = _charter.call(t, op("list"), decode=decode_item)
    assert a.trace_id != b.trace_id
    assert _charter.trace_id_of(server.received[-1].headers["traceparent"]) == b.trace_id
    with _charter.traceparent("garbage"):
        c = _charter.call(t, op("list"), decode=decode_item)
    assert _charter.trace_id_of(server.received[-1].headers["traceparent"]) == c.trace_id


class Conflict(_charter.DeclaredError[str]):
    pass


def conflict(value: object, response: _charter.HTTPResponse) -> Exception:
    members = _charter.expect_object(value, "response", name="Conflict", required=("code",), known={"code"})
    return Conflict("summit.test.Items.create", response, _charter.read_str(members["code"], "response.code"))


def test_declared_errors_and_the_rest(server: Server) -> None:
    t = _charter.Transport(server.url, headers={"Authorization": "Bearer t"})
    server.routes["/v1/items"] = json_reply(b'{"code":"taken"}', 409)
    with pytest.raises(Conflict) as caught:
        _charter.call(t, op("create", "POST"), body={}, errors={409: conflict})
    assert (caught.value.status, caught.value.value) == (409, "taken")
    assert isinstance(caught.value, _charter.APIError)
    assert server.received[-1].headers["authorization"] == "Bearer t"
    server.routes["/v1/items"] = json_reply(b'{"other":1}', 409, **{"X-Id": "7"})
    with pytest.raises(_charter.APIError) as generic:
        _charter.call(t, op("create", "POST"), body={}, errors={409: conflict})
    assert type(generic.value) is _charter.APIError
    assert generic.value.headers["x-id"] == "7"
    assert generic.value.body == b'{"other":1}'


def test_redirects_are_not_followed_for_non_get(server: Server) -> None:
    server.routes["/v1/moved"] = lambda _r, _n: Reply(307, {"Location": "/v1/items"})
    server.routes["/v1/items"] = json_reply()
    t = _charter.Transport(server.url)
    with pytest.raises(_charter.APIError) as caught:
        _charter.call(t, op("create", "POST", path="/v1/moved"), body={})
    assert caught.value.status == 307
    assert [r.target for r in server.received] == ["/v1/moved"]
    r = _charter.call(t, op("get", path="/v1/moved"), decode=decode_item)
    assert r.status == 200
    assert [r.target for r in server.received] == ["/v1/moved", "/v1/moved", "/v1/items"]


def test_no_result_and_format_param() -> None:
    import datetime as dt
    from decimal import Decimal

    assert _charter.format_param(False) == "false"
    assert _charter.format_param(Decimal("1.50")) == "1.50"
    assert _charter.format_param(dt.date(2024, 1, 2)) == "2024-01-02"
    assert _charter.format_param(dt.datetime(2024, 1, 2, tzinfo=dt.timezone.utc)) == "2024-01-02T00:00:00Z"
    assert _charter.format_param(b"hi") == "aGk="
    assert _charter.format_param(0.5) == "0.5"


def test_an_injected_send_sees_the_request() -> None:
    seen: list[_charter.HTTPRequest] = []

    def send(request: _charter.HTTPRequest) -> _charter.HTTPResponse:
        seen.append(request)
        return _charter.HTTPResponse(204, _charter.Headers([("X-A", "1"), ("x-a", "2")]), b"")

    t = _charter.Transport("https://api.example.test/", send=send, timeout=5)
    r = _charter.call(t, op("delete", "DELETE", path="/v1/items/{id}"), path_params={"id": 7}, timeout=2)
    assert r.value is None and r.status == 204
    assert r.headers["X-A"] == "1, 2" and r.headers.get_all("x-a") == ["1", "2"]
    assert seen[0].url == "https://api.example.test/v1/items/7"
    assert seen[0].timeout == 2 and seen[0].body is None


def test_the_deprecation_warning_is_logged_once(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    server.routes["/v1/older"] = json_reply()
    logger = logging.getLogger("charter-deprecation")
    t = _charter.Transport(server.url, logger=logger)
    older = op(
        "older",
        path="/v1/older",
        deprecated="summit.test.Items.older is deprecated: since 1.0; sunset 2026-01-01",
        replacement="summit.test.Items.get",
        sunset="2026-01-01",
    )
    with caplog.at_level(logging.INFO, logger="charter-deprecation"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _charter.call(t, older, decode=decode_item)
        _charter.call(t, older, decode=decode_item)
    records = [r for r in caplog.records if r.name == "charter-deprecation"]
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING
    assert records[0].getMessage() == older.deprecated
    assert getattr(records[0], "charter.operation") == "summit.test.Items.older"
    assert getattr(records[0], "deprecation.replacement") == "summit.test.Items.get"
    assert getattr(records[0], "deprecation.sunset") == "2026-01-01"


def test_retry_after_in_the_past_or_garbled_falls_back(server: Server) -> None:
    past = email.utils.formatdate(time.time() - 60, usegmt=True)
    server.routes["/v1/items"] = flaky(503, past, 2)
    t = _charter.Transport(server.url, retry=_charter.RetryPolicy(base_delay=0.01))
    start = time.monotonic()
    assert _charter.call(t, op("list"), decode=decode_item).status == 200
    server.routes["/v1/other"] = flaky(429, "soon", 3)
    assert _charter.call(t, op("other", path="/v1/other"), decode=decode_item).status == 200
    assert time.monotonic() - start < 1.0
    assert len(server.received) == 5
