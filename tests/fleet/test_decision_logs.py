"""Decision logs (OPA's console decision-log plugin) carry the verdict's `decider`, `rule_id` and
`reason`, the bundle revision, and the caller's trace id when the request carried a W3C
`traceparent` (OPA reads the trace context only with `distributed_tracing` configured; the test
points its OTLP exporter at a loopback port where nothing listens)."""

from __future__ import annotations

import secrets

import pytest

from bundle_server import PATH, BundleServer
from conftest import Bundles, native_verdicts, wait_for
from fleet import start_fleet, wait_revision


@pytest.fixture
def bundle_server():
    server = BundleServer()
    yield server
    server.stop()


def test_decision_logs_carry_the_verdict_and_the_trace_id(
    charter, opa, bundles, cases, servers, bundle_server, tmp_path
):
    bundle_server.publish((bundles.rev1 / "bundle.tar.gz").read_bytes())
    (member,) = start_fleet(
        servers, opa, tmp_path, {"url": bundle_server.url}, PATH, bundles.public, count=1,
        tracing=True,
    )
    revision = Bundles.revision(bundles.rev1)
    wait_revision([member], revision)
    native = native_verdicts(charter, bundles.rev1_ws, cases[:6])
    sent = {}
    for index, (name, policy, input_) in enumerate(cases[:6]):
        headers = {}
        trace_id = None
        if index % 2 == 0:
            trace_id = secrets.token_hex(16)
            headers["traceparent"] = f"00-{trace_id}-{secrets.token_hex(8)}-01"
        result, decision_id = member.decide(policy, input_, headers)
        assert result == native[name], name
        sent[decision_id] = (name, trace_id)

    def logged():
        entries = {
            e["decision_id"]: e
            for e in member.server.log_lines()
            if e.get("msg") == "Decision Log" and e.get("decision_id") in sent
        }
        return entries if len(entries) == len(sent) else None

    entries = wait_for("the six decisions in the decision log", logged, server=member.server)
    for decision_id, (name, trace_id) in sent.items():
        entry = entries[decision_id]
        for field in ("decider", "rule_id", "reason"):
            assert entry["result"][field] == native[name][field], (name, field, entry)
        assert entry["bundles"] == {"charter": {"revision": revision}}
        assert entry["path"].startswith("charter/") and entry["path"].endswith("/verdict")
        if trace_id:
            assert entry.get("trace_id") == trace_id, entry
        else:
            # Without a traceparent OPA starts a trace of its own: not the caller's.
            assert entry.get("trace_id") not in {t for _, t in sent.values() if t}
