"""The Python driver of the agreement test (tests/sdk-agree/run.sh): calls each case's
operation through the generated summit SDK (``CHARTER_PY_SDK`` on sys.path) against the replay
server and prints one normalised JSON line per case (see run.sh for the fields).

Usage: driver.py RESPONSES_JSON BASE_URL  (BASE_URL without the trailing driver/case)."""

from __future__ import annotations

import datetime
import os
import sys
import warnings

sys.path.insert(0, os.environ["CHARTER_PY_SDK"])

from agree import canonical, drive

from summit_sdk import (
    APIError,
    DeclaredError,
    DeniedError,
    ProvenanceError,
    RetryPolicy,
    Transport,
    ValidationError,
    VerdictError,
)
from summit_sdk.std.provenance import Provenance
from summit_sdk.summit.lineage import HopKind, LineageClient, LineageEvent

EVENT = LineageEvent(
    provenance=Provenance(
        origin="etl",
        actor="svc",
        timestamp=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        confidence=0.5,
        simulated=False,
    ),
    event_id="1b4e28ba-2fa1-11d2-883f-0000f87a31d2",
    dataset="d-1",
    from_="a",
    to="b",
    kind=HopKind.COPY,
    hash=b"\x01\x02\x03",
    tags=["backfill"],
)


def run(case: dict[str, object], base: str) -> dict[str, object]:
    retry = RetryPolicy(max_retries=2, base_delay=0.01, max_delay=0.05, budget=5.0)
    client = LineageClient(Transport(f"{base}/python/{case['case']}", retry=retry))
    line: dict[str, object] = {"case": case["case"]}
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if case["op"] == "trace":
                response = client.trace(entity_id="e-1", depth=3)
            elif case["op"] == "trace_v1":
                response = client.trace_v1(entity_id="e-1")
            else:
                response = client.ingest(body=EVENT)
        line["outcome"] = "ok"
        value = response.value
        line["value_digest"] = canonical(value.to_json())
        if response.verdict is not None:
            v = response.verdict
            line["verdict"] = {
                "allow": v.allow,
                "decider": v.decider,
                "rule_id": v.rule_id,
            }
        if response.deprecation or response.sunset:
            line["deprecation"] = {
                "deprecation": response.deprecation,
                "sunset": response.sunset,
                "warned": any(
                    issubclass(w.category, DeprecationWarning) for w in caught
                ),
            }
    except VerdictError as e:
        line.update(outcome="error", kind=f"verdict:{e.kind}")
    except DeniedError as e:
        v = e.verdict
        line.update(outcome="error", kind="denied")
        line["verdict"] = {"allow": v.allow, "decider": v.decider, "rule_id": v.rule_id}
    except ProvenanceError as e:
        line.update(outcome="error", kind="provenance", path=e.problems[0].path)
    except ValidationError as e:
        line.update(outcome="error", kind="validation", path=e.problems[0].path)
    except DeclaredError as e:
        line.update(outcome="error", kind=f"declared:{e.status}")
        line["value_digest"] = canonical(e.value.to_json())  # type: ignore[attr-defined]
    except APIError as e:
        line.update(outcome="error", kind=f"api:{e.status}")
    return line


drive(run)
