"""Every operation of examples/summit, called through the generated Python SDK with valid data,
is accepted by Prism (``prism mock --errors``, request validation on) serving the emitted
OpenAPI document of its service. run.sh sets ``CHARTER_PRISM`` (the prism binary of tests/sdk's
npm install) and ``CHARTER_OPENAPI`` (the openapi target's folder)."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterator

import pytest
import sdk_env  # noqa: F401  (puts the generated SDK on sys.path)
from prism_kit import Recorder, start_prism
from summit_sdk import Transport, ValidationError
from summit_sdk._charter import HTTPRequest, RetryPolicy
from summit_sdk.std.provenance import Provenance
from summit_sdk.summit.identity import Sensitivity
from summit_sdk.summit.lineage import HopKind, LineageClient, LineageEvent
from summit_sdk.summit.platform import (
    AuditClient,
    CatalogClient,
    ExportFormat,
    ExportRequest,
)
from summit_sdk.summit.policy import (
    EvaluateRequest,
    PolicyDecisionClient,
    PrincipalKind,
    PrincipalRef,
)

PRISM = os.environ.get("CHARTER_PRISM", "")
OPENAPI = os.environ.get("CHARTER_OPENAPI", "")
if not PRISM or not OPENAPI:
    pytest.skip(
        "CHARTER_PRISM and CHARTER_OPENAPI are not set", allow_module_level=True
    )

T0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def transport(recorder: Recorder) -> Transport:
    return Transport(
        "http://sdk.invalid",
        send=recorder,
        retry=RetryPolicy(max_retries=0, budget=1.0),
    )


def call(recorder: Recorder, name: str, f: Callable[[], object]) -> None:
    """Runs one operation: exactly one request went out and Prism took it. A mock response may
    fail the SDK's own checks (a static example is no verdict of this request), but a
    request-side refusal fails the test."""
    before = recorder.sent
    try:
        f()
    except ValidationError as error:
        assert error.direction != "request", f"{name}: refused by the SDK: {error}"
    except Exception as error:  # noqa: BLE001  (a mock response may be anything)
        print(f"{name}: the mock response was refused: {error!r}")
    assert recorder.sent == before + 1, (
        f"{name}: {recorder.sent - before} requests sent"
    )
    assert not recorder.problems, f"{name}: Prism refused: {recorder.problems}"


@pytest.fixture(scope="module")
def prisms() -> Iterator[dict[str, str]]:
    gens = {
        s: start_prism(s) for s in ["Audit", "Catalog", "Lineage", "PolicyDecision"]
    }
    urls = {s: next(g) for s, g in gens.items()}
    yield urls
    for g in gens.values():
        g.close()


def event() -> LineageEvent:
    return LineageEvent(
        provenance=Provenance(
            origin="etl", actor="svc", timestamp=T0, confidence=0.5, simulated=False
        ),
        event_id="1b4e28ba-2fa1-11d2-883f-0000f87a31d2",
        dataset="d-1",
        from_="a",
        to="b",
        kind=HopKind.COPY,
        hash=b"\x01\x02\x03",
        tags=["backfill"],
    )


def test_audit(prisms: dict[str, str]) -> None:
    r = Recorder(prisms["Audit"], "/audit")
    client = AuditClient(transport(r))
    call(
        r, "events", lambda: client.events(tenant="t-1", since=T0, cursor="c", limit=10)
    )
    with pytest.warns(DeprecationWarning):
        call(r, "export_csv", lambda: client.export_csv(tenant="t-1"))


def test_catalog(prisms: dict[str, str]) -> None:
    r = Recorder(prisms["Catalog"], "/catalog")
    client = CatalogClient(transport(r))
    call(r, "get_dataset", lambda: client.get_dataset(dataset_id="d-1"))
    call(
        r,
        "search",
        lambda: client.search(q="sales", sensitivity=Sensitivity.INTERNAL, limit=5),
    )
    body = ExportRequest(
        destination="s3://x",
        destination_region="eu",
        external=False,
        format=ExportFormat.CSV,
    )
    call(
        r, "request_export", lambda: client.request_export(dataset_id="d-1", body=body)
    )
    call(
        r, "delete_dataset", lambda: client.delete_dataset(dataset_id="d-1", ticket="t")
    )


def test_lineage(prisms: dict[str, str]) -> None:
    r = Recorder(prisms["Lineage"], "/lineage")
    client = LineageClient(transport(r))
    call(r, "ingest", lambda: client.ingest(body=event()))
    call(r, "trace", lambda: client.trace(entity_id="e-1", depth=3))
    call(r, "validate", lambda: client.validate(body=[event()]))
    with pytest.warns(DeprecationWarning):
        call(r, "trace_v1", lambda: client.trace_v1(entity_id="e-1"))


def test_policy_decision(prisms: dict[str, str]) -> None:
    r = Recorder(prisms["PolicyDecision"], "/pdp")
    client = PolicyDecisionClient(transport(r))
    body = EvaluateRequest(
        policy="summit.policy.dataset_access",
        action="read",
        subject=PrincipalRef(kind=PrincipalKind.USER, id="u-1", tenant="t-1"),
        artefact="d-1",
    )
    call(r, "evaluate", lambda: client.evaluate(body=body))


def test_the_recorder_sees_what_prism_refuses(prisms: dict[str, str]) -> None:
    """The suite can fail: a body the SDK would never send is refused by Prism, and seen."""
    r = Recorder(prisms["Lineage"], "/lineage")
    r(
        HTTPRequest(
            "POST",
            "http://sdk.invalid/lineage/v2/events",
            {"Content-Type": "application/json"},
            b'{"event_id": 1}',
            10.0,
        )
    )
    assert r.problems
