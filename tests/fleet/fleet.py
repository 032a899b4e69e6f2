"""The fleet scenario both bundle transports run (test_oci.py, test_bundle_server.py): three
`opa run --server` pull revision 1, decide summit's cases exactly as `charter eval` does,
hot-reload revision 2, refuse a tampered bundle and one signed with another key, and keep
deciding as revision 2 does.

"Decide" is asked three ways over HTTP: each case's policy verdict
(`/v1/data/charter/<package>/<policy>/verdict`); the router
(`/v1/data/charter/router/verdict`, as an enforcement point that does not know the policy asks
it: every case's input without `policy` and with it, other policies named, actions nobody
decides, malformed inputs), compared with `charter eval` without `--policy` and never undefined;
and the egress check (`/v1/data/charter/router/egress/verdict`) vs `charter eval --egress`.
"""

from __future__ import annotations

import datetime
import json
import time

import pytest

from conftest import (
    CONVERGE_TIMEOUT,
    KEY_ID,
    Bundles,
    free_port,
    http_json,
    egress_inputs,
    native_egress,
    native_routes,
    native_verdicts,
    policy_path,
    router_inputs,
    wait_for,
)

# OPA polls every 1 to 2 seconds: a new revision must be active everywhere within this.
RELOAD_WITHIN = 10.0


class Opa:
    def __init__(self, server, port):
        self.server = server
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def status(self) -> dict:
        """The status plugin's report of the bundle (`GET /v1/status`)."""
        code, doc = http_json(self.url + "/v1/status")
        assert code == 200, doc
        return doc["result"]["bundles"]["charter"]

    def active_revision(self) -> str | None:
        return self.status().get("active_revision")

    def decide(self, policy: str, input_: dict, headers=None):
        """The policy's verdict (None when OPA leaves it undefined)."""
        code, doc = http_json(
            f"{self.url}/v1/data/{policy_path(policy)}", {"input": input_}, headers
        )
        assert code == 200, doc
        return doc.get("result"), doc.get("decision_id")

    def ask(self, document: str, input_) -> dict:
        """`POST /v1/data/<document>` (the router's verdict, the egress check's): its result,
        which must be defined (the response has a `result`)."""
        code, doc = http_json(f"{self.url}/v1/data/{document}", {"input": input_})
        assert code == 200, doc
        assert "result" in doc, f"{self.server.name}: {document} undefined for {input_}: {doc}"
        return doc["result"]


def opa_config(service: dict, resource: str, public_key: str, folder, tracing_port=None, decision_logs=True) -> dict:
    config = {
        "services": {"bundles": service},
        "bundles": {
            "charter": {
                "service": "bundles",
                "resource": resource,
                "persist": False,
                "polling": {"min_delay_seconds": 1, "max_delay_seconds": 2},
                "signing": {"keyid": KEY_ID},
            }
        },
        "keys": {KEY_ID: {"algorithm": "RS256", "key": public_key}},
        "status": {"console": True},
        "decision_logs": {"console": True},
        "persistence_directory": str(folder / "persist"),
    }
    if not decision_logs:
        del config["decision_logs"]
    if tracing_port is not None:
        # OPA reads the caller's W3C trace context and logs its trace id only when tracing is
        # on; the spans go to an OTLP collector address where nothing listens (loopback).
        config["distributed_tracing"] = {
            "type": "grpc",
            "address": f"127.0.0.1:{tracing_port}",
            "sample_percentage": 100,
        }
    return config


def start_fleet(servers, opa, folder, service, resource, public_key, count=3, tracing=False, decision_logs=True):
    fleet = []
    tracing_port = free_port() if tracing else None
    for index in range(count):
        home = folder / f"opa{index}"
        home.mkdir()
        config = home / "config.json"
        config.write_text(
            json.dumps(opa_config(service, resource, public_key, home, tracing_port, decision_logs))
        )
        port = free_port()
        server = servers.start(
            f"opa{index}",
            [str(opa), "run", "--server", "--addr", f"127.0.0.1:{port}",
             "--config-file", str(config), "--log-format", "json",
             *([] if decision_logs else ["--log-level", "error"])],
            home,
        )
        fleet.append(Opa(server, port))
    for member in fleet:
        wait_for(
            f"{member.server.name} to answer /health",
            lambda m=member: http_json(m.url + "/health")[0] == 200,
            server=member.server,
        )
    return fleet


def wait_revision(fleet, revision: str, timeout=CONVERGE_TIMEOUT) -> float:
    """Waits until every member's active revision is `revision`; the seconds it took."""
    start = time.monotonic()
    for member in fleet:
        remaining = max(0.5, timeout - (time.monotonic() - start))
        wait_for(
            f"{member.server.name} to activate revision {revision[:12]}",
            lambda m=member: m.active_revision() == revision,
            timeout=remaining,
            server=member.server,
        )
    return time.monotonic() - start


def decisions(member: Opa, cases) -> dict[str, dict | None]:
    return {name: member.decide(policy, input_)[0] for name, policy, input_ in cases}


def assert_decides_like(fleet, cases, expected: dict[str, dict], label: str):
    for member in fleet:
        got = decisions(member, cases)
        wrong = [
            f"{name}: charter eval {expected[name]}, OPA {got[name]}"
            for name, _, _ in cases
            if got[name] != expected[name]
        ]
        assert not wrong, f"{member.server.name} ({label}) disagrees:\n" + "\n".join(wrong)


ROUTER = "charter/router/verdict"
EGRESS = "charter/router/egress/verdict"


def assert_routes_like(fleet, inputs, expected: dict[str, dict], label: str):
    """Every member's router (`data.charter.router.verdict`) is defined for every input and
    gives the verdict `charter eval` without `--policy` gives."""
    for member in fleet:
        wrong = []
        for name, input_ in inputs:
            got = member.ask(ROUTER, input_)
            if got != expected[name]:
                wrong.append(f"{name}: charter eval {expected[name]}, OPA router {got}")
        assert not wrong, f"{member.server.name} ({label}) routes differently:\n" + "\n".join(wrong)


def assert_egress_like(fleet, inputs, expected: dict[str, dict], label: str):
    """Every member's egress check is defined and gives `charter eval --egress`'s verdict."""
    for member in fleet:
        for name, input_ in inputs:
            got = member.ask(EGRESS, input_)
            assert got == expected[name], (
                f"{member.server.name} ({label}) {name}: charter eval --egress {expected[name]}, "
                f"OPA {got}"
            )


def rfc3339(text: str) -> float:
    """Seconds since the epoch of OPA's timestamps (nanoseconds cut to microseconds)."""
    stamp = text.rstrip("Z")
    if "." in stamp:
        whole, fraction = stamp.split(".", 1)
        stamp = f"{whole}.{fraction[:6]}"
    return datetime.datetime.fromisoformat(stamp).replace(tzinfo=datetime.timezone.utc).timestamp()


def wait_refused(fleet, since: float, what: str) -> list[str]:
    """Waits until every member reports a bundle error from a download it started after
    `since` (a time.time()); the error messages."""
    messages = []
    for member in fleet:

        def refused(m=member):
            status = m.status()
            if not status.get("code") or rfc3339(status.get("last_request", "1970-01-01T00:00:00Z")) <= since:
                return None
            errors = status.get("errors") or []
            return " ".join([status.get("message", "")] + [str(e) for e in errors])

        text = wait_for(
            f"{member.server.name} to refuse the {what} bundle", refused, server=member.server
        )
        messages.append(text)
    return messages


def run_scenario(fleet, publish, bundles: Bundles, cases, charter):
    """The whole scenario; `publish(folder, archive: bool)` makes a bundle the one served.
    Returns figures for the report (reload seconds)."""
    rev1 = Bundles.revision(bundles.rev1)
    rev2 = Bundles.revision(bundles.rev2)
    assert rev1 != rev2
    native1 = native_verdicts(charter, bundles.rev1_ws, cases)
    native2 = native_verdicts(charter, bundles.rev2_ws, cases)
    changed = [name for name, _, _ in cases if native1[name] != native2[name]]
    assert changed, "revision 2 should decide some case differently"
    routed = router_inputs(cases)
    routes1 = native_routes(charter, bundles.rev1_ws, routed)
    routes2 = native_routes(charter, bundles.rev2_ws, routed)
    assert any(routes1[n] != routes2[n] for n, _ in routed), "revision 2 should route some case differently"
    own = {"charter.router.input_invalid", "charter.router.no_policy", "charter.router.policy_not_applicable"}
    missing = own - {v["rule_id"] for v in routes1.values()}
    assert not missing, f"no router input met {sorted(missing)}"
    egress = egress_inputs()
    egress1 = native_egress(charter, bundles.rev1_ws, egress)
    egress2 = native_egress(charter, bundles.rev2_ws, egress)
    assert {v["rule_id"] for v in egress1.values()} == {
        "charter.egress.valid", "charter.egress.response_invalid"
    }, egress1

    def assert_rev2(label):
        assert_decides_like(fleet, cases, native2, label)
        assert_routes_like(fleet, routed, routes2, label)
        assert_egress_like(fleet, egress, egress2, label)

    # Revision 1: loaded everywhere, decided as charter eval decides.
    publish(bundles.rev1, archive=False)
    wait_revision(fleet, rev1)
    for member in fleet:
        code, _ = http_json(member.url + "/health?bundles")
        assert code == 200, f"{member.server.name}: /health?bundles answered {code}"
        # The active bundle's .manifest, as OPA stores it.
        code, doc = http_json(member.url + "/v1/data/system/bundles/charter/manifest")
        assert code == 200 and doc["result"]["revision"] == rev1, doc
    assert_decides_like(fleet, cases, native1, "revision 1")
    assert_routes_like(fleet, routed, routes1, "revision 1")
    assert_egress_like(fleet, egress, egress1, "revision 1")

    # Revision 2: hot-reloaded within the polling interval, decided the new way.
    publish(bundles.rev2, archive=False)
    reload_seconds = wait_revision(fleet, rev2)
    assert reload_seconds < RELOAD_WITHIN, f"revision 2 took {reload_seconds:.1f}s"
    assert_rev2("revision 2")

    # A tampered bundle, then one signed with another key: refused, revision 2 kept.
    for bundle, what, words in (
        (bundles.tampered, "tampered", ("digest mismatch", "hash", "signature")),
        (bundles.wrong, "wrongly signed", ("verification", "signature", "verify")),
    ):
        since = time.time()
        publish(bundle, archive=True)
        messages = wait_refused(fleet, since, what)
        print(f"\n{fleet[0].server.name} refused the {what} bundle: {messages[0][:300]}")
        for member, message in zip(fleet, messages):
            assert any(w in message.lower() for w in words), (
                f"{member.server.name} refused the {what} bundle for another reason: {message}"
            )
        # Some more polls: still refused, still revision 2.
        time.sleep(2.5)
        for member in fleet:
            assert member.active_revision() == rev2, member.status()
        assert_rev2(f"after the {what} bundle")
    return {"reload_seconds": reload_seconds}


def skip_unless(condition: bool, why: str):
    if not condition:
        pytest.skip(why)
