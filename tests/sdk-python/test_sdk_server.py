"""The generated summit SDK (not the runtime alone) against a small ``http.server`` test server:
its records read, write and check JSON as docs/sdk.md says, and its clients handle verdicts
present, absent and garbled, provenance missing in a response, declared and undeclared
errors, deprecation headers and warnings, ``Retry-After``, timeouts and ``traceparent``."""

from __future__ import annotations

import dataclasses
import datetime
import http.server
import json
import logging
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import sdk_env  # noqa: F401  (puts the generated SDK on sys.path)
from summit_sdk import (
    APIError,
    CharterTimeoutError,
    DeniedError,
    ProvenanceError,
    RetryPolicy,
    Transport,
    ValidationError,
    VerdictError,
    VerdictEvent,
)
from summit_sdk._charter import (
    VerdictKey,
    VerdictSigningKey,
    dump_json,
    read_json,
    request_binding,
    signed_verdict_headers,
    traceparent,
)
from summit_sdk.std.provenance import Provenance
from summit_sdk.summit.lineage import (
    HopKind,
    IngestReceipt,
    LineageClient,
    LineageEvent,
    LineageIngest409Error,
)

VECTORS = json.loads(
    (Path(__file__).resolve().parents[1] / "sdk/vectors/verdicts.json").read_text()
)
SIGNING = {k["kid"]: VerdictSigningKey.from_jwk(k) for k in VECTORS["signing_keys"]}
KEYS = [VerdictKey.from_jwk(k) for k in VECTORS["verification_keys"]]
T0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
UUID = "1b4e28ba-2fa1-11d2-883f-0000f87a31d2"
ALLOW = (
    'allow=?1, decider="summit.policy.provenance_enforcement", rule_id="trusted", '
    'reason="provenance is trusted", policy_version="1.0.0", canary=()'
)
DENY = ALLOW.replace("allow=?1", "allow=?0")
PROVENANCE = {
    "origin": "ledger",
    "actor": "svc",
    "timestamp": "2026-01-01T00:00:00Z",
    "confidence": 0.75,
    "simulated": False,
}
RECEIPT = {
    "provenance": PROVENANCE,
    "event_id": UUID,
    "sequence": 7,
    "chain_hash": "AQID",
    "accepted_at": "2026-01-01T00:00:01Z",
}
TRACE = {
    "entity_id": "e-1",
    "depth": 1,
    "hops": [],
    "complete": True,
    "chain_verified": True,
}


def event(**changes: object) -> LineageEvent:
    value = LineageEvent(
        provenance=Provenance(
            origin="etl", actor="svc", timestamp=T0, confidence=0.5, simulated=False
        ),
        event_id=UUID,
        dataset="d-1",
        from_="a",
        to="b",
        kind=HopKind.COPY,
        hash=b"\x01\x02\x03",
        tags=["backfill"],
    )
    return dataclasses.replace(value, **changes)  # type: ignore[arg-type]


# --- records -------------------------------------------------------------------------------


def test_a_record_round_trips_and_absent_fields_are_left_out() -> None:
    value = event(attributes={"k": "v"})
    wire = value.to_json()
    assert "prev_hash" not in wire and "source_system" not in wire
    assert wire["from"] == "a" and wire["kind"] == "copy" and wire["hash"] == "AQID"
    assert wire["provenance"] == {
        "origin": "etl",
        "actor": "svc",
        "timestamp": "2026-01-01T00:00:00Z",
        "confidence": 0.5,
        "simulated": False,
    }
    back = LineageEvent.from_json(read_json(dump_json(wire)))
    assert back == value
    assert b"null" not in dump_json(wire)


def problems(error: ValidationError) -> set[tuple[str, str]]:
    return {(p.path, p.message) for p in error.problems}


def test_reading_refuses_unknown_missing_and_mistyped_members_with_paths() -> None:
    wire = dict(RECEIPT, extra=1)
    del wire["event_id"]
    with pytest.raises(ValidationError) as caught:
        IngestReceipt.from_json(wire, "response")
    paths = {p for p, _ in problems(caught.value)}
    assert paths == {"response.extra", "response.event_id"}
    # ints are exact: a fraction is refused, never rounded.
    with pytest.raises(ValidationError) as caught:
        IngestReceipt.from_json(read_json(json.dumps(dict(RECEIPT, sequence=1.5))))
    assert {p for p, _ in problems(caught.value)} == {"sequence"}
    big = IngestReceipt.from_json(
        read_json(json.dumps(dict(RECEIPT, sequence=2**62 + 1)))
    )
    assert big.sequence == 2**62 + 1
    # naive timestamps are refused.
    with pytest.raises(ValidationError):
        IngestReceipt.from_json(dict(RECEIPT, accepted_at="2026-01-01T00:00:01"))
    # closed enums refuse unknown values.
    with pytest.raises(ValidationError) as caught:
        LineageEvent.from_json(dict(event().to_json(), kind="teleport"), "body")
    assert {p for p, _ in problems(caught.value)} == {"body.kind"}


def test_validate_reports_every_refinement_with_its_path() -> None:
    bad = event(
        tags=["x", "x"],
        event_id="not-a-uuid",
        provenance=Provenance(
            origin="etl",
            actor="svc",
            timestamp=datetime.datetime(2026, 1, 1),
            confidence=1.5,
            simulated=False,
        ),
    )
    with pytest.raises(ValidationError) as caught:
        bad.validate()
    paths = {p for p, _ in problems(caught.value)}
    assert paths == {
        "tags[1]",
        "event_id",
        "provenance.timestamp",
        "provenance.confidence",
    }


# --- the test server -----------------------------------------------------------------------


@dataclasses.dataclass
class Reply:
    status: int = 200
    body: object = None
    headers: dict[str, str] = dataclasses.field(default_factory=dict[str, str])
    delay: float = 0.0
    sign: str | None = None
    """The kid of the vectors' signing key that signs ``Charter-Verdict`` for this request."""
    sign_path: str | None = None
    """Sign for this request target instead of the one received (a replayed signature)."""


@dataclasses.dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class Server:
    """Answers each request with the next scripted reply and records what it received."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.seen: list[Seen] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def handle_any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.seen.append(
                    Seen(
                        self.command,
                        self.path,
                        {k.lower(): v for k, v in self.headers.items()},
                        body,
                    )
                )
                reply = server.replies.pop(0) if server.replies else Reply(500)
                time.sleep(reply.delay)
                headers = dict(reply.headers)
                if reply.sign is not None:
                    binding = request_binding(
                        self.command,
                        reply.sign_path or self.path,
                        {k.lower(): v for k, v in self.headers.items()},
                        body or None,
                    )
                    assert binding is not None
                    headers.update(
                        signed_verdict_headers(
                            headers["Charter-Verdict"], binding, SIGNING[reply.sign]
                        )
                    )
                data = b"" if reply.body is None else json.dumps(reply.body).encode()
                self.send_response(reply.status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except BrokenPipeError:
                    pass  # the client timed out

            do_GET = do_POST = do_PUT = do_DELETE = handle_any

            def log_message(self, format: str, *args: object) -> None:
                del format, args

        self.http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.http.shutdown()
    s.http.server_close()


def client(server: Server, **options: object) -> LineageClient:
    retry = RetryPolicy(max_retries=2, base_delay=0.01, max_delay=0.05, budget=5.0)
    return LineageClient(Transport(server.url, retry=retry, **options))  # type: ignore[arg-type]


def test_a_guarded_call_returns_its_verdict_to_the_caller_the_hook_and_the_log(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    events: list[VerdictEvent] = []
    server.replies.append(Reply(200, RECEIPT, {"Charter-Verdict": ALLOW}))
    logger = logging.getLogger("charter-test")
    c = client(server, on_verdict=events.append, logger=logger)
    with caplog.at_level(logging.INFO, logger="charter-test"):
        response = c.ingest(body=event())
    assert isinstance(response.value, IngestReceipt) and response.value.sequence == 7
    assert response.verdict is not None and response.verdict.allow
    assert response.verdict.decider == "summit.policy.provenance_enforcement"
    [seen] = server.seen
    assert seen.method == "POST" and seen.path == "/lineage/v2/events"
    assert json.loads(seen.body) == json.loads(dump_json(event().to_json()))
    [hooked] = events
    assert hooked.rule_id == "trusted" and hooked.confidence == 0.75
    assert hooked.trace_id == response.trace_id
    [record] = [r for r in caplog.records if hasattr(r, "verdict.decider")]
    assert getattr(record, "verdict.rule_id") == "trusted"
    assert getattr(record, "provenance.confidence") == 0.75
    assert record.trace_id == response.trace_id


@pytest.mark.parametrize("header", [None, "allow=maybe", 'decider="x"'])
def test_a_guarded_response_without_a_well_formed_verdict_fails_closed(
    server: Server, header: str | None
) -> None:
    headers = {} if header is None else {"Charter-Verdict": header}
    server.replies.append(Reply(200, RECEIPT, headers))
    with pytest.raises(VerdictError):
        client(server).ingest(body=event())


def test_a_denying_verdict_raises(server: Server) -> None:
    server.replies.append(Reply(403, {"x": 1}, {"Charter-Verdict": DENY}))
    with pytest.raises(DeniedError) as caught:
        client(server).ingest(body=event())
    assert caught.value.verdict.rule_id == "trusted"


def test_provenance_missing_in_a_response_is_a_provenance_error(server: Server) -> None:
    receipt = {k: v for k, v in RECEIPT.items() if k != "provenance"}
    server.replies.append(Reply(200, receipt, {"Charter-Verdict": ALLOW}))
    with pytest.raises(ProvenanceError) as caught:
        client(server).ingest(body=event())
    assert caught.value.direction == "response"


def test_a_request_without_valid_provenance_is_never_sent(server: Server) -> None:
    bad = event(
        provenance=Provenance(
            origin="etl", actor="svc", timestamp=T0, confidence=2.0, simulated=False
        )
    )
    with pytest.raises(ProvenanceError) as caught:
        client(server).ingest(body=bad)
    assert caught.value.direction == "request"
    assert not server.seen


def test_declared_errors_have_their_own_class_and_the_rest_is_an_api_error(
    server: Server,
) -> None:
    conflict = {"event_id": UUID, "existing_hash": "AQID", "message": "seen"}
    server.replies.append(Reply(409, conflict))
    with pytest.raises(LineageIngest409Error) as caught:
        client(server).ingest(body=event())
    assert (
        caught.value.status == 409
        and caught.value.value.existing_hash == b"\x01\x02\x03"
    )
    server.replies.append(Reply(500, {"oops": True}))
    with pytest.raises(APIError) as other:
        client(server).ingest(body=event())
    assert other.value.status == 500 and b"oops" in other.value.body
    assert not isinstance(other.value, LineageIngest409Error)


def test_deprecated_operations_warn_once_and_surface_the_headers(
    server: Server,
) -> None:
    headers = {
        "Charter-Verdict": ALLOW,
        "Deprecation": "@1772323200",
        "Sunset": "Wed, 30 Jun 2027 00:00:00 GMT",
    }
    legacy = {"entity_id": "e-1", "path": ["a", "b"]}
    server.replies += [Reply(200, legacy, headers), Reply(200, legacy, headers)]
    c = client(server)
    with pytest.warns(DeprecationWarning, match="use trace"):
        response = c.trace_v1(entity_id="e-1")
    assert response.value.path == ["a", "b"]
    assert response.deprecation == "@1772323200"
    assert response.sunset == "Wed, 30 Jun 2027 00:00:00 GMT"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c.trace_v1(entity_id="e-1")  # once per process and operation


def test_idempotent_calls_retry_429_and_503_honouring_retry_after(
    server: Server,
) -> None:
    server.replies += [
        Reply(503, None, {"Retry-After": "0"}),
        Reply(429, None, {"Retry-After": "1"}),
        Reply(200, TRACE, {"Charter-Verdict": ALLOW}),
    ]
    start = time.monotonic()
    response = client(server).trace(entity_id="e-1", depth=1)
    assert response.value.complete and len(server.seen) == 3
    assert time.monotonic() - start >= 1.0
    assert [s.path for s in server.seen] == [
        "/lineage/v2/entities/e-1/trace?depth=1"
    ] * 3


def test_non_idempotent_calls_are_not_retried(server: Server) -> None:
    server.replies += [Reply(503, None, {"Retry-After": "0"}), Reply(200, RECEIPT)]
    with pytest.raises(APIError):
        client(server).ingest(body=event())
    assert len(server.seen) == 1


def test_a_slow_response_times_out(server: Server) -> None:
    server.replies.append(Reply(200, TRACE, {"Charter-Verdict": ALLOW}, delay=1.0))
    with pytest.raises(CharterTimeoutError):
        client(server).trace(entity_id="e-1", timeout=0.2)


def test_traceparent_is_forwarded_or_new(server: Server) -> None:
    tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    server.replies += [
        Reply(200, TRACE, {"Charter-Verdict": ALLOW}),
        Reply(200, TRACE, {"Charter-Verdict": ALLOW}),
    ]
    c = client(server)
    with traceparent(tp):
        forwarded = c.trace(entity_id="e-1")
    fresh = c.trace(entity_id="e-1")
    first, second = server.seen
    assert first.headers.get("traceparent") == tp
    assert forwarded.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736"
    new = second.headers.get("traceparent", "")
    assert new != tp and new.split("-")[1] == fresh.trace_id


def test_signed_verdicts_are_verified_against_the_request_sent(server: Server) -> None:
    verdict = {"Charter-Verdict": ALLOW}
    c = client(server, verdict_keys=KEYS)
    server.replies.append(Reply(200, RECEIPT, verdict, sign="k1"))
    assert c.ingest(body=event()).verdict is not None
    cases = [
        (Reply(200, RECEIPT, verdict), "unsigned"),
        (Reply(200, RECEIPT, verdict, sign="k2"), "unknown-key"),
        (
            Reply(200, RECEIPT, verdict, sign="k1", sign_path="/lineage/v2/other"),
            "wrong-request",
        ),
    ]
    for reply, kind in cases:
        server.replies.append(reply)
        with pytest.raises(VerdictError) as caught:
            c.ingest(body=event())
        assert caught.value.kind == kind
